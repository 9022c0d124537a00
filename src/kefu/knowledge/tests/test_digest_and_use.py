"""KB-1: the weekly digest ("每周对所收集的知识点进行总结") fires once per week with only that week's
articles, to the customer-service staff, each told only of what they may read; recording that an
article was used in a record is idempotent and audited."""

from datetime import timedelta

import pytest

from kefu.claims.models import Claim
from kefu.core import clock, decisions
from kefu.core.errors import Conflict, NotFound, PermissionDenied
from kefu.core.models import AuditEvent
from kefu.engine.notifications.models import Notification
from kefu.engine.schedules import actions as schedule_actions
from kefu.engine.schedules.models import ScheduleRun
from kefu.knowledge import actions, digest, queries
from kefu.knowledge.demo import load_knowledge
from kefu.knowledge.models import Article, ArticleState, ArticleUse, Digest

pytestmark = pytest.mark.django_db


def _digests(user):
    return Notification.objects.filter(recipient=user, template=digest.TEMPLATE).order_by("created_at", "pk")


def _publish(actor, title, category="consult"):
    article = actions.create_article(actor, title=title, body=f"{title}的说明。", category=category)
    return actions.publish_article(actor, article)


def test_digest_once_per_week_with_that_weeks_articles_only(demo, admin_actor, frozen):  # KB-1
    zhaomin, lvxin, huanglei = demo["zhaomin"].user, demo["lvxin"].user, demo["huanglei"].user
    # Monday 2026-03-02 10:00 Shanghai: this week's digest (due 08:30) covers the week before
    load_knowledge(admin_actor)
    schedule_actions.sweep()
    first = Digest.objects.get()
    assert first.period_key == "2026-W10" and first.article_ids == []  # published after 08:30
    assert not Notification.objects.filter(template=digest.TEMPLATE).exists()

    clock.advance(timedelta(days=2))  # Wednesday
    extra = _publish(admin_actor, "周三新增：预约上门服务")
    schedule_actions.sweep()
    assert Digest.objects.count() == 1  # nothing due mid-week

    clock.advance(timedelta(days=5))  # Monday 2026-03-09 10:00
    schedule_actions.sweep()
    schedule_actions.sweep()  # a second sweep (another worker) changes nothing
    week = Digest.objects.get(period_key="2026-W11")
    published = set(Article.objects.filter(state=ArticleState.PUBLISHED).values_list("pk", flat=True))
    assert set(week.article_ids) == published and extra.pk in week.article_ids
    assert _digests(zhaomin).count() == 1 and _digests(lvxin).count() == 1
    assert not _digests(huanglei).exists()  # sales is not the customer-service audience
    realty_only = "交房验收常见问题"
    assert realty_only in _digests(zhaomin).get().body
    assert realty_only not in _digests(lvxin).get().body  # only what each may read
    assert "周三新增：预约上门服务" in _digests(lvxin).get().body
    assert week.recipients == Notification.objects.filter(template=digest.TEMPLATE).count()
    assert decisions.for_object(week).get().rule == "KB-1"

    clock.advance(timedelta(days=1))  # Tuesday of the next week
    later = _publish(admin_actor, "新规：周二发布的知识")
    clock.advance(timedelta(days=6))  # Monday 2026-03-16 10:00
    schedule_actions.sweep()
    third = Digest.objects.get(period_key="2026-W12")
    assert third.article_ids == [later.pk]
    bodies = [n.body for n in _digests(zhaomin)]
    assert len(bodies) == 2 and "新规：周二发布的知识" in bodies[1] and realty_only not in bodies[1]
    assert ScheduleRun.objects.filter(schedule=digest.WEEKLY_DIGEST.name).count() == 3


def test_digest_message_in_english_too(demo, admin_actor, frozen):  # KB-1
    from kefu.engine.notifications.rendering import render

    context = {"week": "2026-W11", "start": frozen, "end": frozen, "count": 1, "more": 0}
    context["articles"] = [{"title": "停水通知查询方法", "category": "用水", "url": "/knowledge/1/"}]
    subject_zh, body_zh = render(digest.TEMPLATE, "zh-hans", context)
    subject_en, body_en = render(digest.TEMPLATE, "en", context)
    assert "知识周报" in subject_zh and "停水通知查询方法" in body_zh
    assert subject_en.startswith("Knowledge digest 2026-W11") and "KB-1" in body_en


def test_record_use_is_idempotent_and_audited(kb, act):  # KB-1
    zhaomin = act("zhaomin")
    article = Article.objects.get(title="投诉处理流程与时限")
    record = Claim.objects.order_by("pk").first()
    first = actions.record_use(zhaomin, article, record)
    again = actions.record_use(zhaomin, article, record)
    assert first.pk == again.pk and ArticleUse.objects.count() == 1
    assert AuditEvent.objects.filter(action="knowledge.article_used").count() == 1
    rows = queries.uses_of(article)
    assert len(rows) == 1 and rows[0]["url"] == record.get_absolute_url()
    assert list(queries.articles_used_in(record)) == [article]
    other = Article.objects.get(title="报修上门时间说明")
    actions.record_use(act("lina"), other, record)
    assert set(queries.articles_used_in(record)) == {article, other}


def test_record_use_refuses_drafts_and_unseen_articles(kb, act, admin_actor):  # KB-1
    record = Claim.objects.order_by("pk").first()
    draft = Article.objects.get(state=ArticleState.DRAFT)
    with pytest.raises(NotFound):
        actions.record_use(act("zhaomin"), draft, record)
    water = Article.objects.get(title="停水通知查询方法")
    with pytest.raises(NotFound):
        actions.record_use(act("zhaomin"), water, record)
    with pytest.raises(Conflict):
        actions.record_use(admin_actor, draft, record)  # an editor sees it, but it is not published
    assert not ArticleUse.objects.exists()


def test_supervisory_only_role_records_no_use(kb, act):  # ORG-4
    # "只有督导权没有行政权": 唐宁 reads the knowledge base; recording a use in a record is a write
    article = Article.objects.get(title="投诉处理流程与时限")
    record = Claim.objects.order_by("pk").first()
    assert queries.article(act("tangning"), article.pk) == article
    with pytest.raises(PermissionDenied) as refused:
        actions.record_use(act("tangning"), article, record)
    assert refused.value.code == "ORG-4.supervisory_only"
    assert not ArticleUse.objects.exists()


def test_digest_after_an_outage_covers_the_missed_week(demo, admin_actor, frozen):  # KB-1
    load_knowledge(admin_actor)
    schedule_actions.sweep()  # 2026-W10, before the articles
    clock.advance(timedelta(days=14))  # no worker ran on 2026-03-09
    schedule_actions.sweep()
    runs = dict(
        ScheduleRun.objects.filter(schedule=digest.WEEKLY_DIGEST.name).values_list("period_key", "status")
    )
    assert runs == {"2026-W10": "done", "2026-W11": "missed", "2026-W12": "done"}
    latest = Digest.objects.get(period_key="2026-W12")
    assert len(latest.article_ids) == Article.objects.filter(state=ArticleState.PUBLISHED).count()
    assert _digests(demo["zhaomin"].user).count() == 1
