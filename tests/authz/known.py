"""Cells of the matrix that fail because of a known, open defect (none since issue 10 landed).

Each is marked `xfail(strict=True)`: when the fix lands the cell passes, the strict mark turns that
into a failure, and its entry is removed here. Keys: (operation name, username, side).
"""

KNOWN: dict[tuple[str, str, str], str] = {}
