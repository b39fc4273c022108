"""The unit's path on each document, and the path's ancestors inside the search vectors.

A province user's search for several words used to read every match in the country (the
words' posting lists) and drop those outside the province: PostgreSQL estimates the words as
independent and the matches of "hoi nghi can bo" are tens of thousands. Each document now
keeps ``unit_path`` (``/1/35/812/``) and, on PostgreSQL, both stored vectors carry the ids in
it as lexemes (``#1 #35 #812``) beside the words. ``search.py`` adds ``'#35'`` (or several,
``'#35' | '#40'``) to the query, and the GIN index intersects the words with the subtree in
one lookup. A ``#`` never reaches a query from a reader: ``search.words`` keeps letters and
digits only, and ``to_tsquery('simple', ...)`` drops it.

The generated columns cannot change their expression, so they are dropped and added again
(the table is rewritten once); their statistics target (0006) is set again.
"""

from django.db import migrations, models

SCOPE = (
    "array_to_tsvector(string_to_array("
    "regexp_replace(btrim(unit_path, '/'), '([0-9]+)', '#\\1', 'g'), '/'))"
)
VECTORS = {
    "title_vector": "to_tsvector('simple', search_title)",
    "search_vector": "to_tsvector('simple', left(search_text, 200000))",
}


def _drop_vectors(schema_editor) -> None:
    for column in VECTORS:
        schema_editor.execute(f"DROP INDEX IF EXISTS documents_document_{column}")
        schema_editor.execute(f"ALTER TABLE documents_document DROP COLUMN IF EXISTS {column}")


def _add_vectors(schema_editor, scoped: bool) -> None:
    for column, words in VECTORS.items():
        expression = f"{words} || {SCOPE}" if scoped else words
        schema_editor.execute(
            f"ALTER TABLE documents_document ADD COLUMN {column} tsvector "
            f"GENERATED ALWAYS AS ({expression}) STORED"
        )
    schema_editor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    for column in VECTORS:
        schema_editor.execute(
            f"CREATE INDEX documents_document_{column} ON documents_document USING gin ({column})"
        )
        schema_editor.execute(
            f"ALTER TABLE documents_document ALTER COLUMN {column} SET STATISTICS 1000"
        )
    schema_editor.execute("ANALYZE documents_document")


def fill_paths(schema_editor) -> None:
    schema_editor.execute(
        "UPDATE documents_document SET unit_path = "
        "(SELECT path FROM org_unit WHERE org_unit.id = documents_document.unit_id)"
    )


def forward(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        _drop_vectors(schema_editor)  # one table rewrite below, not two
    fill_paths(schema_editor)
    if postgres:
        _add_vectors(schema_editor, scoped=True)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _drop_vectors(schema_editor)
        _add_vectors(schema_editor, scoped=False)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0006_search_statistics"),
        ("org", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="unit_path",
            field=models.CharField(blank=True, editable=False, max_length=255, default=""),
            preserve_default=False,
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
