"""OCR of scanned attachments with OCRmyPDF and Tesseract, in Vietnamese by default.

The PDF is split into pages with pypdf; each page without a usable text layer goes through
``ocrmypdf`` on its own (a few at a time), so that progress is reported page by page and one
slow page cannot hide the others; pages that already have text are kept as they are. The pages
are put back together into a searchable PDF, and the text comes from Tesseract's own output
(``--sidecar``), which keeps every Vietnamese diacritic it recognised.

Needs the Debian packages ``ocrmypdf``, ``tesseract-ocr`` and ``tesseract-ocr-vie``;
:func:`available` says whether they are there. Settings: ``DOCUMENT_OCR_JOBS`` (pages OCRed at
the same time, default 2).
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_MIN_PAGE_CHARS = 15  # the same threshold as files.extract_text
_STDERR_TAIL = 2000

Progress = Callable[[int, int], None]


class OcrError(Exception):
    """Base of the errors of this module."""


class OcrUnavailable(OcrError):
    """ocrmypdf, tesseract or the requested Tesseract language is not installed."""


class OcrFailed(OcrError):
    """OCR ran and failed (or timed out); the message ends with the tail of its stderr."""


@dataclass
class OcrResult:
    """The recognised text (NFC, pages separated by ``"\\f"``), page count and searchable PDF.

    ``ocr_pages`` is how many pages went through OCR (the others had a text layer already).
    """

    text: str
    pages: int
    pdf: bytes
    ocr_pages: int = 0


_available: dict[str, bool] = {}
_available_lock = threading.Lock()


def reset() -> None:
    """Forget what :func:`available` found (after installing a package, or in tests)."""
    with _available_lock:
        _available.clear()


def available(language: str = "vie") -> bool:
    """Whether ``ocrmypdf`` and ``tesseract`` with ``language`` are installed (cached)."""
    with _available_lock:
        if language not in _available:
            _available[language] = _probe(language)
        return _available[language]


def _probe(language: str) -> bool:
    tesseract = shutil.which("tesseract")
    if not shutil.which("ocrmypdf") or not tesseract:
        return False
    try:
        done = subprocess.run(  # noqa: S603 - fixed program, list arguments, no shell
            [tesseract, "--list-langs"], capture_output=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    # The first line is a heading ("List of available languages in ...").
    output = (done.stdout + done.stderr).decode("utf-8", "replace").splitlines()
    installed = {line.strip() for line in output[1:]}
    return all(part in installed for part in language.split("+"))


def _jobs() -> int:
    try:
        wanted = getattr(settings, "DOCUMENT_OCR_JOBS", 2)
    except ImproperlyConfigured:
        wanted = 2
    return max(1, min(int(wanted), os.cpu_count() or 1))


def _letters(text: str) -> int:
    return sum(1 for c in text if c.isalnum())


class _Processes:
    """The ocrmypdf processes running for one call, so that a failure can stop them all."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen[bytes]] = set()
        self.cancelled = False

    def run(self, argv: list[str], deadline: float, cwd: str) -> tuple[int, bytes]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise OcrFailed("OCR timed out")
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        with self._lock:
            if self.cancelled:
                raise OcrFailed("OCR cancelled")
            process = subprocess.Popen(  # noqa: S603 - fixed program, list arguments, no shell
                argv,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,  # its own process group, to stop tesseract with it
            )
            self._running.add(process)
        try:
            _stdout, stderr = process.communicate(timeout=remaining)
        except subprocess.TimeoutExpired:
            self._kill(process)
            process.communicate()
            raise OcrFailed("OCR timed out") from None
        finally:
            with self._lock:
                self._running.discard(process)
        return process.returncode, stderr

    @staticmethod
    def _kill(process: subprocess.Popen[bytes]) -> None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            process.kill()

    def cancel(self) -> None:
        with self._lock:
            self.cancelled = True
            for process in self._running:
                self._kill(process)


