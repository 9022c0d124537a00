"""What each `kefu` command does (`kefu.cli` parses the command line and sets Django up first)."""

import os
import sys
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.management import call_command

from kefu import demo
from kefu.core import actions, audit, checkpoints, clock, sealed
from kefu.core.actor import Actor
from kefu.core.errors import DomainError
from kefu.core.worker import Worker
from kefu.engine.calendars import actions as calendar_actions
from kefu.engine.calendars import importing as calendar_importing
from kefu.engine.calendars import queries as calendar_queries
from kefu.engine.calendars.explain import KIND_TEXT
from kefu.engine.mail import listener
from kefu.engine.policy import actions as policy_actions
from kefu.engine.policy import api as policy_api
from kefu.engine.policy import pack
from kefu.runner import run
from kefu.setup import print_admin_login, reset_database


def cmd_migrate(args) -> int:
    call_command("migrate", interactive=False, verbosity=args.verbosity)
    sealed.report(sealed.encrypt_legacy_files())  # files stored before SEC-1 sealing (docs/decisions.md)
    return 0


def cmd_worker(args) -> int:
    worker = Worker(interval=args.interval)
    worker.install_signal_handlers()
    worker.run()
    return 0


def cmd_mail_in(args) -> int:
    if args.stdin:
        return listener.from_stdin(
            sys.stdin.buffer, sender=args.sender or os.environ.get("SENDER"), recipient=args.recipient or ""
        )
    return listener.serve(args.host, args.port)


def cmd_run(args) -> int:
    return run(port=args.port, load_demo=not args.no_demo, web_workers=args.web_workers)


def cmd_demo(args) -> int:
    if args.action == "reset":
        if not args.yes:
            print(
                "kefu demo reset 会删除全部数据并重新载入演示数据；确认请加 --yes\n"
                "kefu demo reset deletes ALL data and reloads the demo; add --yes to confirm",
                file=sys.stderr,
            )
            return 2
        reset_database()
    login = demo.ensure_admin()
    result = demo.load()
    print_admin_login(login)
    print(
        "演示数据已载入 / demo data loaded"
        if result["created"]
        else "演示数据已存在 / demo data already present"
    )
    return 0


def cmd_token(args) -> int:
    user = get_user_model().objects.filter(username=args.username, is_active=True).first()
    if user is None:
        print(f"用户不存在或已停用 / no active user named {args.username!r}", file=sys.stderr)
        return 1
    expires = clock.now() + timedelta(days=args.days) if args.days else None
    try:
        _, plaintext = actions.create_token(
            Actor(user=user, origin="cli"), user=user, name=args.name, expires_at=expires
        )
    except DomainError as exc:
        print(f"{exc.zh} / {exc.en}", file=sys.stderr)
        return 1
    print(plaintext)
    return 0


def cmd_audit(args) -> int:
    if args.audit_command == "checkpoint":
        print(checkpoints.publish().line)
        return 0
    if args.audit_command == "seal":
        count = audit.seal_pending()
        left = audit.backlog().count
        print(f"已封存 {count} 条，待封存 {left} 条 / sealed {count} rows, {left} left unsealed")
        return 0
    try:
        given = checkpoints.read(args.checkpoint) if args.checkpoint else checkpoints.published()
    except checkpoints.CheckpointError as exc:
        print(f"检查点无法读取 / unreadable checkpoint: {exc}", file=sys.stderr)
        return 2
    result = audit.verify(given)
    if result.ok:
        print(
            f"审计链完整 / audit chain intact: {result.checked} rows verified, "
            f"{result.checkpoints} signed checkpoints matched"
        )
        if result.unsealed:
            age = int((clock.now() - result.unsealed_since).total_seconds())
            print(
                f"待封存 {result.unsealed} 条，最早的已等待 {age} 秒 / "
                f"{result.unsealed} newer rows not sealed yet, the oldest waiting {age} s"
            )
        if not given:
            print(
                "没有检查点：无法发现被截断的尾部 / no checkpoint given: a cut-off tail cannot be detected",
                file=sys.stderr,
            )
        return 0
    if result.broken_seq is None:
        print(f"检查点无效 / audit checkpoint REJECTED: {result.problem}", file=sys.stderr)
    else:
        print(
            f"审计链损坏：第 {result.broken_seq} 行 / audit chain BROKEN at row seq={result.broken_seq}: "
            f"{result.problem}",
            file=sys.stderr,
        )
    return 1


