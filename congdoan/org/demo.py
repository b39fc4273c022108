"""The demo federation: the seeds' stories told with their real names, built through services.

* Lào Cai: since 2015, 14 units fewer (9 district education unions, 2 sector
  unions, 2 departments, 1 training centre) and 19 full-time cadres fewer.
* Bắc Kạn: in 2017, 5 departments into 4 (Ban Tuyên giáo & Nữ công and Ủy ban
  Kiểm tra into Ban Tổ chức Kiểm tra), the Giao thông – Vận tải and Nông nghiệp
  & PTNT sector unions dissolved, and from 01/07/2017 the district education
  unions dissolved with their school unions moved to the district federations.
* Hà Tĩnh: Công đoàn Viên chức tỉnh with its grassroots unions (BHXH tỉnh,
  Sở KH&CN, ...), split in 2025 into the unions of the Party and government offices.
* 2025: district federations wound up from 01/07/2025; Bắc Kạn into Thái
  Nguyên and Yên Bái into Lào Cai.

Legal bases quoted from the seeds are real; the others are described, not numbered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from congdoan.org import services
from congdoan.org.models import Post, PostType, Unit, UnitKind
from congdoan.org.services import NewUnit

D = dt.date
NQ202 = "Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội về sắp xếp đơn vị hành chính"
DISTRICT_END = "Chủ trương kết thúc hoạt động công đoàn cấp huyện từ 01/7/2025 (Tổng Liên đoàn)"
HD704 = "Hướng dẫn số 704/HD-TLĐ ngày 12/5/2017 của Tổng Liên đoàn Lao động Việt Nam"
DA03 = "Đề án số 03-ĐA/TU ngày 31/5/2017 của Tỉnh ủy Bắc Kạn"
KH70 = "Kế hoạch số 70-KH/TU ngày 07/8/2017 của Thường trực Tỉnh ủy Bắc Kạn"
LC_PLAN = "Đề án sắp xếp tổ chức bộ máy của LĐLĐ tỉnh Lào Cai theo Nghị quyết số 18-NQ/TW"
LC_EDU = "Quyết định của Ban Thường vụ LĐLĐ tỉnh Lào Cai giải thể công đoàn giáo dục cấp huyện"

GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Hương",
         "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Ngọc", "Phương", "Quân", "Sơn",
         "Thảo", "Thắng", "Trang", "Tuấn", "Vân", "Yến"]  # fmt: skip
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Thu", "Hữu", "Thanh", "Quang", "Ngọc"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hà", "Lò", "Vàng"]


def _person(i: int) -> str:
    return (
        f"{FAMILY[i % len(FAMILY)]} {MIDDLE[(i // 3) % len(MIDDLE)]} {GIVEN[(i * 7) % len(GIVEN)]}"
    )


class DemoBuilder:
    def __init__(self, log: Callable[[str], None] = print) -> None:
        self.log = log
        self.kinds = {k.code: k for k in UnitKind.objects.all()}
        self.posts = {p.code: p for p in PostType.objects.all()}
        self.people = 0

    def unit(
        self,
        code: str,
        name: str,
        kind: str,
        parent: Unit | None,
        since: dt.date,
        abbreviation: str = "",
        basis: str = "Quyết định thành lập",
    ) -> Unit:
        _event, unit = services.create_unit(
            None,
            NewUnit(
                code=code,
                name=name,
                kind=self.kinds[kind],
                parent=parent,
                abbreviation=abbreviation,
            ),
            effective_date=since,
            legal_basis=basis,
        )
        return unit

    def staff(
        self, unit: Unit, post: str, since: dt.date, name: str | None = None, full_time: bool = True
    ) -> Post:
        p = services.create_post(
            None, unit, self.posts[post], full_time=full_time, valid_from=since
        )
        if name is None:
            self.people += 1
            name = _person(self.people)
        services.assign_holder(None, p, name, valid_from=since)
        return p

    def build(self) -> dict[str, Unit]:
        u: dict[str, Unit] = {}
        u["TLD"] = self.unit(
            "TLD",
            "Tổng Liên đoàn Lao động Việt Nam",
            "confederation",
            None,
            D(1929, 7, 28),
            "TLĐ",
            "Thành lập Tổng Công hội Đỏ Bắc Kỳ",
        )
        self.lao_cai(u)
        self.yen_bai(u)
        self.bac_kan(u)
        self.thai_nguyen(u)
        self.ha_tinh(u)
        self.changes_2025(u)
        self.log(f"Demo: {Unit.objects.count()} units, {Post.objects.count()} posts.")
        return u

    # --- Lào Cai ------------------------------------------------------------------------
    LC_DISTRICTS = [
        ("TP", "thành phố Lào Cai", "Trường Tiểu học Kim Tân", "Công ty Cổ phần Apatit Việt Nam"),
        ("BX", "huyện Bát Xát", "Trường THCS Bản Vược", "Trạm Y tế xã Bản Qua"),
        ("MK", "huyện Mường Khương", "Trường Tiểu học Mường Khương", "Điện lực Mường Khương"),
        ("SMC", "huyện Si Ma Cai", "Trường Mầm non Si Ma Cai", "Trung tâm Y tế huyện Si Ma Cai"),
        ("BH", "huyện Bắc Hà", "Trường THCS Bắc Hà", "Kho bạc Nhà nước Bắc Hà"),
        ("BT", "huyện Bảo Thắng", "Trường Tiểu học Phố Lu", "Công ty TNHH MTV Apatit Tằng Loỏng"),
        ("BY", "huyện Bảo Yên", "Trường THCS Phố Ràng", "Bệnh viện Đa khoa huyện Bảo Yên"),
        ("SP", "thị xã Sa Pa", "Trường Tiểu học Sa Pa", "Khu du lịch Fansipan Legend"),
        ("VB", "huyện Văn Bàn", "Trường THCS Khánh Yên", "Chi cục Thuế huyện Văn Bàn"),
    ]  # fmt: skip

    def lao_cai(self, u: dict[str, Unit]) -> None:
        lc = u["LCI"] = self.unit(
            "LCI", "Liên đoàn Lao động tỉnh Lào Cai", "province", u["TLD"], D(1991, 10, 1), "LĐLĐ"
        )
        self.staff(lc, "chairman", D(2014, 1, 1), "Nguyễn Hữu Long")
        depts = {}
        for code, name in [
            ("VP", "Văn phòng"),
            ("TC", "Ban Tổ chức"),
            ("TG", "Ban Tuyên giáo"),
            ("NC", "Ban Nữ công"),
            ("CS", "Ban Chính sách – Pháp luật"),
            ("TCH", "Ban Tài chính"),
            ("KT", "Ủy ban Kiểm tra"),
        ]:
            depts[code] = self.unit(f"LCI-{code}", name, "department", lc, D(1991, 10, 1), code)
            for _ in range(3):
                self.staff(depts[code], "officer", D(2010, 1, 1))
        center = self.unit(
            "LCI-TTBD",
            "Trung tâm Bồi dưỡng cán bộ công đoàn tỉnh Lào Cai",
            "center",
            lc,
            D(2005, 1, 1),
        )
        for _ in range(2):
            self.staff(center, "officer", D(2010, 1, 1))
        sectors = {}
        for code, name in [
            ("YT", "Công đoàn ngành Y tế tỉnh Lào Cai"),
            ("GD", "Công đoàn ngành Giáo dục tỉnh Lào Cai"),
            ("GTXD", "Công đoàn ngành Giao thông – Xây dựng tỉnh Lào Cai"),
            ("NN", "Công đoàn ngành Nông nghiệp và PTNT tỉnh Lào Cai"),
        ]:
            sectors[code] = self.unit(f"LCI-N{code}", name, "sector", lc, D(1995, 1, 1), "CĐN")
            self.staff(sectors[code], "chairman", D(2012, 1, 1))
            self.unit(
                f"LCI-N{code}-CS1",
                f"Công đoàn cơ sở Văn phòng {name[10:]}",
                "grassroots",
                sectors[code],
                D(2000, 1, 1),
            )
        districts = {}
        for i, (code, place, school, org) in enumerate(self.LC_DISTRICTS, start=1):
            d = districts[code] = self.unit(
                f"LCI-{code}", f"Liên đoàn Lao động {place}", "district", lc, D(1992, 1, 1), "LĐLĐ"
            )
            self.staff(d, "chairman", D(2012, 1, 1))
            self.staff(d, "officer", D(2012, 1, 1))
            self.unit(f"LCI-{code}-CS1", f"Công đoàn cơ sở {org}", "grassroots", d, D(2000, 1, 1))
            self.unit(
                f"LCI-{code}-CS2", f"Công đoàn cơ sở UBND {place}", "grassroots", d, D(2000, 1, 1)
            )
            edu = self.unit(
                f"LCI-{code}-GD",
                f"Công đoàn Giáo dục {place}",
                "district-education",
                d,
                D(1998, 1, 1),
            )
            self.staff(edu, "chairman", D(2012, 1, 1))
            self.unit(
                f"LCI-{code}-GD-CS1", f"Công đoàn cơ sở {school}", "grassroots", edu, D(2000, 1, 1)
            )
            self.unit(
                f"LCI-{code}-GD-CS2",
                f"Công đoàn cơ sở Phòng Giáo dục và Đào tạo {place}",
                "grassroots",
                edu,
                D(2000, 1, 1),
            )
            # The 9 district education unions dissolved between 2015 and 2018.
            services.dissolve_unit(
                None,
                edu,
                receiver=d,
                effective_date=D(2015 + (i - 1) % 4, 7, 1),
                legal_basis=LC_EDU,
            )
        # 19 full-time cadres fewer: retirements not replaced and posts cut.
        leaving = Post.objects.filter(
            unit__path__startswith=lc.path,
            full_time=True,
            valid_to__isnull=True,
            post_type__code="officer",
        ).order_by("unit__path", "id")[:19]
        for n, post in enumerate(list(leaving)):
            note = "Nghỉ hưu, không bổ sung" if n % 2 else "Tinh giản biên chế (NĐ 108/2014/NĐ-CP)"
            services.end_post(None, post, valid_to=D(2015 + n % 3, 6, 30), note=note)
        # 2 sector unions, 2 departments and the training centre.
        for code in ("GTXD", "NN"):
            services.dissolve_unit(
                None, sectors[code], receiver=lc, effective_date=D(2016, 1, 1), legal_basis=LC_PLAN
            )
        services.dissolve_unit(
            None,
            depts["NC"],
            receiver=depts["TG"],
            effective_date=D(2018, 10, 1),
            legal_basis=LC_PLAN,
        )
        services.dissolve_unit(
            None,
            depts["CS"],
            receiver=depts["TC"],
            effective_date=D(2018, 10, 1),
            legal_basis=LC_PLAN,
        )
        services.dissolve_unit(
            None, center, receiver=depts["VP"], effective_date=D(2019, 1, 1), legal_basis=LC_PLAN
        )

    # --- Yên Bái --------------------------------------------------------------------------
    def yen_bai(self, u: dict[str, Unit]) -> None:
        yb = u["YBI"] = self.unit(
            "YBI", "Liên đoàn Lao động tỉnh Yên Bái", "province", u["TLD"], D(1991, 10, 1), "LĐLĐ"
        )
        self.staff(yb, "chairman", D(2015, 1, 1))
        for code, name in [("VP", "Văn phòng"), ("TC", "Ban Tổ chức"), ("TCH", "Ban Tài chính")]:
            dept = self.unit(f"YBI-{code}", name, "department", yb, D(1991, 10, 1), code)
            self.staff(dept, "officer", D(2015, 1, 1))
        for code, place in [("TP", "thành phố Yên Bái"), ("VC", "huyện Văn Chấn")]:
            d = self.unit(
                f"YBI-{code}", f"Liên đoàn Lao động {place}", "district", yb, D(1992, 1, 1), "LĐLĐ"
            )
            self.unit(
                f"YBI-{code}-CS1", f"Công đoàn cơ sở UBND {place}", "grassroots", d, D(2000, 1, 1)
            )
            self.unit(
                f"YBI-{code}-CS2",
                f"Công đoàn cơ sở Trường THPT {place[place.find(' ') + 1 :]}",
                "grassroots",
                d,
                D(2000, 1, 1),
            )

    # --- Bắc Kạn ----------------------------------------------------------------------------
    def bac_kan(self, u: dict[str, Unit]) -> None:
        bk = u["BKN"] = self.unit(
            "BKN", "Liên đoàn Lao động tỉnh Bắc Kạn", "province", u["TLD"], D(1997, 1, 1), "LĐLĐ"
        )
        self.staff(bk, "chairman", D(2013, 1, 1))
        depts = {}
        for code, name in [
            ("CTCS", "Ban Công tác cơ sở"),
            ("TGNC", "Ban Tuyên giáo & Nữ công"),
            ("TCH", "Ban Tài chính"),
            ("VP", "Văn phòng"),
            ("KT", "Ủy ban Kiểm tra"),
        ]:
            depts[code] = self.unit(f"BKN-{code}", name, "department", bk, D(1997, 1, 1), code)
            self.staff(depts[code], "head", D(2012, 1, 1))
            self.staff(depts[code], "officer", D(2012, 1, 1))
        sectors = {}
        for code, name in [
            ("YT", "Công đoàn ngành Y tế tỉnh Bắc Kạn"),
            ("GD", "Công đoàn ngành Giáo dục tỉnh Bắc Kạn"),
            ("GTVT", "Công đoàn ngành Giao thông – Vận tải tỉnh Bắc Kạn"),
            ("NN", "Công đoàn ngành Nông nghiệp & PTNT tỉnh Bắc Kạn"),
        ]:
            sectors[code] = self.unit(f"BKN-N{code}", name, "sector", bk, D(1998, 1, 1), "CĐN")
            self.unit(
                f"BKN-N{code}-CS1",
                f"Công đoàn cơ sở Văn phòng {name[10:]}",
                "grassroots",
                sectors[code],
                D(2000, 1, 1),
            )
        districts = []
        bk_districts = [
            ("TP", "thành phố Bắc Kạn", "Trường Tiểu học Nguyễn Thị Minh Khai"),
            ("BB", "huyện Ba Bể", "Trường THCS Thượng Giáo"),
            ("CD", "huyện Chợ Đồn", "Trường Tiểu học Bằng Lũng"),
        ]
        for code, place, school in bk_districts:
            d = self.unit(
                f"BKN-{code}", f"Liên đoàn Lao động {place}", "district", bk, D(1997, 6, 1), "LĐLĐ"
            )
            districts.append(d)
            self.unit(
                f"BKN-{code}-CS1", f"Công đoàn cơ sở UBND {place}", "grassroots", d, D(2000, 1, 1)
            )
            edu = self.unit(
                f"BKN-{code}-GD",
                f"Công đoàn Giáo dục {place}",
                "district-education",
                d,
                D(1998, 1, 1),
            )
            self.unit(
                f"BKN-{code}-GD-CS1", f"Công đoàn cơ sở {school}", "grassroots", edu, D(2000, 1, 1)
            )
            self.unit(
                f"BKN-{code}-GD-CS2",
                f"Công đoàn cơ sở Phòng Giáo dục và Đào tạo {place}",
                "grassroots",
                edu,
                D(2000, 1, 1),
            )
            services.dissolve_unit(
                None, edu, receiver=d, effective_date=D(2017, 7, 1), legal_basis=HD704
            )
        for code in ("GTVT", "NN"):
            services.dissolve_unit(
                None, sectors[code], receiver=bk, effective_date=D(2017, 7, 1), legal_basis=HD704
            )
        _event, merged = services.merge_units(
            None,
            [depts["TGNC"], depts["KT"]],
            new_target=NewUnit(
                code="BKN-TCKT",
                name="Ban Tổ chức Kiểm tra",
                kind=self.kinds["department"],
                parent=bk,
                abbreviation="TCKT",
            ),
            effective_date=D(2017, 9, 1),
            legal_basis=f"{DA03}; {KH70}",
            note="Sáp nhập từ 5 ban xuống còn 4 ban.",
        )
        head = merged.posts.filter(post_type__code="head", valid_to__isnull=True).first()
        services.assign_holder(
            None,
            head,
            "Hoàng Thị Chinh",
            valid_from=D(2017, 9, 1),
            note="Trưởng ban Tổ chức Kiểm tra",
        )

    # --- Thái Nguyên ----------------------------------------------------------------------
    def thai_nguyen(self, u: dict[str, Unit]) -> None:
        tn = u["TNN"] = self.unit(
            "TNN",
            "Liên đoàn Lao động tỉnh Thái Nguyên",
            "province",
            u["TLD"],
            D(1997, 1, 1),
            "LĐLĐ",
        )
        self.staff(tn, "chairman", D(2015, 1, 1))
        for code, name in [
            ("VP", "Văn phòng"),
            ("TC", "Ban Tổ chức"),
            ("CS", "Ban Chính sách – Pháp luật"),
            ("TCH", "Ban Tài chính"),
        ]:
            dept = self.unit(f"TNN-{code}", name, "department", tn, D(1997, 1, 1), code)
            self.staff(dept, "officer", D(2015, 1, 1))
        d = self.unit(
            "TNN-TP",
            "Liên đoàn Lao động thành phố Thái Nguyên",
            "district",
            tn,
            D(1997, 6, 1),
            "LĐLĐ",
        )
        self.unit(
            "TNN-TP-CS1",
            "Công đoàn cơ sở Công ty Cổ phần Gang thép Thái Nguyên",
            "grassroots",
            d,
            D(2000, 1, 1),
        )
        self.unit(
            "TNN-KCN",
            "Công đoàn các Khu công nghiệp tỉnh Thái Nguyên",
            "industrial-zone",
            tn,
            D(2008, 1, 1),
            "CĐKCN",
        )
        self.unit(
            "TNN-KCN-CS1",
            "Công đoàn cơ sở Công ty TNHH Samsung Electronics Việt Nam Thái Nguyên",
            "grassroots",
            Unit.objects.get(code="TNN-KCN"),
            D(2013, 3, 1),
        )

    # --- Hà Tĩnh ------------------------------------------------------------------------------
    def ha_tinh(self, u: dict[str, Unit]) -> None:
        ht = u["HTH"] = self.unit(
            "HTH", "Liên đoàn Lao động tỉnh Hà Tĩnh", "province", u["TLD"], D(1991, 9, 1), "LĐLĐ"
        )
        self.staff(ht, "chairman", D(2015, 1, 1))
        for code, name in [
            ("VP", "Văn phòng"),
            ("TC", "Ban Tổ chức"),
            ("TG", "Ban Tuyên giáo"),
            ("TCH", "Ban Tài chính"),
            ("KT", "Ủy ban Kiểm tra"),
        ]:
            dept = self.unit(f"HTH-{code}", name, "department", ht, D(1991, 9, 1), code)
            self.staff(dept, "officer", D(2015, 1, 1))
        vc = u["HTH-VC"] = self.unit(
            "HTH-VC",
            "Công đoàn Viên chức tỉnh Hà Tĩnh",
            "civil-servants",
            ht,
            D(2001, 1, 1),
            "CĐVC",
        )
        self.staff(vc, "chairman", D(2015, 1, 1), "Hà Văn Oanh")
        grassroots = [
            ("BHXH", "Công đoàn cơ sở Bảo hiểm Xã hội tỉnh Hà Tĩnh"),
            ("KHCN", "Công đoàn cơ sở Sở Khoa học và Công nghệ Hà Tĩnh"),
            ("VPTU", "Công đoàn cơ sở Văn phòng Tỉnh ủy Hà Tĩnh"),
            ("VPUB", "Công đoàn cơ sở Văn phòng UBND tỉnh Hà Tĩnh"),
            ("STC", "Công đoàn cơ sở Sở Tài chính Hà Tĩnh"),
            ("BTG", "Công đoàn cơ sở Ban Tuyên giáo Tỉnh ủy Hà Tĩnh"),
        ]
        for code, name in grassroots:
            u[f"HTH-VC-{code}"] = self.unit(
                f"HTH-VC-{code}", name, "grassroots", vc, D(2001, 1, 1), "CĐCS"
            )
        self.staff(
            u["HTH-VC-BHXH"], "chairman", D(2016, 1, 1), "Nguyễn Xuân Quỳnh", full_time=False
        )
        self.unit(
            "HTH-VC-KHCN-TT",
            "Công đoàn bộ phận Trung tâm Ứng dụng tiến bộ KH&CN",
            "section",
            u["HTH-VC-KHCN"],
            D(2005, 1, 1),
        )
        for code, place in [("TP", "thành phố Hà Tĩnh"), ("DT", "huyện Đức Thọ")]:
            d = self.unit(
                f"HTH-{code}", f"Liên đoàn Lao động {place}", "district", ht, D(1992, 1, 1), "LĐLĐ"
            )
            self.unit(
                f"HTH-{code}-CS1", f"Công đoàn cơ sở UBND {place}", "grassroots", d, D(2000, 1, 1)
            )

    # --- 2025 ------------------------------------------------------------------------------
    def changes_2025(self, u: dict[str, Unit]) -> None:
        services.split_unit(
            None,
            u["HTH-VC"],
            [
                NewUnit(
                    code="HTH-CQD",
                    name="Công đoàn Cơ quan Đảng tỉnh Hà Tĩnh",
                    kind=self.kinds["party-gov"],
                    parent=u["HTH"],
                    abbreviation="CĐCQĐ",
                ),
                NewUnit(
                    code="HTH-UBND",
                    name="Công đoàn Ủy ban nhân dân tỉnh Hà Tĩnh",
                    kind=self.kinds["party-gov"],
                    parent=u["HTH"],
                    abbreviation="CĐUBND",
                ),
            ],
            children={
                "HTH-VC-VPTU": "HTH-CQD",
                "HTH-VC-BTG": "HTH-CQD",
                "HTH-VC-BHXH": "HTH-UBND",
                "HTH-VC-KHCN": "HTH-UBND",
                "HTH-VC-VPUB": "HTH-UBND",
                "HTH-VC-STC": "HTH-UBND",
            },
            effective_date=D(2025, 3, 1),
            legal_basis="Chủ trương giải thể công đoàn ngành địa phương, tháng 3/2025",
        )
        day = D(2025, 7, 1)
        for province in ("LCI", "YBI", "BKN", "TNN", "HTH"):
            prov = Unit.objects.get(code=province)
            for district in Unit.objects.filter(
                parent=prov, kind__code="district", valid_to__isnull=True
            ):
                services.dissolve_unit(
                    None, district, receiver=prov, effective_date=day, legal_basis=DISTRICT_END
                )
        services.merge_units(
            None,
            [Unit.objects.get(code="BKN")],
            target=Unit.objects.get(code="TNN"),
            effective_date=day,
            legal_basis=NQ202,
            note="Tỉnh Bắc Kạn và tỉnh Thái Nguyên hợp nhất.",
        )
        services.merge_units(
            None,
            [Unit.objects.get(code="YBI")],
            target=Unit.objects.get(code="LCI"),
            effective_date=day,
            legal_basis=NQ202,
            note="Tỉnh Yên Bái và tỉnh Lào Cai hợp nhất.",
        )
