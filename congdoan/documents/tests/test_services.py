"""Outgoing and incoming documents through the services: numbering, distribution, registers,
processing, recall. Users and units come from ``congdoan/conftest.py``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from congdoan.accounts.permissions import Role
from congdoan.conftest import make_unit, make_user
from congdoan.documents import selectors, services
from congdoan.documents.models import Assignment, Delivery, Document, ProcessingEntry, Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages asserted here are the English source texts."""
    with translation.override("en"):
        yield


def draft(unit, actor=None, **overrides):
    data = {
        "doc_type": "KH",
        "subject": "Tổ chức các hoạt động Tháng Công nhân năm 2026",
        "body": "Thực hiện Kế hoạch của Tổng Liên đoàn…",
        "recipient_spec": [{"unit": unit.code, "mode": "grassroots"}],
        "signer_name": "Nguyễn Hữu Long",
        "signer_position": "CHỦ TỊCH",
    }
    data.update(overrides)
    return services.create_outgoing(actor, unit, data)


def issued(unit, actor=None, **overrides):
    document = draft(unit, actor, **overrides)
    services.submit_for_signature(None, document)
    services.sign(None, document)
    return services.issue(None, document).document


def test_issue_numbers_per_issuer_and_year_from_01_with_the_state_symbol(tree):
    first = issued(tree.lc)
    second = issued(tree.lc, doc_type="HD")
    other = issued(tree.ht)
    assert (first.number, first.symbol) == (1, "01/KH-LĐLĐ")
    assert (second.number, second.symbol) == (2, "02/HD-LĐLĐ")
    assert other.symbol == "01/KH-LĐLĐ"  # Hà Tĩnh's own series
    assert first.issued_on == timezone.localdate() and first.year == first.issued_on.year


def test_cong_van_symbol_is_issuer_and_drafting_department(tree):
    document = issued(tree.lc, doc_type="CV", drafting_unit=tree.lc_vp, subject="V/v báo cáo")
    assert document.symbol == "01/LĐLĐ-VP"


def test_cong_van_without_department_is_refused_naming_the_field(tree):
    with pytest.raises(ValidationError) as info:
        draft(tree.lc, doc_type="CV", drafting_unit=None)
    assert "drafting_unit" in info.value.message_dict


def test_classified_documents_have_their_own_series(tree):
    issued(tree.lc)
    secret = issued(tree.lc, confidentiality=1)
    normal = issued(tree.lc)
    assert secret.number == 1 and secret.secret_series
    assert normal.number == 2


def test_issue_needs_a_signed_document_and_the_clerks_right(tree, users):
    document = draft(tree.lc, users.lc_specialist)
    with pytest.raises(ValidationError):
        services.issue(None, document)
    services.submit_for_signature(users.lc_specialist, document)
    with pytest.raises(PermissionDenied):
        services.sign(users.lc_specialist, document)  # a chuyên viên does not sign
    services.sign(None, document)
    with pytest.raises(PermissionDenied):
        services.issue(users.lc_specialist, document)
    result = services.issue(users.lc_clerk, document)
    assert result.document.status == Status.ISSUED


def test_returned_draft_needs_a_reason_and_goes_back_to_draft(tree):
    document = draft(tree.lc)
    services.submit_for_signature(None, document)
    with pytest.raises(ValidationError):
        services.return_to_drafter(None, document, "  ")
    back = services.return_to_drafter(None, document, "Bổ sung số liệu quý III")
    assert back.status == Status.DRAFT
    assert ProcessingEntry.objects.filter(document=document, action="returned").exists()


def test_issue_delivers_to_every_grassroots_union_under_the_unit(tree, users):
    document = issued(tree.lc)
    recipients = set(
        Delivery.objects.filter(document=document).values_list("recipient__code", flat=True)
    )
    assert recipients == {"LCI-D1-G1", "LCI-D2-G1"}
    # The chair of one of them sees it in the inbox, the other union's does not.
    inbox = selectors.inbox(users.chair, tree.lc_g1)
    assert [d.document_id for d in inbox] == [document.pk]
    with pytest.raises(Exception):  # noqa: B017 - Http404
        list(selectors.inbox(users.chair, tree.lc_g2))


