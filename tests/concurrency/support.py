"""Shared set-up of the write-path concurrency tests (issue 11): PostgreSQL only, real connections."""

from datetime import timedelta

import pytest
from django.conf import settings

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pg_only(test):
    """Real parallel connections (or processes) on PostgreSQL, committed data."""
    for mark in (
        pytest.mark.django_db(transaction=True),
        pytest.mark.skipif(not ON_POSTGRES, reason="parallel connections are tested on PostgreSQL"),
        pytest.mark.pg_only,
    ):
        test = mark(test)
    return test


def demo_with_groups() -> dict:
    """The demo organisation (no sample cases) with realty's hotline and complaints skill groups."""
    from kefu import demo as demo_data
    from kefu.cases.models import Office, SkillGroup
    from kefu.org.models import Employee, Unit

    demo_data.load(service_cases=False)
    people = {e.user.username: e for e in Employee.objects.select_related("user", "unit")}
    hotline, _ = SkillGroup.objects.get_or_create(
        unit=Unit.objects.get(code="realty-cs-hotline"),
        code="hotline",
        defaults={"name": "热线组", "office": Office.FRONT, "families": ["consultation", "suggestion"]},
    )
    hotline.members.set([people["zhaomin"], people["sunli"]])
    complaints, _ = SkillGroup.objects.get_or_create(
        unit=Unit.objects.get(code="realty-cs-complaints"),
        code="complaints",
        defaults={"name": "投诉组", "office": Office.BACK, "families": ["complaint"]},
    )
    complaints.members.set([people["wujing"]])
    return people


def overdue_cases(count: int, owner) -> list[int]:
    """`count` open cases (bulk rows) each with a running resolution clock that is already due; their ids."""
    from django.contrib.contenttypes.models import ContentType

    from kefu.cases.models import Case, CaseKind
    from kefu.core import clock
    from kefu.engine.workflow.models import Timer

    kind = CaseKind.objects.get(unit__isnull=True, code="consultation")
    now = clock.now()
    cases = Case.objects.bulk_create(
        Case(
            number=f"KF-LOAD-{n:06d}",
            kind=kind,
            family=kind.family,
            channel="phone",
            state="investigating",
            title=f"待处理 {n}",
            contact_name=f"客户{n}",
            unit=owner.unit,
            owner=owner,
            received_at=now - timedelta(days=2),
            updated_at=now,
        )
        for n in range(count)
    )
    content_type = ContentType.objects.get_for_model(Case)
    Timer.objects.bulk_create(
        Timer(
            content_type=content_type,
            object_id=str(case.pk),
            name="resolution",
            policy_key="sla.resolution",
            started_at=now - timedelta(days=2),
            due_at=now - timedelta(minutes=1),
            next_check_at=now - timedelta(minutes=1),
            calendar="office",
        )
        for case in cases
    )
    return [case.pk for case in cases]


def fired_once(case_ids: list[int], now) -> tuple[int, int, int]:
    """(clocks still due at `now`, breach decisions, cases with more than one breach decision).

    A breached resolution clock escalates and stays running for the next level, due again later."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count

    from kefu.cases.models import Case
    from kefu.core.models import Decision
    from kefu.engine.workflow.models import Timer, TimerState

    content_type = ContentType.objects.get_for_model(Case)
    ids = [str(pk) for pk in case_ids]
    running = Timer.objects.filter(
        content_type=content_type,
        object_id__in=ids,
        name="resolution",
        state=TimerState.RUNNING,
        next_check_at__lte=now,
    ).count()
    breaches = Decision.objects.filter(
        content_type=content_type,
        object_id__in=ids,
        outcome__startswith="处理完结时限 超时",  # the resolution clock's breach decision
    )
    doubled = breaches.values("object_id").annotate(n=Count("id")).filter(n__gt=1).count()
    return running, breaches.count(), doubled
