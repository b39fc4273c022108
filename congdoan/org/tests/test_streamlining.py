"""The streamlining report is computed from events and staffing, never typed in."""

import datetime as dt

from django.core.management import call_command

from congdoan.org import selectors
from congdoan.org.models import Unit

D = dt.date


def test_lao_cai_figures_come_from_the_demo_events(db):
    call_command("loaddemo", "--quiet-users")
    lao_cai = Unit.objects.get(code="LCI")
    report = selectors.streamlining(lao_cai, D(2015, 1, 1), D(2020, 12, 31))
    assert report.removed_total == 14
    by_kind = {k.code: n for k, n in report.removed_by_kind}
    assert by_kind == {"district-education": 9, "sector": 2, "department": 2, "center": 1}
    assert report.cadres_reduced == 19
    assert len(report.cadre_departures) == 19
    assert len(report.events) == 14


def test_bac_kan_five_departments_in_2016_four_in_2018(db):
    call_command("loaddemo", "--quiet-users")
    from congdoan.accounts.models import User

    admin = User.objects.get(username="admin")
    bac_kan = Unit.objects.get(code="BKN")

    def departments(day):
        node = selectors.tree_as_of(admin, bac_kan, day, max_depth=1)
        return sorted(c.name for c in node.children if c.code.startswith("BKN-") and
                      Unit.objects.get(code=c.code).kind.is_department)  # fmt: skip

    assert departments(D(2016, 1, 1)) == sorted(
        ["Ban Công tác cơ sở", "Ban Tuyên giáo & Nữ công", "Ban Tài chính", "Văn phòng",
         "Ủy ban Kiểm tra"]
    )  # fmt: skip
    assert departments(D(2018, 1, 1)) == sorted(
        ["Ban Công tác cơ sở", "Ban Tổ chức Kiểm tra", "Ban Tài chính", "Văn phòng"]
    )
    # Bắc Kạn merged into Thái Nguyên on 01/07/2025.
    assert selectors.tree_as_of(admin, bac_kan, D(2025, 7, 1)) is None
    assert bac_kan.path.startswith(Unit.objects.get(code="TNN").path) or (
        Unit.objects.get(code="BKN").path.startswith(Unit.objects.get(code="TNN").path)
    )


def test_loaddemo_twice_changes_nothing(db):
    call_command("loaddemo", "--quiet-users")
    count = Unit.objects.count()
    call_command("loaddemo", "--quiet-users")
    assert Unit.objects.count() == count


def test_cadre_counts_follow_holdings(tree):
    from congdoan.core.scoping import Scope
    from congdoan.org import services
    from congdoan.org.models import PostType

    post = services.create_post(None, tree.lc_vp, PostType.objects.get(code="officer"),
                                full_time=True, valid_from=D(2010, 1, 1))  # fmt: skip
    holding = services.assign_holder(None, post, "Lò Văn Pấng", valid_from=D(2010, 1, 1))
    scope = Scope.of([tree.lc.path])
    assert selectors.full_time_cadres(scope, D(2016, 1, 1)) == 1
    services.end_holding(None, holding, valid_to=D(2017, 1, 1), note="Nghỉ hưu")
    assert selectors.full_time_cadres(scope, D(2016, 12, 31)) == 1
    assert selectors.full_time_cadres(scope, D(2017, 1, 1)) == 0
    report = selectors.streamlining(tree.lc, D(2016, 1, 1), D(2018, 1, 1))
    assert report.cadres_reduced == 1
    assert [h.holder_name for h in report.cadre_departures] == ["Lò Văn Pấng"]