def test_recipient_rules_one_by_one_and_by_kind(tree):
    spec = [
        {"unit": "HTH-G1", "mode": "unit"},
        {"unit": "LCI", "mode": "kind", "kind": "district"},
        {"unit": "HTH-G1", "mode": "unit"},
    ]
    document = issued(tree.lc, recipient_spec=spec)
    codes = sorted(
        Delivery.objects.filter(document=document).values_list("recipient__code", flat=True)
    )
    assert codes == ["HTH-G1", "LCI-D1", "LCI-D2"]


def test_unknown_recipient_code_is_refused_with_its_position(tree):
    with pytest.raises(ValidationError) as info:
        draft(tree.lc, recipient_spec=[{"unit": "LCI", "mode": "unit"}, {"unit": "NOPE"}])
    assert "recipient 2" in str(info.value)
    assert "NOPE" in str(info.value)


def test_sender_sees_opened_and_acknowledged(tree, users):
    document = issued(tree.lc)
    delivery = Delivery.objects.get(document=document, recipient=tree.lc_g1)
    services.open_delivery(users.chair, delivery)
    summary = selectors.delivery_summary(document)
    assert (summary.total, summary.opened, summary.acknowledged) == (2, 1, 0)
    services.acknowledge(users.chair, delivery)
    summary = selectors.delivery_summary(document)
    assert (summary.opened, summary.acknowledged) == (1, 1)
    assert ProcessingEntry.objects.filter(
        document=document, action="acknowledged", status_code="03"
    ).exists()


def test_registering_a_delivery_gives_the_next_incoming_number(tree, users):
    first = issued(tree.lc)
    second = issued(tree.lc, doc_type="TB", subject="Thông báo lịch họp")
    d1 = Delivery.objects.get(document=first, recipient=tree.lc_g1)
    d2 = Delivery.objects.get(document=second, recipient=tree.lc_g1)
    in1 = services.register_delivery(users.chair, d1)
    in2 = services.register_delivery(users.chair, d2)
    assert (in1.incoming_number, in2.incoming_number) == (1, 2)
    assert in1.symbol == "01/KH-LĐLĐ" and in1.origin == first
    assert services.register_delivery(users.chair, d1) == in1  # twice is the same entry


def test_paper_document_registered_twice_is_a_duplicate(tree, users):
    data = {
        "doc_type": "NQ",
        "symbol": "Số: 18-NQ/TW",
        "issuer_name": "Ban Chấp hành Trung ương",
        "issued_on": dt.date(2017, 10, 25),
        "subject": "Một số vấn đề về tiếp tục đổi mới, sắp xếp tổ chức bộ máy",
    }
    first = services.register_incoming(users.lc_clerk, tree.lc, data)
    assert first.incoming_number == 1 and first.symbol == "18-NQ/TW" and first.number == 18
    with pytest.raises(ValidationError) as info:
        services.register_incoming(users.lc_clerk, tree.lc, {**data, "symbol": "18 - NQ/TW"})
    assert "incoming number 1" in str(info.value)
    # The same symbol from another issuer is another document.
    other = services.register_incoming(
        users.lc_clerk, tree.lc, {**data, "issuer_name": "Tỉnh ủy Lào Cai"}
    )
    assert other.incoming_number == 2
    # It is in the unit's inbox too.
    assert selectors.inbox(users.lc_clerk, tree.lc).filter(registered_as=first).exists()


def test_incoming_validation_names_fields(tree, users):
    with pytest.raises(ValidationError) as info:
        services.register_incoming(
            users.lc_clerk,
            tree.lc,
            {
                "subject": "",
                "issuer_name": "",
                "received_on": timezone.localdate() + dt.timedelta(days=1),
            },
        )
    assert {"subject", "issuer_name", "received_on"} <= set(info.value.message_dict)
    assert not Document.objects.exists()