def cmd_policy(args) -> int:
    try:
        if args.policy_command == "load":
            effective = date.fromisoformat(args.effective) if args.effective else None
            version, created = policy_actions.load_pack(
                Actor.system("cli"), args.file, effective_from=effective, note="kefu policy load"
            )
            if created:
                print(
                    f"制度参数已载入为第 {version.number} 版 / policy pack loaded as version {version.number}"
                )
            else:
                print(
                    f"制度文件未变化，当前第 {version.number} 版 / pack unchanged, version {version.number}"
                )
            return 0
        entry = policy_api.lookup(args.key)
    except (DomainError, pack.PackError, ValueError, OSError) as exc:
        text = f"{exc.zh} / {exc.en}" if isinstance(exc, DomainError) else str(exc)
        print(text, file=sys.stderr)
        return 1
    print(f"{entry.key} = {entry.display('zh-hans')} ({entry.display('en')})")
    print(f"  {entry.name_zh} / {entry.name_en}")
    print(f"  rule {entry.rule} · kind {entry.kind} · stricter {entry.stricter} · version {entry.version}")
    if entry.default_not_from_seeds:
        print("  本系统默认值，制度未规定此数值 / default, not set by the source policies")
        if entry.source.get("document"):
            print(
                f"  规则出处 / the rule comes from: seed {entry.source['seed']} · {entry.source['document']}"
            )
    elif entry.clause:
        print(f"  “{entry.clause}” [seed {entry.source['seed']} · {entry.source['document']}]")
    return 0


SOURCE_TEXT = {
    "fallback": "推算（仅含法定节日）/ fallback: statutory festival dates only",
    "chinese-calendar": "chinese-calendar 库 / the chinese-calendar library",
}
CHANGE_MARK = {"added": "+", "removed": "-", "changed": "~"}


def _day_text(entry) -> str:
    if entry is None:
        return "—"
    zh, en = KIND_TEXT[entry["kind"]]
    return f"{zh}/{en} {entry['name']}".strip()


def _print_diff(diff: dict, calendar_code: str | None) -> None:
    source = SOURCE_TEXT.get(diff["source"], "已导入的安排 / an imported schedule")
    print(f"{diff['year']} 年当前依据 / {diff['year']} is now answered by: {source}")
    print(
        f"导入含放假 {diff['holidays']} 天、调休上班 {diff['makeup_workdays']} 天 / "
        f"the file holds {diff['holidays']} holidays, {diff['makeup_workdays']} make-up workdays"
    )
    counts = [len(diff[k]) for k in ("added", "removed", "changed")]
    print("新增 {} 天，删除 {} 天，变更 {} 天 / {} added, {} removed, {} changed".format(*counts, *counts))
    for row in diff["changes"]:
        line = f"  {CHANGE_MARK[row['change']]} {row['date']}  {_day_text(row['before'])} → {_day_text(row['after'])}"
        if calendar_code:
            words = {True: "上班/working", False: "休息/off"}
            line += f"  [{calendar_code}: {words[row['working_before']]} → {words[row['working_after']]}]"
        print(line)


def cmd_calendar(args) -> int:
    """`kefu calendar import FILE --year N`: preview, then apply exactly the previewed content (CAL-3)."""
    cli = Actor.system("cli")
    try:
        with open(args.file, "rb") as handle:
            text = calendar_importing.decode_upload(handle.read())
        calendar = calendar_queries.calendar(args.calendar) if args.calendar else None
        diff = calendar_actions.preview_holiday_year(
            cli, args.year, calendar_importing.parse_text(text), note=args.note, calendar=calendar
        )
        _print_diff(diff, args.calendar)
        if not args.yes:
            if not sys.stdin.isatty():
                print("未导入：确认请加 --yes / nothing imported: add --yes to apply", file=sys.stderr)
                return 2
            answer = input("确认导入？输入 yes 确认 / apply this import? type yes: ")
            if answer.strip().lower() not in ("yes", "y", "是"):
                print("未导入 / nothing imported", file=sys.stderr)
                return 2
        holiday_year = calendar_actions.confirm_holiday_year(cli, diff["token"])
    except OSError as exc:
        print(f"文件无法读取 / cannot read the file: {exc}", file=sys.stderr)
        return 1
    except DomainError as exc:
        print(f"{exc.zh} / {exc.en}", file=sys.stderr)
        return 1
    print(
        f"已导入 {holiday_year.year} 年的安排 {holiday_year.days.count()} 天 / "
        f"imported {holiday_year.days.count()} days for {holiday_year.year}"
    )
    return 0
