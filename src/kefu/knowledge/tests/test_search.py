"""KB-1: search (Chinese by character bigrams, title/keywords ranked above body), suggestions by case
text and kind, drafts only for editors, and the knowledge scope (own units and the units above)."""

import pytest

from kefu.core.errors import NotFound, PermissionDenied
from kefu.knowledge import actions, queries
from kefu.knowledge.models import Article, ArticleState
from kefu.knowledge.search import paragraphs, tokens

pytestmark = pytest.mark.django_db


def _titles(rows):
    return [a.title for a in rows]


def test_tokens_split_chinese_into_bigrams_and_keep_words():  # KB-1
    assert tokens("停水通知 96390热线？a") == ["停水", "水通", "通知", "96390", "热线"]
    assert tokens("电") == ["电"]
    assert tokens("！？ a") == []
    long_text = "".join(chr(0x4E00 + i * 7) for i in range(100))
    assert len(tokens(long_text)) == 24


def test_chinese_query_without_spaces_finds_the_article(kb, act):  # KB-1
    lvxin = act("lvxin")
    found = _titles(queries.search(lvxin, q="怎么查询停水通知"))
    assert found[0] == "停水通知查询方法"
    assert "如何办理用水户过户" in _titles(queries.search(lvxin, q="过户要带什么材料"))
    assert not queries.search(lvxin, q="火星登陆").exists()


def test_title_and_keyword_hits_rank_above_body_hits(kb, act):  # KB-1
    rows = list(queries.search(act("zhaomin"), q="回访"))
    titles = _titles(rows)
    # "投诉处理流程与时限" has 回访 among its keywords; "报修上门时间说明" only in its body
    assert titles.index("投诉处理流程与时限") < titles.index("报修上门时间说明")
    assert rows[0].score > rows[-1].score


def test_category_filter_includes_subcategories(kb, act):  # KB-1
    titles = _titles(queries.search(act("lvxin"), category="consult"))
    assert "如何办理用水户过户" in titles and "客户咨询的首问负责" in titles
    assert "停水通知查询方法" not in titles


def test_suggest_ranks_by_kind_and_text(kb, act, admin_actor):  # KB-1
    zhaomin = act("zhaomin")
    for category in ("repair", "complaint"):
        twin = actions.create_article(
            admin_actor, title="服务承诺说明", body="按承诺时间答复客户。", category=category
        )
        actions.publish_article(admin_actor, twin)
    # the same text: the case's kind decides which category's article comes first
    assert queries.suggest(zhaomin, text="服务承诺", kind_code="repair")[0].category.code == "repair"
    assert queries.suggest(zhaomin, text="服务承诺", kind_code="complaint")[0].category.code == "complaint"
    # the text decides among articles of the kind's categories
    repair = queries.suggest(zhaomin, text="维修人员什么时候上门", kind_code="repair")
    assert repair[0].title == "报修上门时间说明"
    assert queries.suggest(zhaomin, text="客户说要投诉，多久处理", kind_code="complaint")[0].title == (
        "投诉处理流程与时限"
    )
    assert len(queries.suggest(zhaomin, text="停电", limit=2)) <= 2
    assert queries.suggest(zhaomin, text="停电")[0].title == "突然停电的处理步骤"
    assert queries.suggest(zhaomin, text="", kind_code="nonexistent") == []
    by_category = queries.suggest(zhaomin, text="", category_code="billing")
    assert {a.category.code for a in by_category} == {"billing"}


def test_drafts_are_seen_only_by_editors_in_scope(kb, act, admin_actor):  # KB-1
    draft = Article.objects.get(state=ArticleState.DRAFT)  # group-wide draft by the administrator
    zhaomin, lina, wangfang = act("zhaomin"), act("lina"), act("wangfang")
    assert draft not in queries.search(zhaomin)
    with pytest.raises(NotFound):
        queries.article(zhaomin, draft.pk)
    with pytest.raises(NotFound):  # lina edits her department, not the group's drafts
        queries.article(lina, draft.pk)
    assert queries.article(admin_actor, draft.pk) == draft
    mine = actions.create_article(lina, title="热线交接班注意事项", body="交接未结工单。", category="consult")
    assert mine.unit.code == "realty-cs"
    assert queries.article(wangfang, mine.pk) == mine  # her subsidiary
    with pytest.raises(NotFound):
        queries.article(zhaomin, mine.pk)
    with pytest.raises(NotFound):
        queries.article(act("gaofeng"), mine.pk)  # another subsidiary's editor
    actions.publish_article(lina, mine)
    assert queries.article(zhaomin, mine.pk) == mine
    assert mine in queries.suggest(zhaomin, text="热线交接班")
    actions.archive_article(lina, mine)
    with pytest.raises(NotFound):
        queries.article(zhaomin, mine.pk)
    assert mine not in queries.suggest(zhaomin, text="热线交接班", limit=20)


def test_scope_own_units_and_above(kb, act):  # KB-1
    realty_only, water_only, group = "交房验收常见问题", "停水通知查询方法", "投诉处理流程与时限"
    zhaomin = set(_titles(queries.search(act("zhaomin"))))
    lvxin = set(_titles(queries.search(act("lvxin"))))
    assert realty_only in zhaomin and water_only not in zhaomin and group in zhaomin
    assert water_only in lvxin and realty_only not in lvxin and group in lvxin
    water = Article.objects.get(title=water_only)
    with pytest.raises(NotFound):
        queries.article(act("zhaomin"), water.pk)
    assert {c.code for c in queries.categories(act("zhaomin"))} >= {"consult", "property"}
    assert "water" not in {c.code for c in queries.categories(act("zhaomin"))}


def test_writing_needs_kb_edit_in_scope(kb, act):  # KB-1
    with pytest.raises(PermissionDenied):
        actions.create_article(act("zhaomin"), title="t", body="b", category="consult")
    group_article = Article.objects.get(title="投诉处理流程与时限")
    with pytest.raises(PermissionDenied):  # readable, not editable for a department editor
        actions.edit_article(act("lina"), group_article, title="改")
    with pytest.raises(PermissionDenied):
        actions.publish_article(act("zhaomin"), group_article)


def test_edit_bumps_version_and_is_audited(kb, act):  # KB-1
    from kefu.core.models import AuditEvent

    wangfang = act("wangfang")
    article = Article.objects.get(title="交房验收常见问题")
    edited = actions.edit_article(wangfang, article, keywords="交房 验收 保修 整改")
    assert edited.version == article.version + 1
    assert actions.edit_article(wangfang, edited, keywords="交房 验收 保修 整改").version == edited.version
    assert (
        AuditEvent.objects.filter(action="knowledge.article_edited", object_id=str(article.pk)).count() == 1
    )


def test_body_renders_as_paragraphs_without_html():  # KB-1
    assert paragraphs("第一段\n\n<b>第二段</b>\n续\n\n\n") == ["第一段", "<b>第二段</b>\n续"]
