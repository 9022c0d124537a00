"""`kefu manage insights_rebuild`: recompute every KPI fact from scratch (KPI-1)."""

from django.core.management.base import BaseCommand

from kefu.core.actor import Actor
from kefu.insights.actions import kpis


class Command(BaseCommand):
    help = "Recompute the KPI daily facts from scratch (KPI-1); gives the same numbers as the worker"

    def handle(self, *args, **options):
        done = kpis.rebuild(Actor.system("insights_rebuild"))
        swept = kpis.sweep_all()
        self.stdout.write(
            f"rebuilt the facts of {done.cases} cases up to audit seq {done.seq}; swept {swept} later rows"
        )
