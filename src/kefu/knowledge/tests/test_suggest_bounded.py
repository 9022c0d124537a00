"""The case page's knowledge suggestion is bounded (issue 13 "Lists that do not grow with history"):
one query over the articles' indexed terms (`ArticleTerm`), no text matching of every article, at most
`limit` rows; the terms follow every edit of the text."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.knowledge import actions, queries
from kefu.knowledge.models import Article, ArticleTerm
from kefu.knowledge.search import terms

pytestmark = pytest.mark.django_db

CASE_TEXT = "客户来电反映小区地下车库漏水，物业维修人员什么时候上门处理？" * 3


def test_kb1_suggestion_reads_indexed_terms_with_a_limit_never_every_article_text(kb, act):  # KB-1
    zhaomin = act("zhaomin")
    queries.suggest(zhaomin, text=CASE_TEXT, kind_code="repair")  # warm the process caches
    with CaptureQueriesContext(connection) as captured:
        found = queries.suggest(zhaomin, text=CASE_TEXT, kind_code="repair", limit=3)
    assert found and found[0].title == "报修上门时间说明"
    ranked = [q["sql"] for q in captured.captured_queries if '"knowledge_article"' in q["sql"]]
    assert len(ranked) == 1
    sql = ranked[0]
    for field in ("title", "keywords", "body"):  # no article's text matched against each token
        assert f'"knowledge_article"."{field}" LIKE' not in sql
    assert '"knowledge_articleterm"' in sql and sql.rstrip().endswith("LIMIT 3")
    assert len(captured) <= 3  # the reader's grants, the categories linked to the kind, the ranking


def test_kb1_terms_follow_the_articles_text(kb, act, admin_actor):  # KB-1
    zhaomin = act("zhaomin")
    article = actions.create_article(
        admin_actor, title="燃气表更换须知", body="更换前请关闭阀门。", category="repair"
    )
    actions.publish_article(admin_actor, article)
    stored = dict(ArticleTerm.objects.filter(article=article).values_list("term", "weight"))
    assert stored == terms(title=article.title, keywords=article.keywords, body=article.body)
    assert stored["燃气"] == 5 and stored["阀门"] == 1
    assert [a.title for a in queries.suggest(zhaomin, text="燃气表要换")][:1] == ["燃气表更换须知"]
    actions.edit_article(admin_actor, Article.objects.get(pk=article.pk), title="电表更换须知")
    assert "燃气表更换须知" not in [a.title for a in queries.suggest(zhaomin, text="燃气表要换")]
    assert [a.title for a in queries.suggest(zhaomin, text="电表要换")][:1] == ["电表更换须知"]
