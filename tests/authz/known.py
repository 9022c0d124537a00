"""Cells of the matrix that fail because of a known, open defect (none since issue 10 landed).

Each is marked `xfail(strict=True)`: when the fix lands the cell passes, the strict mark turns that
into a failure, and its entry is removed here. Keys: (operation name, username, side).
"""

SUPERVISORY = "issue 10: supervisory-only roles change things (ORG-4: 督导 writes nothing but comments)"
CROSS = "issue 10: writes into another subsidiary (ORG-3: an own-scope holder creates a customer in any unit)"

KNOWN: dict[tuple[str, str, str], str] = {}
