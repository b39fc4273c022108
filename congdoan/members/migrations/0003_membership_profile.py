"""Membership periods carry the member's figures that statistics count (PROFILE_FIELDS)."""

import datetime

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

PROFILE_FIELDS = ("sex", "birth_date", "ethnicity", "joined_on")


def copy_profiles(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    Membership = apps.get_model("members", "Membership")
    Membership.objects.update(
        **{
            name: Subquery(Member.objects.filter(pk=OuterRef("member_id")).values(name)[:1])
            for name in PROFILE_FIELDS
        }
    )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_name_trigram"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="sex",
            field=models.CharField(
                choices=[("M", "Male"), ("F", "Female")], default="M", editable=False, max_length=1
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="membership",
            name="birth_date",
            field=models.DateField(default=datetime.date(1900, 1, 1), editable=False),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="membership",
            name="ethnicity",
            field=models.CharField(default="Kinh", editable=False, max_length=40),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="membership",
            name="joined_on",
            field=models.DateField(default=datetime.date(1900, 1, 1), editable=False),
            preserve_default=False,
        ),
        migrations.RunPython(copy_profiles, migrations.RunPython.noop, elidable=True),
        migrations.RemoveIndex(
            model_name="membership",
            name="members_mem_unit_id_fee248_idx",
        ),
        migrations.AddIndex(
            model_name="membership",
            index=models.Index(
                fields=["unit", "valid_from", "valid_to"],
                include=["end", "sex", "birth_date", "ethnicity", "joined_on"],
                name="membership_unit_period",
            ),
        ),
    ]
