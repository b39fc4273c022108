"""List, and with ``--delete`` remove, uploaded files that no row refers to any more.

A file is written to storage before the transaction that records it commits; when that
transaction rolls back (a later attachment refused, the database gone away, the process
killed), the file stays behind with nothing pointing at it. This command finds such files in
the folders that file fields write to (``MANAGED``), older than ``--older-than`` hours (an
upload in progress is never touched), and reports their number and size; ``--delete``
removes them. Files that a row names are never removed.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import models

# Folders under MEDIA_ROOT that only file fields write to (imports keep their own files).
MANAGED = ("private/documents", "portal")


def referenced_names() -> set[str]:
    """Every file name stored in a FileField or ImageField of any model."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                rows = model._default_manager.exclude(**{field.attname: ""}).values_list(
                    field.attname, flat=True
                )
                names.update(name for name in rows.iterator(chunk_size=5000) if name)
    return names


def orphans(root: Path, older_than_hours: float) -> list[tuple[Path, int]]:
    """Files under the managed folders of ``root`` that no row names, older than the age."""
    cutoff = time.time() - older_than_hours * 3600
    known = referenced_names()
    found: list[tuple[Path, int]] = []
    for folder in MANAGED:
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if not path.is_file() or path.is_symlink():
                continue
            stat = path.stat()
            if stat.st_mtime > cutoff:
                continue
            if path.relative_to(root).as_posix() not in known:
                found.append((path, stat.st_size))
    return found


class Command(BaseCommand):
    help = "List (and with --delete remove) uploaded files that no row refers to."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--older-than",
            type=float,
            default=24.0,
            help="only files last written more than this many hours ago (default 24)",
        )
        parser.add_argument("--delete", action="store_true", help="remove them (else list)")

    def handle(self, *args: Any, **options: Any) -> None:
        hours = options["older_than"]
        if hours < 0:
            raise CommandError("--older-than must be 0 or more hours.")
        root = Path(settings.MEDIA_ROOT)
        found = orphans(root, hours)
        for path, size in found:
            self.stdout.write(f"{path.relative_to(root).as_posix()}\t{size}")
        total = sum(size for _path, size in found)
        if options["delete"]:
            for path, _size in found:
                path.unlink(missing_ok=True)
            self.stdout.write(f"{len(found)} file(s) without a row removed, {total:,} bytes.")
        else:
            self.stdout.write(
                f"{len(found)} file(s) without a row, {total:,} bytes; --delete removes them."
            )
