"""First-run setup shared by `kefu run` and `kefu demo`."""

from django.core.management import call_command
from django.db import transaction

from kefu.cases import seed as case_seed
from kefu.cases.models import CaseKind
from kefu.core import checkpoints
from kefu.demo import AdminLogin
from kefu.engine.calendars import seed as calendar_seed
from kefu.engine.calendars.models import Calendar, CalendarWindow
from kefu.engine.policy.actions import ensure_loaded
from kefu.org import seed as org_seed
from kefu.org.models import Post, Role


def print_admin_login(login: AdminLogin) -> None:
    if login.created:
        print("\n" + "=" * 64)
        print("  管理员账号 / admin login (只显示这一次 / shown only once)")
        print(f"    用户名 username: {login.username}")
        print(f"    密码   password: {login.password}")
        print("  忘记密码 / forgot it:  kefu manage changepassword admin")
        print("=" * 64 + "\n")


def ensure_reference_data() -> None:
    """The rows every installation needs (posts, roles, calendars, the policy pack, the shipped case
    kinds); the migrations create them, and this restores whatever is missing after a flush.
    Idempotent and cheap."""
    with transaction.atomic():
        org_seed.apply(Post, Role)
        calendar_seed.apply(Calendar, CalendarWindow)
        case_seed.apply(CaseKind)
    ensure_loaded()


def reset_database() -> None:
    """Delete every row, then restore the reference data the migrations seed.

    The audit chain starts again, so the signed checkpoints of the old one are set aside (SEC-6).
    """
    call_command("flush", interactive=False, verbosity=0)
    checkpoints.set_aside()
    ensure_reference_data()
