"""The shipped pack file: schema, completeness against SPEC.md, clauses quoted verbatim (POL-1)."""

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.utils import translation

from kefu.engine.policy import api, pack

REPO = Path(__file__).resolve().parents[5]


def _find(name: str) -> Path | None:
    """SPEC.md and the seed policies are kept in docs/spec/ (or where KEFU_SPEC_DIR says)."""
    candidates = [Path(os.environ["KEFU_SPEC_DIR"])] if os.environ.get("KEFU_SPEC_DIR") else []
    candidates += [REPO / "docs" / "spec"]
    for base in candidates:
        if (base / name).exists():
            return base / name
    return None


SPEC = _find("SPEC.md")
SEEDS = _find("seeds")


def test_spec_and_seed_policies_are_in_the_repository():  # POL-1
    assert SPEC is not None and SEEDS is not None, "docs/spec/SPEC.md and docs/spec/seeds/ must exist"


# Numbers in SPEC rule lines that are not policy values — kept small; each says why.
NOT_POLICY_NUMBERS = [
    r"24×7",  # the name of the round-the-clock calendar (CAL-1, WFM-1), not a duration
    r"24小时全天候|24小时不间断",  # quoted names of 24×7 hotlines (CAL-1)
    r"24h rescue",  # CASE-1: the 救援 kind runs on the 24×7 calendar
    r"\d{1,2}:\d{2}",  # clock times: office hours (CAL-1), meeting (ATT-1), example window (HRD-1) — calendar data
    r"138\*{4}1234",  # SEC-2: an example of a masked phone
    r"\b2026\b",  # CAL-3: the year the chinese-calendar library's data ends
    r"\(7 steps\)",  # EMG-6: length of a template checklist
    r"\b1st\b|\b2nd\b",  # CLM-7 ladder positions, the keys …_fine_1 / …_fine_2
    r"\b100%",  # CLM-9, FEE-1: shares must total 100% — an invariant, not a setting
    r"100–499",  # FEE-1: the middle band is "from 100 up to the large-band threshold (500)"
]


def _pack() -> list[dict]:
    entries, _, _ = pack.read()
    return entries


def _rule_texts(spec: str) -> dict[str, str]:
    rules: dict[str, str] = {}
    current = None
    for line in spec.splitlines():
        match = re.match(r"^- ([A-Z]+-\d+) ", line)
        if match:
            current = match.group(1)
            rules[current] = line[2:]
        elif current and line.startswith("  "):
            rules[current] += " " + line.strip()
        else:
            current = None
    return rules


def _numbers(text: str) -> set[Decimal]:
    text = re.sub(r"\[[^\]]*\]", " ", text)  # source citations [004 篇二 §6.5]
    text = re.sub(r"§[\d.]+", " ", text)
    text = re.sub(r"\b[A-Z]+-\d+\b", " ", text)  # rule ids
    for pattern in NOT_POLICY_NUMBERS:
        text = re.sub(pattern, " ", text)
    return {Decimal(n.replace(",", "")) for n in re.findall(r"\d+(?:,\d{3})*(?:\.\d+)?", text)}


def test_every_number_in_a_spec_rule_is_in_the_pack():  # POL-1
    entries = _pack()
    by_rule: dict[str, set[Decimal]] = {}
    for entry in entries:
        for rule in [entry["rule"], *entry["related_rules"]]:
            by_rule.setdefault(rule, set()).add(entry["value"])
    missing = []
    rules = _rule_texts(SPEC.read_text())
    assert len(rules) >= 90, "SPEC rule lines were not recognised"
    for rule, text in rules.items():
        for number in sorted(_numbers(text)):
            if number not in by_rule.get(rule, set()):
                missing.append(f"{rule}: {number}")
    assert not missing, f"numbers in SPEC rules without a pack entry: {missing}"


def test_the_completeness_check_catches_a_missing_number():  # POL-1
    spec = "- CLM-3 Protection: walk-in 7 days, deposit 90 days [000 · x §2.1].\n"
    assert _numbers(_rule_texts(spec)["CLM-3"]) == {Decimal(7), Decimal(90)}
    assert _numbers("at 8:30–17:30 on the 24×7 calendar, ORG-2") == set()


