"""Members carry their folded given name and their folded words in reverse order, indexed
for one-word searches (the given name, in name order) and searches for the end of a name."""

from django.db import migrations, models

PG_FILL = """
UPDATE members_member SET
    given_folded = left(regexp_replace(name_folded, '^.* ', ''), 60),
    name_reversed = left((
        SELECT string_agg(word, ' ' ORDER BY position DESC)
        FROM unnest(string_to_array(name_folded, ' ')) WITH ORDINALITY AS t(word, position)
    ), 120)
"""


def fill(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FILL)
        return
    batch = []
    for member in Member.objects.only("id", "name_folded").iterator(chunk_size=2000):
        words = member.name_folded.split()
        member.given_folded = (words[-1] if words else "")[:60]
        member.name_reversed = " ".join(reversed(words))[:120]
        batch.append(member)
        if len(batch) == 2000:
            Member.objects.bulk_update(batch, ["given_folded", "name_reversed"])
            batch = []
    Member.objects.bulk_update(batch, ["given_folded", "name_reversed"])


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_membership_profile"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="given_folded",
            field=models.CharField(default="", editable=False, max_length=60),
        ),
        migrations.AddField(
            model_name="member",
            name="name_reversed",
            field=models.CharField(default="", editable=False, max_length=120),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["given_folded", "name_sort", "id"], name="member_given_name"),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                fields=["name_reversed"], opclasses=["varchar_pattern_ops"], name="member_name_tail"
            ),
        ),
    ]
