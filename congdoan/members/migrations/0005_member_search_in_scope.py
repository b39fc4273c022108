"""A name search in a scope reads its matches from indexes that carry each member's union.

``search_members`` first takes the ids of a name's members in the user's scope. With the
union (and the status) in the name's index, an entry of a union out of scope is rejected
from the index itself, without reading the member: a province's search for "Anh" no longer
reads the country's 67,000 members called Anh. The end-of-name index gains the same columns
(it replaces ``member_name_tail``).

On PostgreSQL, a scope's units are also read from an index of the units' paths that holds
their ids (``org_unit_path_ids``), without reading the units themselves: a province's units
lie all over ``org_unit``, and the largest province's 20,000 units took most of its pages.
And the planner must know how many units a scope holds: with the default 100-bucket
histogram of ``org_unit.path``, a province of 1,000 units under a tree of 145,000 could be
counted as 15, and the plan chosen for 15 units read every unit of the province again for
each member. A finer histogram (1,000 buckets) counts provinces and districts closely.
Other databases (SQLite in development and tests) get only the two member indexes.
"""

from django.db import migrations, models

UNIT_INDEX = "org_unit_path_ids"
PATH_STATISTICS = 1000


def scope_units_by_path(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {UNIT_INDEX} ON org_unit "
        "(path varchar_pattern_ops) INCLUDE (id)"
    )
    schema_editor.execute(
        f"ALTER TABLE org_unit ALTER COLUMN path SET STATISTICS {PATH_STATISTICS}"
    )
    schema_editor.execute("ANALYZE org_unit")


def drop_scope_units_by_path(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE org_unit ALTER COLUMN path SET STATISTICS -1")
    schema_editor.execute(f"DROP INDEX IF EXISTS {UNIT_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0004_member_given_name"),
        ("org", "0003_unitversion_parent_period"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="member",
            name="member_name_tail",
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                fields=["given_folded", "unit", "id"],
                include=("status",),
                name="member_given_unit",
            ),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                fields=["name_reversed", "unit", "id"],
                include=("status",),
                name="member_name_tail_unit",
                opclasses=["varchar_pattern_ops", "int8_ops", "int8_ops"],
            ),
        ),
        migrations.RunPython(scope_units_by_path, drop_scope_units_by_path, elidable=False),
    ]