@pytest.mark.parametrize(
    ("key", "value", "unit"),
    [
        # numbers SPEC writes as words, which the digit scan above cannot see
        ("security.destruction_approvals", 3, "approvals"),  # SEC-8 three sequential approvals
        ("customers.first_contact_within", 7, "days"),  # CUS-7 one week
        ("customers.reverify_every", 3, "months"),  # CUS-5 every quarter
        ("customers.important_review_every", 3, "months"),  # CUS-5 important customers quarterly
        ("care.events_per_month", 1, "times_per_month"),  # CARE-3 at least once a month
        ("care.event_days", 2, "day_count"),  # CARE-3 two days
        ("quality.qc_activities_per_month", 1, "times_per_month"),  # QC-1 one activity a month
        ("quality.qc_max_inactive", 6, "months"),  # QC-1 six months
        ("emergency.drills_per_year", 1, "times_per_year"),  # DRL-1 once a year
        ("sla.email_first_response", 0, "working_days"),  # SLA-1 the same day
        ("emergency.levels", 4, "levels"),  # EMG-3 four levels
    ],
)
def test_numbers_written_in_words_are_in_the_pack(key, value, unit):  # POL-1
    entry = {e["key"]: e for e in _pack()}[key]
    assert (entry["value"], entry["unit"]) == (Decimal(value), unit)


def test_every_entry_follows_the_schema():  # POL-1
    entries = _pack()
    assert len(entries) >= 60
    for entry in entries:
        assert entry["key"].startswith(entry["module"] + ".")
        assert entry["kind"] in pack.KINDS
        assert entry["kind"] in pack.UNITS[entry["unit"]].kinds, entry["key"]
        assert entry["stricter"] in pack.STRICTER
        assert (entry["calendar"] in pack.CALENDARS) == (entry["kind"] in pack.CALENDAR_KINDS), entry["key"]
        assert re.fullmatch(r"[A-Z]+-\d+", entry["rule"])
        if not entry["default_not_from_seeds"]:
            assert entry["clause"].strip() and entry["source_seed"] and entry["source_document"], entry["key"]


def test_the_keys_other_modules_rely_on_exist():  # POL-1
    keys = {e["key"] for e in _pack()}
    for key in [
        "claims.walk_in_protection",
        "claims.deposit_protection",
        "claims.expiry_reminder_before",
        "claims.false_registration_fine_1",
        "sla.phone_rings",
        "sla.email_first_response",
        "sla.major_quality_onsite",
        "sla.major_quality_notice",
        "kpi.satisfaction_min",
        "kpi.complaint_rate_max",
        "leave.approval_within",
        "leave.paid_quota_per_quarter",
        "leave.paid_quota_per_year",
        "leave.holiday_rest_notice",
        "leave.manager_approves_up_to",
        "handover.before_shift_end",
        "emergency.activate_within",
        "emergency.drills_per_year",
        "care.gift_max",
        "care.greeting_days_before_min",
        "care.greeting_days_before_max",
        "customers.first_contact_within",
        "retention.min_months",
        "fees.advance_percent",
    ]:
        assert key in keys


def test_every_clause_is_quoted_verbatim_from_its_seed():  # POL-1
    seeds = {p.name[:3]: p.read_text() for p in SEEDS.glob("*.txt")}
    for entry in _pack():
        if entry["clause"]:
            text = seeds[entry["source_seed"]]
            assert entry["clause"] in text, f"{entry['key']}: clause not found in seed {entry['source_seed']}"
            assert entry["source_document"].split(" · ")[0] in text, entry["key"]


def test_specific_values_and_clauses():  # CLM-3, CLM-7, KPI-1, LV-4, FEE-1
    entries = {e["key"]: e for e in _pack()}
    assert entries["claims.walk_in_protection"]["value"] == 7
    assert entries["claims.deposit_protection"]["value"] == 90
    assert (
        entries["claims.false_registration_fine_1"]["clause"]
        == "虚假报备者一次处罚50元,第二次处罚100元,第三次直接除名"
    )
    assert entries["claims.expiry_reminder_before"]["default_not_from_seeds"] is True
    assert entries["kpi.satisfaction_min"]["stricter"] == "higher"
    assert entries["kpi.complaint_rate_max"]["stricter"] == "lower"
    assert entries["care.gift_max"]["stricter"] == "lower"
    assert entries["leave.approval_within"]["kind"] == "working_days"
    assert entries["fees.translation_per_char"]["value"] == Decimal("0.5")
    assert entries["fees.advance_percent"]["value"] == 50


