"""How the vendor filings' decision inputs read on the "为什么" panel (VEN-1)."""

from kefu.core import decisions


def register() -> None:
    decisions.describe(
        inputs={
            "vendor_supplement_reason": ("要求补充的原因", "reason for the supplement"),
            "vendor_supplement_requested_at": ("要求补充时间", "supplement requested at"),
            "vendor_supplement_due_at": ("补正期限", "supplement due by"),
            "vendor_period": ("报送期间", "reporting period"),
            "vendor_due_on": ("报送截止日", "report due on"),
            "vendor_lapse_after": ("宽限期至", "grace until"),
        }
    )
