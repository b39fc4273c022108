"""Forms of commendation met in the reports, and the "Lao động sáng tạo" thresholds as a
versioned rule (QĐ 1564/QĐ-TLĐ 2014, Điều 16). Both are data: offices edit them."""

import datetime as dt

from django.db import migrations

FORMS = [
    # code, name, granted by, recipients, order
    ("lao-dong-tien-tien", "Lao động tiên tiến", "Thủ trưởng cơ quan, đơn vị", "person", 10),
    ("chien-si-thi-dua-co-so", "Chiến sĩ thi đua cơ sở", "Thủ trưởng cơ quan, đơn vị", "person", 20),
    ("co-thi-dua-tld", "Cờ thi đua của Tổng Liên đoàn", "Tổng Liên đoàn Lao động Việt Nam", "unit", 30),
    ("co-thi-dua-ldld", "Cờ thi đua của LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh", "unit", 35),
    ("bang-khen-tld", "Bằng khen của Tổng Liên đoàn", "Tổng Liên đoàn Lao động Việt Nam", "both", 40),
    ("bang-khen-ldld", "Bằng khen của LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh", "both", 45),
    ("giay-khen", "Giấy khen", "Công đoàn cấp trên trực tiếp cơ sở", "both", 50),
    ("lao-dong-sang-tao", "Bằng Lao động sáng tạo", "Tổng Liên đoàn Lao động Việt Nam", "person", 60),
    ("huan-chuong-lao-dong-hang-ba", "Huân chương Lao động hạng Ba", "Chủ tịch nước", "both", 70),
]

LDST = {
    "single": {"worker": 80_000_000, "university": 150_000_000, "manager": 200_000_000},
    "three_years": {"worker": 120_000_000},
    "window_years": 3,
}


def seed(apps, schema_editor):
    AwardForm = apps.get_model("emulation", "AwardForm")
    EligibilityRule = apps.get_model("emulation", "EligibilityRule")
    for code, name, level, recipients, order in FORMS:
        AwardForm.objects.get_or_create(
            code=code,
            defaults={"name": name, "level": level, "recipients": recipients, "order": order},
        )
    EligibilityRule.objects.get_or_create(
        code="lao-dong-sang-tao",
        version=1,
        defaults={
            "valid_from": dt.date(2014, 10, 1),
            "name": "Bằng Lao động sáng tạo: giá trị làm lợi của giải pháp",
            "source": "Quyết định 1564/QĐ-TLĐ năm 2014, Điều 16",
            "params": LDST,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("emulation", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