def _valid_entry(**changes) -> dict:
    entry = {
        "key": "claims.x",
        "rule": "CLM-3",
        "module": "claims",
        "name_zh": "甲",
        "name_en": "x",
        "value": 7,
        "unit": "days",
        "kind": "calendar_time",
        "stricter": "lower",
        "clause": "条款",
        "source": {"seed": "000", "document": "文档"},
    }
    entry.update(changes)
    return {k: v for k, v in entry.items() if v is not ...}


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"clause": ""}, "clause is empty"),
        ({"unit": "yuan"}, "does not fit kind"),
        ({"kind": "duration"}, "is not one of"),
        ({"kind": "business_time", "unit": "hours"}, "needs calendar"),
        ({"calendar": "office"}, "only business_time and working_days"),
        ({"stricter": "both"}, "stricter must be"),
        ({"key": "sla.x"}, "key prefix must be the module"),
        ({"value": "seven"}, "not a number"),
        ({"rule": ...}, "missing rule"),
        ({"colour": "red"}, "unknown field"),
        ({"source": {"seed": "000"}}, "source needs seed and document"),
    ],
)
def test_schema_validation_names_the_problem(changes, problem):  # POL-1
    with pytest.raises(pack.PackError, match=problem):
        pack.validate({"entries": [_valid_entry(**changes)]})


def test_defaults_not_from_seeds_may_omit_the_clause_and_duplicates_are_refused():  # POL-1
    ok = _valid_entry(clause="", source={"seed": "", "document": ""}, default_not_from_seeds=True)
    assert pack.validate({"entries": [ok]})[0]["default_not_from_seeds"] is True
    with pytest.raises(pack.PackError, match="duplicate key"):
        pack.validate({"entries": [_valid_entry(), _valid_entry()]})


def test_the_shipped_file_is_the_one_the_package_reads():  # POL-1
    data = yaml.safe_load(pack.DEFAULT_PACK.read_text())
    assert len(data["entries"]) == len(_pack())
    assert pack.DEFAULT_PACK.parent.name == "policies"


# ── issue 13: policy pack honesty ────────────────────────────────────────────────────────────────

CHINESE_DIGITS = "零一二三四五六七八九十"
# a number a clause writes as a word (beyond plain digits and 一…十): (value, unit) → the words
NUMBER_WORDS = {
    (Decimal(3), "months"): ("每季度", "三个月"),
    (Decimal(6), "months"): ("半年",),
    (Decimal(7), "days"): ("一周", "每周"),
    (Decimal(0), "working_days"): ("当天",),
    (Decimal(2), "day_count"): ("两天",),
    (Decimal(2), "days"): (
        "一两天",
    ),  # HRD-1 "逾期前一两天": the earlier of the two, a reminder two days ahead
    (Decimal(30), "minutes"): ("半小时",),
    (Decimal(3), "approvals"): (
        "客户信息主管、客户服务部经理、总经理分别核准",
    ),  # SEC-8: three named approvers
}


def _forms(value: Decimal, unit: str) -> set[str]:
    if unit == "time_of_day":
        return {f"{int(value) // 100}:{int(value) % 100:02d}"}
    if unit == "weekday":
        return {"星期" + "一二三四五六日"[int(value) - 1]}
    forms = {format(value.normalize(), "f"), *NUMBER_WORDS.get((value, unit), ())}
    if value == value.to_integral_value():
        forms.add(f"{int(value):,}")
        if 0 <= value <= 10:
            forms.add(CHINESE_DIGITS[int(value)])
    return forms


def test_policy_pack_honesty_every_quoted_clause_holds_its_number():  # POL-1, issue 13
    wrong = [
        f"{e['key']} = {e['value']} {e['unit']}: “{e['clause']}”"
        for e in _pack()
        if e["clause"] and not any(form in e["clause"] for form in _forms(e["value"], e["unit"]))
    ]
    assert not wrong, f"clauses that do not hold the entry's number: {wrong}"