def _ocr_page(
    page_pdf: bytes,
    force: bool,
    *,
    index: int,
    folder: str,
    language: str,
    deadline: float,
    processes: _Processes,
) -> tuple[bytes, str]:
    """(searchable one-page PDF, recognised text) of a one-page PDF."""
    source = os.path.join(folder, f"page-{index}.pdf")
    target = os.path.join(folder, f"page-{index}-ocr.pdf")
    sidecar = os.path.join(folder, f"page-{index}.txt")
    with open(source, "wb") as handle:
        handle.write(page_pdf)
    executable = shutil.which("ocrmypdf") or "ocrmypdf"
    argv = [
        executable,
        "--quiet",
        "-l",
        language,
        "--output-type",
        "pdf",
        "--optimize",
        "0",
        "--jobs",
        "1",
        "--rotate-pages",
        "--sidecar",
        sidecar,
        "--force-ocr" if force else "--skip-text",
        source,
        target,
    ]
    code, stderr = processes.run(argv, deadline, folder)
    if code != 0 or not os.path.exists(target):
        tail = stderr.decode("utf-8", "replace")[-_STDERR_TAIL:].strip()
        raise OcrFailed(f"ocrmypdf failed on page {index + 1} (exit {code}): {tail}")
    with open(target, "rb") as handle:
        pdf = handle.read()
    text = ""
    if os.path.exists(sidecar):
        with open(sidecar, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    if "[OCR skipped on page" in text:
        text = ""
    if not text.strip():
        text = _pdf_text(pdf)
    return pdf, text.replace("\f", "\n").strip()


def _pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    try:
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    except Exception:
        return ""


def ocr_pdf(
    data: bytes,
    *,
    language: str = "vie",
    progress: Progress | None = None,
    timeout: int = 600,
) -> OcrResult:
    """OCR the pages of a PDF that have no text layer; return its text and a searchable PDF.

    Pages whose text layer is empty get ``ocrmypdf --skip-text``; those with a near-empty one
    (a stamp, a page number) ``--force-ocr``; those with text are kept. ``progress(done,
    total)`` is called with ``done = 0`` first and after each page, from the calling thread.
    ``timeout`` bounds the whole call, in seconds. An exception raised by ``progress`` (a
    cancelled task, say) stops the OCR processes and propagates. Raises
    :class:`OcrUnavailable` when the tools are missing, :class:`OcrFailed` on an unreadable or
    encrypted PDF, a failed page or a timeout.
    """
    from pypdf import PdfReader, PdfWriter

    if not available(language):
        raise OcrUnavailable(f"ocrmypdf and tesseract with the language {language!r} are needed")
    deadline = time.monotonic() + timeout
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise OcrFailed("the PDF is protected by a password")
        pages = list(reader.pages)
    except OcrFailed:
        raise
    except Exception as error:
        raise OcrFailed(f"the PDF cannot be read: {error}") from error
    total = len(pages)
    if progress:
        progress(0, total)
    texts: list[str] = []
    plans: list[bool | None] = []  # None: keep the page; else OCR it, forcing or not
    for page in pages:
        try:
            existing = page.extract_text() or ""
        except Exception:
            existing = ""
        texts.append(existing)
        letters = _letters(existing)
        plans.append(None if letters >= _MIN_PAGE_CHARS else letters > 0 or bool(existing.strip()))
    results: dict[int, bytes] = {}
    done = sum(1 for plan in plans if plan is None)
    if progress and done:
        progress(done, total)
    processes = _Processes()
    with tempfile.TemporaryDirectory(prefix="congdoan-ocr-") as folder:
        pool = ThreadPoolExecutor(max_workers=_jobs(), thread_name_prefix="ocr")
        futures: dict[Future[tuple[bytes, str]], int] = {}
        try:
            for index, plan in enumerate(plans):
                if plan is None:
                    continue
                single = PdfWriter()
                single.add_page(pages[index])
                buffer = io.BytesIO()
                single.write(buffer)
                future = pool.submit(
                    _ocr_page,
                    buffer.getvalue(),
                    plan,
                    index=index,
                    folder=folder,
                    language=language,
                    deadline=deadline,
                    processes=processes,
                )
                futures[future] = index
            pending = set(futures)
            while pending:
                finished, pending = wait(
                    pending, timeout=max(0.0, deadline - time.monotonic()) + 5,
                    return_when=FIRST_COMPLETED,
                )  # fmt: skip
                if not finished:
                    raise OcrFailed("OCR timed out")
                for future in finished:
                    index = futures[future]
                    pdf, text = future.result()
                    results[index] = pdf
                    texts[index] = text
                    done += 1
                    if progress:
                        progress(done, total)
        except BaseException:
            processes.cancel()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    return OcrResult(
        text=unicodedata.normalize("NFC", "\f".join(t.strip() for t in texts)),
        pages=total,
        pdf=_merge(pages, results),
        ocr_pages=len(results),
    )


def _merge(pages: list[Any], results: dict[int, bytes]) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for index, page in enumerate(pages):
        if index in results:
            writer.add_page(PdfReader(io.BytesIO(results[index])).pages[0])
        else:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_to_pdf(data: bytes, *, default_dpi: int = 300) -> bytes:
    """A PDF with one page per frame of an image (PNG, JPEG, TIFF ...), at the image's DPI.

    An image that records no plausible resolution is taken as scanned at ``default_dpi``.
    The EXIF orientation of photos is applied; transparency is flattened on white; black and
    white pages are stored losslessly (CCITT G4), grey and colour ones as JPEG of quality 95.
    Raises :class:`OcrFailed` on a bad image.
    """
    from PIL import Image, ImageOps, ImageSequence

    try:
        with Image.open(io.BytesIO(data)) as image:
            dpi = image.info.get("dpi") or (0, 0)
            resolution = float(dpi[0]) if dpi and 70 <= float(dpi[0]) <= 2400 else default_dpi
            frames = []
            for frame in ImageSequence.Iterator(image):
                frame = ImageOps.exif_transpose(frame)
                if frame.mode in ("I", "I;16", "I;16B", "I;16L", "F"):  # 16-bit scans
                    frame = frame.convert("I").point(lambda value: value / 256).convert("L")
                if frame.mode not in ("1", "L", "RGB", "CMYK"):
                    frame = frame.convert("RGBA" if "A" in frame.mode else "RGB")
                    if frame.mode == "RGBA":
                        background = Image.new("RGB", frame.size, "white")
                        background.paste(frame, mask=frame.getchannel("A"))
                        frame = background
                frames.append(frame.copy())
            # Pillow's options apply to every page: black-and-white pages (CCITT) refuse a JPEG
            # quality, so a file mixing both stores them all in grey.
            options: dict[str, Any] = {}
            if any(frame.mode != "1" for frame in frames):
                frames = [frame.convert("L") if frame.mode == "1" else frame for frame in frames]
                options["quality"] = 95  # keep the strokes sharp for OCR
            out = io.BytesIO()
            frames[0].save(
                out,
                format="PDF",
                resolution=resolution,
                save_all=True,
                append_images=frames[1:],
                **options,
            )
            return out.getvalue()
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise OcrFailed(f"the image cannot be read: {error}") from error


def ocr_image(
    data: bytes,
    *,
    language: str = "vie",
    progress: Progress | None = None,
    timeout: int = 600,
) -> OcrResult:
    """OCR an image (each frame of a TIFF is a page): :func:`image_to_pdf`, then :func:`ocr_pdf`."""
    if not available(language):
        raise OcrUnavailable(f"ocrmypdf and tesseract with the language {language!r} are needed")
    return ocr_pdf(image_to_pdf(data), language=language, progress=progress, timeout=timeout)
