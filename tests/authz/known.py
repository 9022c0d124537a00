"""Cells of the matrix that fail today because of the known defects of issue 10.

Each is marked `xfail(strict=True)`: when the fix lands the cell passes, the strict mark turns that
into a failure, and its entry is removed here. Keys: (operation name, username, side).
"""

SUPERVISORY = "issue 10: supervisory-only roles change things (ORG-4: 督导 writes nothing but comments)"
CROSS = "issue 10: writes into another subsidiary (ORG-3: an own-scope holder creates a customer in any unit)"

KNOWN: dict[tuple[str, str, str], str] = {
    # 唐宁 (督导) delegates her group-wide rights — delegating is a write
    ("POST /org/delegations", "tangning", "in"): SUPERVISORY,
    ("POST /org/delegations", "tangning", "out"): SUPERVISORY,
    # 唐宁 files archive access requests (each starts an approval chain)
    ("POST /customers/governance/access-requests", "tangning", "in"): SUPERVISORY,
    ("POST /customers/governance/access-requests", "tangning", "out"): SUPERVISORY,
    # 唐宁 uploads attachments (a file is not a comment)
    ("POST /cases/{case_id}/attachments", "tangning", "in"): SUPERVISORY,
    ("POST /cases/{case_id}/attachments", "tangning", "out"): SUPERVISORY,
    # 赵敏 into 华辰水务; 吕欣 into 华辰置业; 黄磊 and 林晓 into 华辰水务
    ("POST /customers", "zhaomin", "out"): CROSS,
    ("POST /customers", "lvxin", "out"): CROSS,
    ("POST /customers", "huanglei", "out"): CROSS,
    ("POST /customers", "linxiao", "out"): CROSS,
}