@pytest.mark.parametrize(
    "key",
    [
        "sla.first_response",
        "sla.urgent_first_response",
        "cases.reescalate_after",
        "sla.rescue_first_response",
        "sla.urgent_resolution",
        "cases.compensation_manager_up_to",
        "quality.sample_percent",
        "customers.confidentiality_period",
        "sla.strategic_first_response",
    ],
)
def test_policy_pack_honesty_numbers_the_seeds_do_not_give_are_marked(key):  # POL-1, issue 13
    entry = {e["key"]: e for e in _pack()}[key]
    assert entry["default_not_from_seeds"] is True
    assert entry["clause"] == "", (
        "a default quotes no clause: a clause is quoted only where it holds the number"
    )


def test_policy_pack_honesty_every_default_quotes_no_clause():  # POL-1, issue 13
    assert not [e["key"] for e in _pack() if e["default_not_from_seeds"] and e["clause"]]
    with pytest.raises(pack.PackError, match="a default not from the seeds quotes no clause"):
        pack.validate({"entries": [_valid_entry(default_not_from_seeds=True)]})


@pytest.mark.parametrize(
    ("key", "seed", "document", "words"),
    [
        # SLA-2 / ESC-1 "对重大客户转交上级领导处理" is the 客服部主管's duty in 客服部门机制方案初稿, not 客服团队制度管理方案
        ("sla.strategic_first_response", "001", "客服部门机制方案初稿", "对重大客户转交上级领导处理"),
        # CASE-4 "解决方案可以包括更换产品、提供赔偿…" is in 客户服务部门客户投诉处理与满意度调查制度, not 客服报备方案
        (
            "cases.compensation_manager_up_to",
            "000",
            "客户服务部门客户投诉处理与满意度调查制度",
            "解决方案可以包括更换产品、提供赔偿",
        ),
    ],
)
def test_policy_pack_honesty_the_rule_cites_the_right_document(key, seed, document, words):  # issue 13
    entry = {e["key"]: e for e in _pack()}[key]
    assert (entry["source_seed"], entry["source_document"]) == (seed, document)
    text = next(SEEDS.glob(f"{seed}_*.txt")).read_text()
    start = text.index(document)
    ends = [text.find(title, start + len(document)) for title in DOCUMENT_TITLES[seed] if title != document]
    end = min([e for e in ends if e > start] or [len(text)])
    assert words in text[start:end], f"{words!r} is not in {document}"


# titles of the documents near the two entries above, in their seed files (to bound a document's text)
DOCUMENT_TITLES = {
    "000": ["客服报备方案", "客户服务部门客户投诉处理与满意度调查制度", "咨询问题反馈报备制度范本"],
    "001": ["客服团队制度管理方案", "客服部门机制方案初稿"],
}


@pytest.mark.parametrize(
    ("key", "value", "unit", "shown"),
    [
        ("fees.final_payment_percent", 50, "percent", "50%"),  # FEE-1 "剩余50%"
        ("attendance.daily_meeting_start", 800, "time_of_day", "8:00"),  # ATT-1 "8:00-8:30"
        ("attendance.daily_meeting_end", 830, "time_of_day", "8:30"),
        ("customers.competition_input_weekday", 1, "weekday", "星期一"),  # CUS-5 "每月第一个星期一"
    ],
)
def test_policy_pack_honesty_numbers_written_in_the_seeds_are_in_the_pack(
    key, value, unit, shown
):  # issue 13
    entry = {e["key"]: e for e in _pack()}[key]
    assert (entry["value"], entry["unit"], entry["default_not_from_seeds"]) == (Decimal(value), unit, False)
    with translation.override("zh-hans"):
        assert api.format_value(entry["value"], unit) == shown


@pytest.mark.parametrize(
    ("unit", "value"), [("weekday", 0), ("weekday", 8), ("time_of_day", 860), ("time_of_day", 2400)]
)
def test_points_in_time_are_validated(unit, value):  # POL-1
    with pytest.raises(pack.PackError, match="must be"):
        pack.validate({"entries": [_valid_entry(unit=unit, kind="count", value=value)]})
