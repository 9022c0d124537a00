"""The `kefu` command.

kefu run [--port N] [--no-demo]   migrate, first-run setup, then web (gunicorn) + worker until Ctrl-C
kefu worker                        run background tasks and sweeps
kefu mail-in [--host H] [--port N] | --stdin   receive mail for KEFU_SERVICE_MAIL (SMTP listener or MTA pipe)
kefu migrate                       apply database migrations, then seal files stored in clear (SEC-1)
kefu demo load | reset --yes       load the demo organisation / wipe everything and reload it
kefu token create USERNAME         print a new personal API token
kefu audit verify [--checkpoint FILE_OR_LINE]   check the keyed audit chain against signed checkpoints
                                   (default: the data-dir checkpoint file); exit 1 names the first broken row
kefu audit checkpoint              publish a signed checkpoint (file + log) and print it to copy elsewhere
kefu audit seal                    chain the committed, unsealed audit rows now (the worker does it every few seconds)
kefu policy load [--file F] [--effective YYYY-MM-DD]   load the policy pack (new version only if changed)
kefu policy show KEY               print one policy value with its rule and clause
kefu manage …                      any Django management command
"""

import argparse
import os
import sys


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")
    import django

    django.setup()


def cmd_migrate(args) -> int:
    from django.core.management import call_command

    from kefu.core import sealed

    call_command("migrate", interactive=False, verbosity=args.verbosity)
    sealed.report(sealed.encrypt_legacy_files())  # files stored before SEC-1 sealing (docs/decisions.md)
    return 0


def cmd_worker(args) -> int:
    from kefu.core.worker import Worker

    worker = Worker(interval=args.interval)
    worker.install_signal_handlers()
    worker.run()
    return 0


def cmd_mail_in(args) -> int:
    from kefu.engine.mail import listener

    if args.stdin:
        return listener.from_stdin(
            sys.stdin.buffer, sender=args.sender or os.environ.get("SENDER"), recipient=args.recipient or ""
        )
    return listener.serve(args.host, args.port)


def cmd_run(args) -> int:
    from kefu.runner import run

    return run(port=args.port, load_demo=not args.no_demo, web_workers=args.web_workers)


def cmd_demo(args) -> int:
    from kefu import demo
    from kefu.setup import print_admin_login, reset_database

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
    from datetime import timedelta

    from django.contrib.auth import get_user_model

    from kefu.core import actions, clock
    from kefu.core.actor import Actor
    from kefu.core.errors import DomainError

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
    from kefu.core import audit, checkpoints, clock

    if args.audit_command == "checkpoint":
        print(checkpoints.publish().line)
        return 0
    if args.audit_command == "seal":
        sealed = audit.seal_pending()
        left = audit.backlog().count
        print(f"已封存 {sealed} 条，待封存 {left} 条 / sealed {sealed} rows, {left} left unsealed")
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
    from datetime import date

    from kefu.core.actor import Actor
    from kefu.core.errors import DomainError
    from kefu.engine.policy import actions, api, pack

    try:
        if args.policy_command == "load":
            effective = date.fromisoformat(args.effective) if args.effective else None
            version, created = actions.load_pack(
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
        entry = api.lookup(args.key)
    except (DomainError, pack.PackError, ValueError, OSError) as exc:
        text = f"{exc.zh} / {exc.en}" if isinstance(exc, DomainError) else str(exc)
        print(text, file=sys.stderr)
        return 1
    print(f"{entry.key} = {entry.display('zh-hans')} ({entry.display('en')})")
    print(f"  {entry.name_zh} / {entry.name_en}")
    print(f"  rule {entry.rule} · kind {entry.kind} · stricter {entry.stricter} · version {entry.version}")
    if entry.clause:
        print(f"  “{entry.clause}” [seed {entry.source['seed']} · {entry.source['document']}]")
    if entry.default_not_from_seeds:
        print("  (默认值，制度未规定 / default, not from the source policies)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kefu", description="kefu 客服运营平台")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="serve UI + API + worker on http://127.0.0.1:8000")
    run.add_argument("--port", type=int, default=int(os.environ.get("KEFU_PORT", "8000")))
    run.add_argument("--no-demo", action="store_true", help="do not load the demo organisation on first run")
    run.add_argument("--web-workers", type=int, default=2)
    run.set_defaults(func=cmd_run)

    worker = sub.add_parser("worker", help="run background tasks and sweeps")
    worker.add_argument("--interval", type=float, default=1.0)
    worker.set_defaults(func=cmd_worker)

    mail_in = sub.add_parser("mail-in", help="receive mail for the service addresses (CASE-2)")
    mail_in.add_argument("--host", default="127.0.0.1")
    mail_in.add_argument("--port", type=int, default=2525)
    mail_in.add_argument(
        "--stdin", action="store_true", help="read one message from standard input (MTA pipe)"
    )
    mail_in.add_argument("--sender", default="", help="with --stdin: the envelope sender (default $SENDER)")
    mail_in.add_argument("--recipient", default="", help="with --stdin: the service address it was sent to")
    mail_in.set_defaults(func=cmd_mail_in)

    migrate = sub.add_parser("migrate", help="apply database migrations")
    migrate.add_argument("--verbosity", type=int, default=1)
    migrate.set_defaults(func=cmd_migrate)

    demo = sub.add_parser("demo", help="load or reset the demo data")
    demo.add_argument("action", choices=["load", "reset"])
    demo.add_argument("--yes", action="store_true")
    demo.set_defaults(func=cmd_demo)

    token = sub.add_parser("token", help="API tokens")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    create = token_sub.add_parser("create", help="print a new API token for USERNAME")
    create.add_argument("username")
    create.add_argument("--name", default="cli")
    create.add_argument(
        "--days",
        type=int,
        default=0,
        help="expire after N days (default and maximum: the policy pack's security.token_lifetime)",
    )
    create.set_defaults(func=cmd_token)

    audit = sub.add_parser("audit", help="audit log")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_sub.add_parser("verify", help="verify the keyed hash chain against signed checkpoints")
    verify.add_argument(
        "--checkpoint",
        default=None,
        help="a checkpoint file or one checkpoint line (default: the data-dir checkpoint file)",
    )
    verify.set_defaults(func=cmd_audit)
    audit_sub.add_parser(
        "checkpoint", help="publish a signed checkpoint (file + log) and print it"
    ).set_defaults(func=cmd_audit)
    audit_sub.add_parser(
        "seal", help="chain the committed, unsealed audit rows now (one sealer at a time)"
    ).set_defaults(func=cmd_audit)

    policy = sub.add_parser("policy", help="policy pack")
    policy_sub = policy.add_subparsers(dest="policy_command", required=True)
    load = policy_sub.add_parser("load", help="load a pack file as a new version if its content changed")
    load.add_argument("--file", default=None, help="pack file (default: the shipped default.yaml)")
    load.add_argument("--effective", default=None, help="effective date YYYY-MM-DD (default: now)")
    load.set_defaults(func=cmd_policy)
    show = policy_sub.add_parser("show", help="print one policy value")
    show.add_argument("key")
    show.set_defaults(func=cmd_policy)

    sub.add_parser("manage", help="Django management commands: kefu manage <command> …", add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "manage":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")
        from django.core.management import execute_from_command_line

        execute_from_command_line(["kefu manage", *argv[1:]])
        return 0
    args = build_parser().parse_args(argv)
    _setup_django()
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
