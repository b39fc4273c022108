"""The unit kinds and post types every federation starts with; editable afterwards."""

from django.db import migrations

KINDS = [
    # code, name, order, is_grassroots, is_department
    ("confederation", "Tổng Liên đoàn", 10, False, False),
    ("province", "Liên đoàn Lao động tỉnh, thành phố", 20, False, False),
    ("central-sector", "Công đoàn ngành trung ương", 25, False, False),
    ("department", "Ban, văn phòng", 30, False, True),
    ("district", "Liên đoàn Lao động huyện, quận", 40, False, False),
    ("sector", "Công đoàn ngành địa phương", 42, False, False),
    ("civil-servants", "Công đoàn Viên chức tỉnh", 44, False, False),
    ("industrial-zone", "Công đoàn các khu công nghiệp", 46, False, False),
    ("party-gov", "Công đoàn cơ quan Đảng, UBND tỉnh", 47, False, False),
    ("commune", "Công đoàn xã, phường", 48, False, False),
    ("district-education", "Công đoàn giáo dục huyện", 49, False, False),
    ("center", "Đơn vị sự nghiệp", 50, False, False),
    ("grassroots", "Công đoàn cơ sở", 60, True, False),
    ("section", "Công đoàn bộ phận, tổ công đoàn", 70, False, False),
]

POST_TYPES = [
    ("chairman", "Chủ tịch", 10),
    ("vice-chairman", "Phó Chủ tịch", 20),
    ("head", "Trưởng ban", 30),
    ("deputy-head", "Phó Trưởng ban", 40),
    ("chief-of-office", "Chánh Văn phòng", 35),
    ("inspection-chair", "Chủ nhiệm Ủy ban Kiểm tra", 36),
    ("officer", "Cán bộ chuyên trách", 50),
    ("committee-member", "Ủy viên Ban Chấp hành", 60),
]


def seed(apps, schema_editor):
    UnitKind = apps.get_model("org", "UnitKind")
    PostType = apps.get_model("org", "PostType")
    for code, name, order, grassroots, department in KINDS:
        UnitKind.objects.get_or_create(
            code=code,
            defaults={"name": name, "order": order, "is_grassroots": grassroots,
                      "is_department": department},
        )
    for code, name, order in POST_TYPES:
        PostType.objects.get_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
