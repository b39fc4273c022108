"""On PostgreSQL: a stored tsvector of the folded metadata (symbol, type, issuer, subject,
summary, signer), GIN-indexed, beside the one of the whole text (0002). ``search.search``
lists the documents whose metadata holds every word first, then those where only the text
and attachments do; both are read newest first, which the ``document_newest`` index serves
when a word is common. Existing rows get their folded metadata here."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE documents_document ADD COLUMN IF NOT EXISTS title_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple', search_title)) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS documents_document_title_vector "
        "ON documents_document USING gin (title_vector)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS documents_document_title_vector")
    schema_editor.execute("ALTER TABLE documents_document DROP COLUMN IF EXISTS title_vector")


def fill_titles(apps, schema_editor):
    from congdoan.core.text import fold

    Document = apps.get_model("documents", "Document")
    batch = []
    for doc in Document.objects.filter(search_title="").iterator(chunk_size=2000):
        doc.search_title = fold(
            " ".join(p for p in (doc.symbol, doc.issuer_name, doc.subject, doc.summary) if p)
        )
        batch.append(doc)
        if len(batch) >= 2000:
            Document.objects.bulk_update(batch, ["search_title"])
            batch = []
    if batch:
        Document.objects.bulk_update(batch, ["search_title"])


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_search_title")]

    operations = [
        migrations.RunPython(fill_titles, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create, drop, elidable=False),
    ]
