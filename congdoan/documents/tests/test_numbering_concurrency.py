"""Two clerks issuing at the same instant: on PostgreSQL, with real concurrent transactions,
every document gets its own number, none skipped, none reused."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from congdoan.documents import services
from congdoan.documents.models import Document, NumberSeries

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL"
    ),
]

CLERKS = 8


def signed(unit, n: int) -> Document:
    document = services.create_outgoing(
        None,
        unit,
        {
            "doc_type": "TB",
            "subject": f"Thông báo số {n}",
            "recipient_spec": [{"unit": unit.code, "mode": "grassroots"}],
        },
    )
    services.submit_for_signature(None, document)
    return services.sign(None, document)


def test_concurrent_issues_get_consecutive_unique_numbers(tree):
    documents = [signed(tree.lc, n) for n in range(CLERKS)]
    barrier = threading.Barrier(CLERKS)
    errors: list[BaseException] = []

    def clerk(document: Document) -> None:
        try:
            barrier.wait(timeout=10)
            services.issue(None, document)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk, args=(d,)) for d in documents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    numbers = sorted(
        Document.objects.filter(pk__in=[d.pk for d in documents]).values_list("number", flat=True)
    )
    assert numbers == list(range(1, CLERKS + 1))
    assert NumberSeries.objects.get(unit=tree.lc, kind="out").last_number == CLERKS
