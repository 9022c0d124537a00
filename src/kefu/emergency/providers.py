"""Weather forecast providers (WX-1). A provider turns a source into forecast rows; the built-in one reads
a forecast file (CSV or Excel) — this system runs without internet, so an online provider is a plug-in:

```python
class MyProvider:                      # satisfies ForecastProvider
    name = "my-service"
    def rows(self, source) -> list[dict]: ...   # dicts with day, locality, weather, temp_low, temp_high, wind, warning

providers.register(MyProvider())
```

Rows are checked and written by `actions.weather.import_rows` (all or nothing)."""

import csv
import io
from typing import Protocol

from openpyxl import load_workbook

from kefu.core.errors import Invalid

COLUMNS = {
    "日期": "day",
    "地区": "locality",
    "天气": "weather",
    "最低气温": "temp_low",
    "最高气温": "temp_high",
    "风力": "wind",
    "预警": "warning",
}


class ForecastProvider(Protocol):
    name: str

    def rows(self, source) -> list[dict]: ...


PROVIDERS: dict[str, ForecastProvider] = {}


def register(provider: ForecastProvider) -> ForecastProvider:
    PROVIDERS[provider.name] = provider
    return provider


def get(name: str) -> ForecastProvider:
    found = PROVIDERS.get(name)
    if found is None:
        raise Invalid(
            "weather_provider", "未知的天气数据来源", "Unknown forecast provider", {"provider": "unknown"}
        )
    return found


def _table(header: list, body) -> list[dict]:
    names = [str(h or "").strip() for h in header]
    missing = [zh for zh in ("日期", "地区", "天气", "最低气温", "最高气温") if zh not in names]
    if missing:
        raise Invalid(
            "weather_file_columns",
            "文件缺少列：" + "、".join(missing),
            "Missing columns",
            {"file": "columns"},
        )
    out = []
    for values in body:
        if not any(str(v or "").strip() for v in values):
            continue
        out.append({COLUMNS[n]: values[i] for i, n in enumerate(names) if n in COLUMNS and i < len(values)})
    return out


class FileProvider:
    """The built-in provider: a forecast file (.csv UTF-8 or .xlsx) with the columns 日期、地区、天气、最低气温、
    最高气温、风力、预警."""

    name = "file"

    def rows(self, source) -> list[dict]:
        filename, content = source
        if str(filename).lower().endswith(".xlsx"):
            try:
                sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
                lines = [list(r) for r in sheet.iter_rows(values_only=True)]
            except Exception:
                raise Invalid(
                    "weather_file", "无法读取该 Excel 文件", "Unreadable workbook", {"file": "unreadable"}
                ) from None
        else:
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise Invalid(
                    "weather_file", "文件应为 UTF-8 编码的 CSV 或 Excel", "Not UTF-8", {"file": "encoding"}
                ) from None
            lines = list(csv.reader(io.StringIO(text)))
        if not lines:
            raise Invalid("weather_file_empty", "文件是空的", "Empty file", {"file": "empty"})
        return _table(lines[0], lines[1:])


register(FileProvider())
