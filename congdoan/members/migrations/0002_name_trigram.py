"""A trigram index for the name search on PostgreSQL.

``search_members`` filters with ``name_folded LIKE '%text%'``: a B-tree cannot serve a
pattern with a leading wildcard, so without this index PostgreSQL reads every member.
A ``gin_trgm_ops`` index answers it from the trigrams of the text. Other databases
(SQLite in development and tests) get nothing; their search stays a scan.
"""

from django.db import migrations

INDEX = "members_member_name_folded_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_member USING gin (name_folded gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
