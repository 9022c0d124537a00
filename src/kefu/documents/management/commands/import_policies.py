"""`kefu manage import_policies [FILE …] --unit CODE --as USERNAME`: load text files as policies of a unit
(DOC-1) — the title from each file's first line. Without files: the seed documents (docs/spec/seeds).
Running it again changes nothing, or issues a new version of a policy whose text changed."""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kefu.core.errors import DomainError
from kefu.documents.actions import policies
from kefu.documents.seeds import seed_files
from kefu.org.access import actor_for
from kefu.org.models import Unit


class Command(BaseCommand):
    help = "Import text files as policy documents of a unit (DOC-1); default: the seed documents"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="text files (UTF-8); the first line is the title")
        parser.add_argument("--unit", default="hc-group", help="code of the issuing unit")
        parser.add_argument("--as", dest="username", default="admin", help="who issues them")
        parser.add_argument("--effective", default="", help="effective date YYYY-MM-DD (default today)")

    def handle(self, *args, files, unit, username, effective, **options):
        found = Unit.objects.filter(code=unit).first()
        if found is None:
            raise CommandError(f"no unit with code {unit!r}")
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        paths = files or seed_files()
        if not paths:
            raise CommandError("no files given and no seed documents found")
        try:
            effective_on = date.fromisoformat(effective) if effective else None
        except ValueError as error:
            raise CommandError(f"--effective: {error}") from None
        try:
            made = policies.import_texts(
                actor_for(user, origin="cli"), unit=found, paths=paths, effective_on=effective_on
            )
        except (DomainError, OSError, UnicodeDecodeError) as error:
            raise CommandError(str(getattr(error, "message", error))) from None
        self.stdout.write(
            f"issued {made['issued']}, new versions {made['versions']}, unchanged {made['unchanged']}"
        )
