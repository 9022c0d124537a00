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
