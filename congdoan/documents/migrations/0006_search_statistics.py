"""On PostgreSQL: finer statistics on the two search vectors.

Without them the planner guesses that a word it has no statistics for (a rare word, a typo)
matches 0.5% of the rows, walks the newest-first index expecting a page soon, and reads the
whole table: 2–100 s at a million documents. With 1,000 most common elements it knows the
word is rare and reads it from the GIN index (10–20 ms measured).
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE documents_document "
        "ALTER COLUMN search_vector SET STATISTICS 1000, "
        "ALTER COLUMN title_vector SET STATISTICS 1000"
    )
    schema_editor.execute("ANALYZE documents_document")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE documents_document "
        "ALTER COLUMN search_vector SET STATISTICS -1, "
        "ALTER COLUMN title_vector SET STATISTICS -1"
    )


class Migration(migrations.Migration):
    dependencies = [("documents", "0005_incoming_numbers_by_year_received")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
