"""Parsing an official holiday schedule pasted as text or uploaded as CSV (CAL-3).

One row per line: `date,kind,name`, e.g. `2027-02-05,holiday,春节`. Commas, Chinese commas or tabs
separate; a header line starting with "date" and blank lines are skipped. Kinds: `holiday` (also
休 / 假 / 放假) and `makeup_workday` (also 班 / 上班 / 补班 / 调休上班 / workday). An import
replaces the whole year, so it must hold every statutory festival (`actions.import_holiday_year`).
"""

import csv
import io

from kefu.core.errors import Invalid

KIND_ALIASES = {
    "holiday": "holiday",
    "休": "holiday",
    "假": "holiday",
    "放假": "holiday",
    "makeup_workday": "makeup_workday",
    "workday": "makeup_workday",
    "班": "makeup_workday",
    "上班": "makeup_workday",
    "补班": "makeup_workday",
    "调休上班": "makeup_workday",
}

MAX_ROWS = 400


def parse_text(text: str) -> list[dict]:
    """Rows as dicts {line, date, kind, name} — still strings; `actions.import_holiday_year` validates."""
    text = text.replace("\ufeff", "").replace("，", ",").replace("\t", ",")
    rows = []
    for number, fields in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in fields]
        if not any(cells):
            continue
        if cells[0].lower() in ("date", "日期"):
            continue
        cells += [""] * (3 - len(cells))
        rows.append(
            {"line": number, "date": cells[0], "kind": cells[1], "name": ",".join(cells[2:]).strip(",")}
        )
        if len(rows) > MAX_ROWS:
            raise Invalid(
                "CAL-3.too_many_rows",
                f"行数过多：一年的安排最多 {MAX_ROWS} 行",
                f"Too many rows: at most {MAX_ROWS} for one year",
                fields={"rows": ["too many rows"]},
            )
    return rows


def decode_upload(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Invalid(
        "CAL-3.bad_encoding",
        "文件编码无法识别，请保存为 UTF-8 编码的 CSV",
        "Cannot read the file; save it as UTF-8 CSV",
        fields={"file": ["encoding"]},
    )