def test_processing_assign_work_done_and_timeliness(tree, users):
    leader = make_user("lc.leader", Role.LEADER, tree.lc)
    document = services.register_incoming(
        users.lc_clerk,
        tree.lc,
        {"doc_type": "CV", "symbol": "123/UBND-VX", "issuer_name": "UBND tỉnh Lào Cai",
         "subject": "V/v triển khai Tháng hành động về an toàn vệ sinh lao động"},
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.assign(users.lc_clerk, document, assignee_unit=tree.lc_vp)
    today = timezone.localdate()
    item = services.assign(
        leader, document, assignee_unit=tree.lc_vp, instruction="VP tham mưu", deadline=today
    )
    document.refresh_from_db()
    assert document.status == Status.ASSIGNED and document.deadline == today
    tasks = selectors.my_tasks(users.lc_clerk)  # the clerk holds a role at LCI, not at VP
    assert tasks == []
    vp_clerk = make_user("vp", Role.SPECIALIST, tree.lc_vp)
    tasks = selectors.my_tasks(vp_clerk, today=today + dt.timedelta(days=1))
    assert [t.assignment for t in tasks] == [item] and tasks[0].overdue
    assert [t.assignment for t in selectors.watched_tasks(leader)] == [item]
    services.start_work(vp_clerk, item)
    services.complete(vp_clerk, item, note="Đã tham mưu văn bản trả lời")
    document.refresh_from_db()
    assert document.status == Status.DONE
    rows = selectors.timeliness(leader, tree.lc, today, today)
    assert [(r.department, r.done_on_time, r.done_late) for r in rows] == [("Văn phòng", 1, 0)]


def test_someone_else_cannot_complete_a_personal_assignment(tree, users):
    leader = make_user("lc.leader", Role.LEADER, tree.lc)
    document = services.register_incoming(
        users.lc_clerk, tree.lc, {"subject": "Giấy mời họp", "issuer_name": "Sở Nội vụ"}
    )
    item = services.assign(leader, document, assignee=users.lc_specialist, deadline=None)
    other = make_user("ht.x", Role.SPECIALIST, tree.ht)
    with pytest.raises(PermissionDenied):
        services.complete(other, item)
    services.complete(users.lc_specialist, item)
    assert Assignment.objects.get(pk=item.pk).state == Assignment.State.DONE


def test_recall_freezes_and_tells_every_recipient(tree, users):
    document = issued(tree.lc)
    registered = services.register_delivery(
        users.chair, Delivery.objects.get(document=document, recipient=tree.lc_g1)
    )
    services.recall(users.lc_clerk, document, "Ban hành nhầm đối tượng")
    assert Delivery.objects.filter(document=document, recalled_at__isnull=False).count() == 2
    registered.refresh_from_db()
    assert registered.is_recalled
    assert Document.objects.filter(pk=document.pk).exists()  # nothing deleted
    with pytest.raises(ValidationError):
        services.recall(users.lc_clerk, document, "again")
    with pytest.raises(ValidationError):
        services.assign(None, registered, assignee_unit=tree.lc_g1)


def test_classified_documents_hidden_from_roles_without_the_right(tree, users):
    secret = issued(tree.lc, confidentiality=1, recipient_spec=[{"unit": "LCI", "mode": "unit"}])
    assert secret in selectors.visible_documents(users.lc_clerk)
    assert secret not in selectors.visible_documents(users.lc_specialist)
    assert not selectors.inbox(users.lc_specialist, tree.lc).exists()
    assert selectors.inbox(users.lc_clerk, tree.lc).count() == 1


def test_recipient_can_read_the_sent_document_but_not_a_draft(tree, users):
    document = issued(tree.lc)
    assert selectors.get_document(users.chair, document.pk) == document
    pending = draft(tree.lc)
    with pytest.raises(Exception):  # noqa: B017 - Http404
        selectors.get_document(users.chair, pending.pk)
    with pytest.raises(Exception):  # noqa: B017 - Http404
        selectors.get_document(users.ht_clerk, document.pk)


def test_district_clerk_issues_to_its_own_grassroots_only(tree):
    g3 = make_unit("LCI-D1-G2", "Công đoàn cơ sở Trạm Y tế Bản Vược", "grassroots", tree.lc_d1)
    tree.lc_d1.abbreviation = "LĐLĐ"
    tree.lc_d1.save()
    document = issued(tree.lc_d1, recipient_spec=[{"unit": "LCI-D1", "mode": "grassroots"}])
    codes = set(
        Delivery.objects.filter(document=document).values_list("recipient__code", flat=True)
    )
    assert codes == {"LCI-D1-G1", g3.code}


def test_a_department_specialist_reads_and_comments_on_what_is_assigned_to_it(tree, users):
    leader = make_user("lc.leader", Role.LEADER, tree.lc)
    vp = make_user("vp", Role.SPECIALIST, tree.lc_vp)
    document = services.register_incoming(
        users.lc_clerk, tree.lc, {"subject": "Giấy mời dự hội nghị", "issuer_name": "Sở Nội vụ"}
    )
    with pytest.raises(Exception):  # noqa: B017 - Http404 before the assignment
        selectors.get_document(vp, document.pk)
    services.assign(leader, document, assignee_unit=tree.lc_vp, deadline=None)
    assert selectors.get_document(vp, document.pk) == document
    services.comment(vp, document, "Đã liên hệ Sở Nội vụ")
    assert ProcessingEntry.objects.filter(document=document, action="commented").count() == 1


def test_incoming_numbers_restart_with_the_year_received_not_the_documents_year(tree, users):
    january = services.register_incoming(
        users.lc_clerk,
        tree.lc,
        {"subject": "Thông báo đầu năm", "issuer_name": "Sở Nội vụ", "symbol": "01/TB-SNV",
         "issued_on": dt.date(2024, 1, 2), "received_on": dt.date(2024, 1, 3)},
    )  # fmt: skip
    late = services.register_incoming(
        users.lc_clerk,
        tree.lc,
        {"subject": "Giấy mời cuối năm", "issuer_name": "Sở Nội vụ", "symbol": "99/GM-SNV",
         "issued_on": dt.date(2024, 12, 30), "received_on": dt.date(2025, 1, 2)},
    )  # fmt: skip
    assert (january.incoming_number, late.incoming_number) == (1, 1)
    assert late.received_on.year == 2025


def test_my_work_cut_keeps_the_most_pressing(tree, users):
    """When a user has more open work than the page lists, the urgent and overdue items are
    the ones kept, not the newest."""
    leader = make_user("lc.leader", Role.LEADER, tree.lc)
    vp_clerk = make_user("vp", Role.SPECIALIST, tree.lc_vp)
    today = timezone.localdate()
    flash = services.register_incoming(
        users.lc_clerk, tree.lc, {"subject": "Hỏa tốc: báo cáo ngay", "issuer_name": "UBND tỉnh",
                                  "urgency": 3, "received_on": today - dt.timedelta(days=5)},
    )  # fmt: skip
    pressing = services.assign(
        leader, flash, assignee_unit=tree.lc_vp, deadline=today - dt.timedelta(days=3)
    )
    for n in range(3):  # newer, routine
        routine = services.register_incoming(
            users.lc_clerk, tree.lc, {"subject": f"Công văn thường {n}", "issuer_name": "Sở"}
        )
        services.assign(leader, routine, assignee_unit=tree.lc_vp)
    kept = selectors.my_tasks(vp_clerk, limit=2)
    assert kept[0].assignment == pressing and kept[0].overdue
    assert [t.assignment for t in selectors.watched_tasks(leader, limit=1)] == [pressing]
