"""Restructuring events: what they change, what they refuse, and the tree as of any date."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congdoan.conftest import BASIS, kind, make_unit
from congdoan.core.models import AuditEntry
from congdoan.org import selectors, services
from congdoan.org.models import EventUnit, RestructuringEvent, Unit, UnitVersion
from congdoan.org.services import NewUnit

D = dt.date


def names(node):
    return sorted(child.name for child in node.children)


def test_move_changes_parent_path_and_keeps_history(tree, users):
    event = services.move_unit(
        users.lc_clerk, tree.lc_g1, tree.lc_d2, effective_date=D(2020, 1, 1), legal_basis=BASIS
    )
    tree.refresh()
    assert tree.lc_g1.parent == tree.lc_d2
    assert tree.lc_g1.path.startswith(tree.lc_d2.path)
    before = selectors.tree_as_of(users.admin, tree.lc_d1, D(2019, 12, 31), max_depth=1)
    after = selectors.tree_as_of(users.admin, tree.lc_d1, D(2020, 1, 1), max_depth=1)
    assert names(before) == ["Công đoàn cơ sở Trường THCS Bản Vược"]
    assert names(after) == []
    assert event.kind == "move"
    assert AuditEntry.objects.filter(object_id=str(tree.lc_g1.pk), action="event").exists()


def test_move_into_own_subtree_is_a_cycle(tree, users):
    with pytest.raises(ValidationError) as exc:
        services.move_unit(
            users.lc_clerk, tree.lc_d1, tree.lc_g1, effective_date=D(2020, 1, 1), legal_basis=BASIS
        )
    assert "cycle" in str(exc.value) or "vòng" in str(exc.value)
    assert "parent" in exc.value.message_dict
    tree.refresh()
    assert tree.lc_d1.parent == tree.lc


def test_event_on_unit_not_yet_alive_is_refused(tree, users):
    with pytest.raises(ValidationError) as exc:
        services.rename_unit(
            users.lc_clerk, tree.lc_d1, name="X", effective_date=D(1990, 1, 1), legal_basis=BASIS
        )
    assert "unit" in exc.value.message_dict
    assert RestructuringEvent.objects.filter(kind="rename").count() == 0


def test_events_must_be_recorded_in_date_order(tree, users):
    services.rename_unit(
        users.lc_clerk, tree.lc_d1, name="LĐLĐ Bát Xát", effective_date=D(2020, 1, 1),
        legal_basis=BASIS,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="20"):
        services.rename_unit(
            users.lc_clerk, tree.lc_d1, name="Khác", effective_date=D(2019, 1, 1), legal_basis=BASIS
        )


def test_future_date_and_missing_legal_basis_are_refused(tree, users):
    with pytest.raises(ValidationError) as exc:
        services.rename_unit(users.lc_clerk, tree.lc_d1, name="X", effective_date=D(2999, 1, 1),
                             legal_basis=BASIS)  # fmt: skip
    assert "effective_date" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.rename_unit(users.lc_clerk, tree.lc_d1, name="X", effective_date=D(2020, 1, 1),
                             legal_basis="  ")  # fmt: skip
    assert "legal_basis" in exc.value.message_dict


def test_dissolve_without_receiver_would_orphan_children(tree, users):
    with pytest.raises(ValidationError) as exc:
        services.dissolve_unit(users.lc_clerk, tree.lc_d1, effective_date=D(2025, 7, 1),
                               legal_basis=BASIS)  # fmt: skip
    assert "receiver" in exc.value.message_dict
    tree.refresh()
    assert tree.lc_d1.valid_to is None


def test_dissolve_moves_children_and_posts_to_receiver(tree, users):
    post = services.create_post(None, tree.lc_d1, _post_type("chairman"), full_time=True,
                                valid_from=D(2015, 1, 1))  # fmt: skip
    services.assign_holder(None, post, "Vàng Văn Sử", valid_from=D(2015, 1, 1))
    services.dissolve_unit(users.lc_clerk, tree.lc_d1, receiver=tree.lc,
                           effective_date=D(2025, 7, 1), legal_basis=BASIS)  # fmt: skip
    tree.refresh()
    assert tree.lc_d1.valid_to == D(2025, 7, 1)
    assert tree.lc_g1.parent == tree.lc
    staff = selectors.staff_on(tree.lc, D(2025, 7, 1))
    assert [h.holder_name for s in staff for h in s["holders"]] == ["Vàng Văn Sử"]
    assert selectors.staff_on(tree.lc_d1, D(2025, 6, 30))[0]["holders"][0].holder_name == (
        "Vàng Văn Sử"
    )
    # The dissolved unit stays, with its history, and is kept under its receiver.
    assert tree.lc_d1.path.startswith(tree.lc.path)
    assert selectors.tree_as_of(users.admin, tree.lc_d1, D(2025, 7, 1)) is None
    assert selectors.tree_as_of(users.admin, tree.lc_d1, D(2025, 6, 30)) is not None


def test_merge_into_new_unit(tree, users):
    dept2 = make_unit("LCI-KT", "Ủy ban Kiểm tra", "department", tree.lc, D(1991, 10, 1))
    event, _merged = services.merge_units(
        users.lc_clerk,
        [tree.lc_vp, dept2],
        new_target=NewUnit(
            code="LCI-VPKT", name="Văn phòng – Kiểm tra", kind=kind("department"), parent=tree.lc
        ),
        effective_date=D(2017, 9, 1),
        legal_basis="Đề án số 03-ĐA/TU",
    )
    tree.refresh()
    dept2.refresh_from_db()
    assert tree.lc_vp.valid_to == dept2.valid_to == D(2017, 9, 1)
    before = names(selectors.tree_as_of(users.admin, tree.lc, D(2017, 8, 31), max_depth=1))
    after = names(selectors.tree_as_of(users.admin, tree.lc, D(2017, 9, 1), max_depth=1))
    assert "Văn phòng" in before and "Ủy ban Kiểm tra" in before
    assert "Văn phòng – Kiểm tra" in after and "Văn phòng" not in after
    roles = set(event.touched.values_list("role", flat=True))
    assert roles == {EventUnit.Role.CREATED, EventUnit.Role.ENDED}


def test_merge_refuses_target_inside_a_source(tree, users):
    with pytest.raises(ValidationError) as exc:
        services.merge_units(users.lc_clerk, [tree.lc_d1], target=tree.lc_g1,
                             effective_date=D(2020, 1, 1), legal_basis=BASIS)  # fmt: skip
    assert "target" in exc.value.message_dict


def test_split_sends_children_where_told(tree, users):
    _event, (a, b) = services.split_unit(
        users.lc_clerk,
        tree.lc_d1,
        [
            NewUnit(code="N1", name="Công đoàn xã Bản Qua", kind=kind("commune"), parent=None),
            NewUnit(code="N2", name="Công đoàn xã Bản Vược", kind=kind("commune"), parent=None),
        ],
        children={"LCI-D1-G1": "N2"},
        effective_date=D(2025, 7, 1),
        legal_basis=BASIS,
    )
    tree.refresh()
    assert a.parent == tree.lc and b.parent == tree.lc
    assert tree.lc_g1.parent == b
    assert tree.lc_d1.valid_to == D(2025, 7, 1)


def test_split_rejects_unknown_child_mapping(tree, users):
    with pytest.raises(ValidationError) as exc:
        services.split_unit(
            users.lc_clerk, tree.lc_d1,
            [NewUnit(code="N1", name="A", kind=kind("commune"), parent=None),
             NewUnit(code="N2", name="B", kind=kind("commune"), parent=None)],
            children={"HTH-G1": "N1"}, effective_date=D(2025, 7, 1), legal_basis=BASIS,
        )  # fmt: skip
    assert "children" in exc.value.message_dict
    assert not Unit.objects.filter(code__in=["N1", "N2"]).exists()


def test_reversal_restores_the_tree_and_keeps_both_events(tree, users):
    wrong = services.dissolve_unit(users.lc_clerk, tree.lc_d1, receiver=tree.lc_d2,
                                   effective_date=D(2024, 1, 1), legal_basis=BASIS)  # fmt: skip
    reversal = services.reverse_event(users.lc_clerk, wrong, legal_basis="Quyết định đính chính")
    tree.refresh()
    assert tree.lc_d1.valid_to is None
    assert tree.lc_g1.parent == tree.lc_d1
    assert tree.lc_g1.path.startswith(tree.lc_d1.path)
    assert tree.lc_d1.path.startswith(tree.lc.path) and not tree.lc_d1.path.startswith(
        tree.lc_d2.path
    )
    today = selectors.tree_as_of(users.admin, tree.lc, D(2024, 6, 1), max_depth=2)
    assert "Liên đoàn Lao động huyện Bát Xát" in names(today)
    assert RestructuringEvent.objects.filter(pk__in=[wrong.pk, reversal.pk]).count() == 2
    with pytest.raises(ValidationError):
        services.reverse_event(users.lc_clerk, wrong, legal_basis="again")


def test_reversal_refused_when_a_unit_changed_since(tree, users):
    wrong = services.move_unit(users.lc_clerk, tree.lc_g1, tree.lc_d2,
                               effective_date=D(2020, 1, 1), legal_basis=BASIS)  # fmt: skip
    services.rename_unit(users.lc_clerk, tree.lc_g1, name="Tên mới",
                         effective_date=D(2021, 1, 1), legal_basis=BASIS)  # fmt: skip
    with pytest.raises(ValidationError, match=r"Tên mới|changed|thay đổi"):
        services.reverse_event(users.lc_clerk, wrong, legal_basis="đính chính")


def test_reversal_of_a_merge_into_a_new_unit(tree, users):
    event, merged = services.merge_units(
        users.lc_clerk, [tree.lc_d1, tree.lc_d2],
        new_target=NewUnit(code="LCI-D12", name="LĐLĐ liên huyện", kind=kind("district"),
                           parent=tree.lc),
        effective_date=D(2022, 1, 1), legal_basis=BASIS,
    )  # fmt: skip
    services.reverse_event(users.lc_clerk, event, legal_basis="đính chính")
    tree.refresh()
    merged.refresh_from_db()
    assert merged.valid_to == D(2022, 1, 1)  # never alive: established and reversed the same day
    assert tree.lc_g1.parent == tree.lc_d1 and tree.lc_g2.parent == tree.lc_d2
    assert selectors.streamlining(tree.lc, D(2021, 1, 1), D(2023, 1, 1)).removed_total == 0


def test_out_of_scope_actor_cannot_record_events(tree, users):
    with pytest.raises(PermissionDenied):
        services.rename_unit(users.ht_clerk, tree.lc_d1, name="X", effective_date=D(2020, 1, 1),
                             legal_basis=BASIS)  # fmt: skip
    with pytest.raises(PermissionDenied):  # a specialist may look but not change
        services.rename_unit(users.lc_specialist, tree.lc_d1, name="X",
                             effective_date=D(2020, 1, 1), legal_basis=BASIS)  # fmt: skip


def test_versions_never_overlap(tree, users):
    services.rename_unit(users.lc_clerk, tree.lc_d1, name="A", effective_date=D(2010, 1, 1),
                         legal_basis=BASIS)  # fmt: skip
    services.move_unit(users.admin, tree.lc_d1, tree.ht, effective_date=D(2012, 1, 1),
                       legal_basis=BASIS)  # fmt: skip
    versions = list(UnitVersion.objects.filter(unit=tree.lc_d1).order_by("valid_from"))
    assert [(v.valid_from, v.valid_to) for v in versions] == [
        (D(2000, 1, 1), D(2010, 1, 1)),
        (D(2010, 1, 1), D(2012, 1, 1)),
        (D(2012, 1, 1), None),
    ]


def test_record_event_from_data_names_the_field(tree, users):
    with pytest.raises(ValidationError) as exc:
        services.record_event(users.lc_clerk, {"kind": "move", "effective_date": "2020-01-01",
                                               "legal_basis": BASIS, "unit": "LCI-D1",
                                               "parent": "HTH"})  # fmt: skip
    # HTH is outside the clerk's scope: it looks like it does not exist.
    assert "parent" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.record_event(users.lc_clerk, {"kind": "teleport", "effective_date": "2020-01-01",
                                               "legal_basis": BASIS})  # fmt: skip
    assert "kind" in exc.value.message_dict


def _post_type(code):
    from congdoan.org.models import PostType

    return PostType.objects.get(code=code)
