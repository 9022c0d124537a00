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
kefu calendar import FILE --year N [--calendar CODE] [--yes]   import a year's official holiday
                                   schedule (CSV): prints what changes, applies it after confirmation
kefu manage …                      any Django management command
"""

import argparse
import os
import sys

import django
from django.core.management import execute_from_command_line


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kefu", description="kefu 客服运营平台")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="serve UI + API + worker on http://127.0.0.1:8000")
    run.add_argument("--port", type=int, default=int(os.environ.get("KEFU_PORT", "8000")))
    run.add_argument("--no-demo", action="store_true", help="do not load the demo organisation on first run")
    run.add_argument("--web-workers", type=int, default=2)
    run.set_defaults(handler="cmd_run")

    worker = sub.add_parser("worker", help="run background tasks and sweeps")
    worker.add_argument("--interval", type=float, default=1.0)
    worker.set_defaults(handler="cmd_worker")

    mail_in = sub.add_parser("mail-in", help="receive mail for the service addresses (CASE-2)")
    mail_in.add_argument("--host", default="127.0.0.1")
    mail_in.add_argument("--port", type=int, default=2525)
    mail_in.add_argument(
        "--stdin", action="store_true", help="read one message from standard input (MTA pipe)"
    )
    mail_in.add_argument("--sender", default="", help="with --stdin: the envelope sender (default $SENDER)")
    mail_in.add_argument("--recipient", default="", help="with --stdin: the service address it was sent to")
    mail_in.set_defaults(handler="cmd_mail_in")

    migrate = sub.add_parser("migrate", help="apply database migrations")
    migrate.add_argument("--verbosity", type=int, default=1)
    migrate.set_defaults(handler="cmd_migrate")

    demo = sub.add_parser("demo", help="load or reset the demo data")
    demo.add_argument("action", choices=["load", "reset"])
    demo.add_argument("--yes", action="store_true")
    demo.set_defaults(handler="cmd_demo")

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
    create.set_defaults(handler="cmd_token")

    audit = sub.add_parser("audit", help="audit log")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_sub.add_parser("verify", help="verify the keyed hash chain against signed checkpoints")
    verify.add_argument(
        "--checkpoint",
        default=None,
        help="a checkpoint file or one checkpoint line (default: the data-dir checkpoint file)",
    )
    verify.set_defaults(handler="cmd_audit")
    audit_sub.add_parser(
        "checkpoint", help="publish a signed checkpoint (file + log) and print it"
    ).set_defaults(handler="cmd_audit")
    audit_sub.add_parser(
        "seal", help="chain the committed, unsealed audit rows now (one sealer at a time)"
    ).set_defaults(handler="cmd_audit")

    policy = sub.add_parser("policy", help="policy pack")
    policy_sub = policy.add_subparsers(dest="policy_command", required=True)
    load = policy_sub.add_parser("load", help="load a pack file as a new version if its content changed")
    load.add_argument("--file", default=None, help="pack file (default: the shipped default.yaml)")
    load.add_argument("--effective", default=None, help="effective date YYYY-MM-DD (default: now)")
    load.set_defaults(handler="cmd_policy")
    show = policy_sub.add_parser("show", help="print one policy value")
    show.add_argument("key")
    show.set_defaults(handler="cmd_policy")

    calendar = sub.add_parser("calendar", help="work calendars")
    calendar_sub = calendar.add_subparsers(dest="calendar_command", required=True)
    holiday_import = calendar_sub.add_parser(
        "import", help="import a year's official holiday schedule: show the diff, then apply it"
    )
    holiday_import.add_argument("file", help="CSV, one date,kind,name line per day (UTF-8 or GB18030)")
    holiday_import.add_argument("--year", type=int, required=True, help="the year the file covers")
    holiday_import.add_argument(
        "--calendar", default=None, help="also show whether each changed date is a working day on CODE"
    )
    holiday_import.add_argument("--note", default="", help="the source document, e.g. the notice's number")
    holiday_import.add_argument("--yes", action="store_true", help="apply without asking")
    holiday_import.set_defaults(handler="cmd_calendar")

    sub.add_parser("manage", help="Django management commands: kefu manage <command> …", add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")
    if argv and argv[0] == "manage":
        execute_from_command_line(["kefu manage", *argv[1:]])
        return 0
    args = build_parser().parse_args(argv)
    django.setup()
    # why: the commands use models, importable only once django.setup() has run
    from kefu import commands

    return getattr(commands, args.handler)(args)


if __name__ == "__main__":
    sys.exit(main())
