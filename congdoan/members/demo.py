"""Demo members for the demo federation (``org.demo``), added through the services.

About forty union members with real Vietnamese names in the grassroots unions of the demo:
Kinh, Tày, H'Mông, Dao and Giáy in Lào Cai, Tày, Dao and Nùng in Bắc Kạn, Kinh in Hà Tĩnh.
Each CCCD agrees with the member's birth year and sex and carries the province of birth
(010 Lào Cai, 006 Bắc Kạn, 042 Hà Tĩnh). They joined before the restructurings of 2017 and
2025, so their unions appear where those events put them.

The restructurings of the organisation demo end no grassroots union, so they move unions,
not members. The member story of 2025 is told here: district-level People's Committees
ended on 01/07/2025, and the grassroots unions of the UBND of thị xã Sa Pa and of thành phố
Hà Tĩnh were dissolved into the unions of the new wards (phường Sa Pa, phường Thành Sen).
Those events are recorded after the members exist, so they move the members with their
history: one period at the old union, one at the ward's, linked to the event.

Also recorded: two transfers, a retirement, a worker who left, and two different people
with the same name and date of birth (flagged for review).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from congdoan.core.cccd import make_cccd
from congdoan.members import services
from congdoan.members.models import Member, Status
from congdoan.org import services as org_services
from congdoan.org.models import Unit, UnitKind
from congdoan.org.services import NewUnit

D = dt.date
WARDS_2025 = (
    "Chủ trương kết thúc hoạt động của chính quyền cấp huyện và sắp xếp đơn vị hành chính "
    "cấp xã từ 01/7/2025"
)
BIRTH_PROVINCE = {"LCI": "010", "BKN": "006", "HTH": "042"}
CARD_PREFIX = {"LCI": "LC", "BKN": "BK", "HTH": "HT"}


@dataclass(frozen=True)
class Person:
    unit: str
    name: str
    born: dt.date
    sex: str
    ethnicity: str
    joined: dt.date
    job: str
    qualification: str = "Đại học"
    phone: str = ""


# fmt: off
PEOPLE: list[Person] = [
    # Lào Cai — Trường THCS Bản Vược (Bát Xát)
    Person("LCI-BX-GD-CS1", "Giàng A Páo", D(1984, 3, 12), "M", "H'Mông", D(2007, 9, 5),
           "Giáo viên Toán", phone="0912 604 118"),
    Person("LCI-BX-GD-CS1", "Tẩn Thị Sấn", D(1989, 11, 2), "F", "Dao", D(2012, 9, 1),
           "Giáo viên Ngữ văn", "Cao đẳng"),
    Person("LCI-BX-GD-CS1", "Lù Văn Dín", D(1979, 6, 25), "M", "Giáy", D(2003, 9, 5),
           "Phó Hiệu trưởng", phone="0983 215 470"),
    Person("LCI-BX-GD-CS1", "Nguyễn Thị Thu Trang", D(1992, 1, 17), "F", "Kinh", D(2015, 9, 1),
           "Giáo viên Tiếng Anh"),
    Person("LCI-BX-GD-CS1", "Hoàng Thị Thơm", D(1987, 8, 8), "F", "Tày", D(2010, 9, 1),
           "Giáo viên Địa lý"),
    # Lào Cai — Trạm Y tế xã Bản Qua
    Person("LCI-BX-CS1", "Lý Thị Súa", D(1990, 4, 30), "F", "H'Mông", D(2013, 3, 1), "Y sĩ",
           "Trung cấp"),
    Person("LCI-BX-CS1", "Vương Văn Sinh", D(1982, 12, 12), "M", "Giáy", D(2006, 7, 1),
           "Trưởng trạm y tế", phone="0915 330 271"),
    # Lào Cai — Khu du lịch Fansipan Legend (Sa Pa)
    Person("LCI-SP-CS1", "Lý Láo Tả", D(1993, 5, 5), "M", "Dao", D(2016, 2, 1),
           "Nhân viên vận hành cáp treo", "Trung cấp"),
    Person("LCI-SP-CS1", "Sùng Thị Mỷ", D(1995, 9, 14), "F", "H'Mông", D(2016, 6, 1),
           "Hướng dẫn viên du lịch", "Cao đẳng"),
    Person("LCI-SP-CS1", "Phạm Minh Đức", D(1986, 2, 20), "M", "Kinh", D(2014, 1, 2),
           "Kỹ sư cơ điện", phone="0904 718 552"),
    # Lào Cai — UBND thị xã Sa Pa (dissolved into phường Sa Pa on 01/07/2025)
    Person("LCI-SP-CS2", "Chảo Thị Mẩy", D(1988, 7, 7), "F", "Dao", D(2011, 4, 1),
           "Chuyên viên Phòng Văn hóa và Thông tin"),
    Person("LCI-SP-CS2", "Vàng Seo Dình", D(1983, 10, 10), "M", "H'Mông", D(2008, 5, 1),
           "Chuyên viên Phòng Dân tộc", phone="0868 402 913"),
    Person("LCI-SP-CS2", "Đỗ Thị Ngọc Ánh", D(1991, 3, 3), "F", "Kinh", D(2014, 8, 1),
           "Văn thư"),
    Person("LCI-SP-CS2", "Hoàng Văn Thào", D(1965, 2, 14), "M", "Giáy", D(2001, 1, 2),
           "Chánh Văn phòng"),
    # Lào Cai — Trường Tiểu học Mường Khương
    Person("LCI-MK-GD-CS1", "Nông Văn Dền", D(1985, 1, 21), "M", "Tày", D(2008, 9, 1),
           "Giáo viên tiểu học"),
    Person("LCI-MK-GD-CS1", "Sần Thị Lan", D(1994, 12, 1), "F", "Giáy", D(2017, 9, 1),
           "Giáo viên tiểu học", "Cao đẳng"),
    # Lào Cai — Công ty Cổ phần Apatit Việt Nam
    Person("LCI-TP-CS1", "Trần Văn Hùng", D(1975, 4, 19), "M", "Kinh", D(2000, 3, 1),
           "Công nhân khai thác mỏ", "Công nhân kỹ thuật", phone="0977 129 034"),
    Person("LCI-TP-CS1", "Ma Thị Hương", D(1983, 6, 6), "F", "Tày", D(2005, 10, 1), "Kế toán"),
    Person("LCI-TP-CS1", "Vàng A Sáng", D(1990, 8, 20), "M", "H'Mông", D(2012, 1, 3),
           "Công nhân tuyển quặng", "Công nhân kỹ thuật"),
    # Bắc Kạn (now Thái Nguyên) — Trường THCS Thượng Giáo (Ba Bể)
    Person("BKN-BB-GD-CS1", "Hoàng Thị Nga", D(1986, 5, 15), "F", "Tày", D(2009, 9, 1),
           "Giáo viên Sinh học"),
    Person("BKN-BB-GD-CS1", "Triệu Văn Kiềm", D(1981, 9, 9), "M", "Dao", D(2004, 9, 1),
           "Giáo viên Thể dục", "Cao đẳng"),
    Person("BKN-BB-GD-CS1", "Nông Thị Hậu", D(1993, 2, 28), "F", "Nùng", D(2016, 9, 1),
           "Giáo viên Lịch sử"),
    # Bắc Kạn — UBND thành phố Bắc Kạn
    Person("BKN-TP-CS1", "Lường Văn Hảo", D(1978, 11, 11), "M", "Tày", D(2002, 1, 2),
           "Chuyên viên Phòng Nội vụ", phone="0209 387 1456"),
    Person("BKN-TP-CS1", "Phạm Thị Huyền", D(1990, 10, 20), "F", "Kinh", D(2013, 5, 2),
           "Chuyên viên Phòng Tài chính – Kế hoạch"),
    # Hà Tĩnh — Bảo hiểm Xã hội tỉnh
    Person("HTH-VC-BHXH", "Nguyễn Xuân Quỳnh", D(1975, 8, 19), "M", "Kinh", D(2001, 3, 1),
           "Phó Giám đốc", "Thạc sĩ", phone="0913 294 607"),
    Person("HTH-VC-BHXH", "Phan Văn Thuận", D(1964, 9, 1), "M", "Kinh", D(2001, 3, 1),
           "Trưởng phòng Quản lý thu"),
    Person("HTH-VC-BHXH", "Võ Thị Hoài Thương", D(1990, 12, 24), "F", "Kinh", D(2013, 7, 1),
           "Chuyên viên Phòng Chế độ BHXH"),
    Person("HTH-VC-BHXH", "Hồ Thị Thanh Tâm", D(1985, 4, 10), "F", "Kinh", D(2008, 2, 1),
           "Kế toán", phone="0988 561 203"),
    Person("HTH-VC-BHXH", "Lê Đình Sơn", D(1982, 7, 27), "M", "Kinh", D(2006, 5, 2),
           "Giám định viên BHYT"),
    Person("HTH-VC-BHXH", "Thái Thị Phương Thảo", D(1996, 6, 6), "F", "Kinh", D(2019, 11, 1),
           "Chuyên viên Phòng Công nghệ thông tin"),
    # Hà Tĩnh — Sở Tài chính
    Person("HTH-VC-STC", "Trần Quốc Việt", D(1988, 3, 15), "M", "Kinh", D(2011, 9, 1),
           "Chuyên viên Phòng Quản lý giá"),
    Person("HTH-VC-STC", "Nguyễn Thị Hồng Nhung", D(1987, 1, 9), "F", "Kinh", D(2010, 10, 1),
           "Chuyên viên Phòng Quản lý ngân sách"),
    Person("HTH-VC-STC", "Đặng Văn Hòa", D(1979, 5, 5), "M", "Kinh", D(2003, 4, 1),
           "Phó Chánh Văn phòng"),
    # Hà Tĩnh — Sở Khoa học và Công nghệ
    Person("HTH-VC-KHCN", "Dương Thị Minh Nguyệt", D(1984, 11, 30), "F", "Kinh", D(2007, 6, 1),
           "Nghiên cứu viên", "Thạc sĩ"),
    Person("HTH-VC-KHCN", "Bùi Quang Khải", D(1991, 9, 2), "M", "Kinh", D(2015, 3, 2),
           "Chuyên viên Phòng Quản lý công nghệ"),
    # Hà Tĩnh — UBND thành phố Hà Tĩnh (dissolved into phường Thành Sen on 01/07/2025)
    Person("HTH-TP-CS1", "Nguyễn Văn Hưng", D(1980, 2, 2), "M", "Kinh", D(2004, 6, 1),
           "Chuyên viên Phòng Quản lý đô thị"),
    Person("HTH-TP-CS1", "Lê Thị Thu Hà", D(1989, 10, 10), "F", "Kinh", D(2012, 12, 3),
           "Chuyên viên Phòng Tư pháp", phone="0399 420 186"),
    Person("HTH-TP-CS1", "Trương Công Minh", D(1993, 4, 4), "M", "Kinh", D(2016, 8, 1),
           "Chuyên viên Phòng Tài nguyên và Môi trường"),
    # Hà Tĩnh — UBND huyện Đức Thọ; another Nguyễn Văn Hưng born the same day (flagged)
    Person("HTH-DT-CS1", "Nguyễn Thị Lý", D(1986, 7, 19), "F", "Kinh", D(2009, 9, 1),
           "Chuyên viên Phòng Lao động – Thương binh và Xã hội"),
    Person("HTH-DT-CS1", "Hoàng Đình Trung", D(1977, 12, 25), "M", "Kinh", D(2001, 8, 1),
           "Chánh Thanh tra huyện"),
    Person("HTH-DT-CS1", "Nguyễn Văn Hưng", D(1980, 2, 2), "M", "Kinh", D(2005, 3, 1),
           "Chuyên viên Phòng Nông nghiệp"),
]
# fmt: on

TRANSFERS = [
    # name, from union, to union, date, note
    ("Hoàng Thị Thơm", "LCI-BX-GD-CS1", "LCI-MK-GD-CS1", D(2019, 8, 15),
     "Quyết định điều động giáo viên của UBND huyện"),
    ("Trần Quốc Việt", "HTH-VC-STC", "HTH-VC-BHXH", D(2021, 3, 1),
     "Chuyển công tác sang Bảo hiểm Xã hội tỉnh"),
]  # fmt: skip
ENDINGS = [
    # name, union, status, date, reason
    ("Hoàng Văn Thào", "LCI-SP-CS2", Status.LEFT, D(2025, 3, 1), "Nghỉ hưu theo chế độ"),
    ("Phan Văn Thuận", "HTH-VC-BHXH", Status.LEFT, D(2024, 10, 1), "Nghỉ hưu theo chế độ"),
    ("Vàng A Sáng", "LCI-TP-CS1", Status.LEFT, D(2023, 6, 30), "Nghỉ việc, về quê làm nông"),
]
WARDS = [
    # dissolved union, new ward union: code, name, parent
    ("LCI-SP-CS2", "LCI-PSP", "Công đoàn cơ sở UBND phường Sa Pa", "LCI"),
    ("HTH-TP-CS1", "HTH-PTS", "Công đoàn cơ sở UBND phường Thành Sen", "HTH"),
]
WARD_DAY = D(2025, 7, 1)


@transaction.atomic
def load_demo_members(log: Callable[[str], None] = print) -> int:
    """Add the demo members once: nothing when there are members already, or when the units
    of the demo federation are not there. Returns how many members were added."""
    if Member.objects.exists():
        return 0
    codes = {p.unit for p in PEOPLE} | {w[0] for w in WARDS} | {w[3] for w in WARDS}
    units = {u.code: u for u in Unit.objects.filter(code__in=codes, valid_to__isnull=True)}
    if len(units) != len(codes) or Unit.objects.filter(code__in=[w[1] for w in WARDS]).exists():
        log("The demo units are not all there; no demo members were added.")
        return 0
    members: dict[tuple[str, str], Member] = {}
    for number, person in enumerate(PEOPLE, start=1):
        unit = units[person.unit]
        province = person.unit.split("-")[0]  # the demo's codes start with the province's
        data = {
            "full_name": person.name,
            "birth_date": person.born,
            "sex": person.sex,
            "ethnicity": person.ethnicity,
            "cccd": make_cccd(
                BIRTH_PROVINCE[province], person.sex, person.born.year, 215000 + number * 37
            ),
            "phone": person.phone,
            "education": "12/12",
            "qualification": person.qualification,
            "job": person.job,
            "workplace": unit.name.removeprefix("Công đoàn cơ sở "),
            "joined_on": person.joined,
            "card_number": f"{CARD_PREFIX[province]}-{person.joined.year}-{number:04d}",
        }
        members[(person.unit, person.name)] = services.create_member(None, unit, data)
    for name, source, target, day, note in TRANSFERS:
        services.transfer_member(None, members[(source, name)], units[target], day=day, note=note)
    for name, source, status, day, reason in ENDINGS:
        services.end_membership(None, members[(source, name)], status, day=day, reason=reason)
    grassroots = UnitKind.objects.get(code="grassroots")
    moved = 0
    for old_code, code, name, parent in WARDS:
        old = units[old_code]
        before = Member.objects.filter(unit=old, status=Status.ACTIVE).count()
        _event, ward = org_services.create_unit(
            None,
            NewUnit(
                code=code, name=name, kind=grassroots, parent=units[parent], abbreviation="CĐCS"
            ),
            effective_date=WARD_DAY,
            legal_basis=WARDS_2025,
        )
        old.refresh_from_db()
        org_services.dissolve_unit(
            None, old, receiver=ward, effective_date=WARD_DAY, legal_basis=WARDS_2025
        )
        moved += before
    log(
        f"Demo: {len(PEOPLE)} members; {moved} moved to the unions of new wards on "
        f"{WARD_DAY:%d/%m/%Y}."
    )
    return len(PEOPLE)
