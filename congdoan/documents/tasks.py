"""Background work on documents: text recognition (OCR) of scanned attachments."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def ocr_attachment_task(attachment_id: int, job_id: str) -> dict[str, Any]:
    """Recognise the text of one attachment; progress per page in the job."""
    from congdoan.documents import services

    attachment = services.run_ocr(attachment_id, job_id)
    return {"attachment": attachment.pk, "ocr": attachment.ocr, "pages": attachment.pages}
