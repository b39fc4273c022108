"""What the organisation tells the other apps.

``unit_moved``: a unit and its subtree got a new materialised path (a restructuring placed it
under another unit). Sent inside the restructuring's transaction, after ``org_unit`` was
updated, with ``old_path`` and ``new_path``; every unit whose path started with ``old_path``
now starts with ``new_path``. Apps that copy a unit's path beside their own rows (for an
index) move them here, in the same transaction.
"""

from django.dispatch import Signal

unit_moved = Signal()  # sender: Unit; old_path: str, new_path: str
