"""KB-1 pages: list with search and category filter, article page with where it was used, the form,
publish and archive; body text is escaped (no raw HTML)."""

import pytest

from kefu.claims.models import Claim
from kefu.knowledge import actions
from kefu.knowledge.models import Article, ArticleState

pytestmark = pytest.mark.django_db


def test_list_search_and_filter(kb, login):  # KB-1
    client = login("zhaomin")
    page = client.get("/knowledge/", {"q": "停电了怎么办"}).content.decode()
    assert "突然停电的处理步骤" in page and "交房验收常见问题" not in page
    page = client.get("/knowledge/", {"category": "property"}).content.decode()
    assert "交房验收常见问题" in page and "投诉处理流程与时限" not in page
    assert 'href="/knowledge/"' in client.get("/").content.decode()  # navigation entry
    assert login("zhaomin").get("/knowledge/new/").status_code == 403


def test_list_page_query_count_and_huge_page_number(kb, login, django_assert_max_num_queries):  # KB-1
    client = login("zhaomin")
    with django_assert_max_num_queries(30):
        response = client.get("/knowledge/")
    assert response.status_code == 200
    response = client.get("/knowledge/", {"page": "9" * 30})
    assert response.status_code == 200 and "投诉处理流程与时限" in response.content.decode()


def test_article_page_lists_uses_and_escapes_html(kb, login, act):  # KB-1
    lina = act("lina")
    article = actions.create_article(
        lina, title="测试<b>粗体</b>", body="第一段<script>x()</script>\n\n第二段", category="consult"
    )
    actions.publish_article(lina, article)
    claim = Claim.objects.order_by("pk").first()
    actions.record_use(act("zhaomin"), article, claim)
    page = login("zhaomin").get(f"/knowledge/{article.pk}/").content.decode()
    assert "<script>x()" not in page and "&lt;script&gt;" in page
    assert "<p>第二段</p>" in page
    assert f'href="{claim.get_absolute_url()}"' in page
    assert "/publish/" not in page  # a reader gets no buttons


def test_create_edit_publish_archive_pages(kb, login):  # KB-1
    client = login("lina")
    assert client.get("/knowledge/new/").status_code == 200
    response = client.post(
        "/knowledge/new/",
        {"title": "节假日值班安排", "category": "consult", "keywords": "值班", "body": "值班表。"},
    )
    article = Article.objects.get(title="节假日值班安排")
    assert response.status_code == 302 and article.state == ArticleState.DRAFT
    bad = client.post(f"/knowledge/{article.pk}/edit/", {"title": "", "category": "consult", "body": "x"})
    assert bad.status_code == 200
    client.post(
        f"/knowledge/{article.pk}/edit/",
        {"title": "节假日值班安排（修订）", "category": "consult", "body": "新值班表。"},
    )
    client.post(f"/knowledge/{article.pk}/publish/")
    article.refresh_from_db()
    assert article.state == ArticleState.PUBLISHED and article.version == 2
    client.post(f"/knowledge/{article.pk}/archive/")
    article.refresh_from_db()
    assert article.state == ArticleState.ARCHIVED
    assert client.get(f"/knowledge/{article.pk}/publish/").status_code == 405
    assert login("zhaomin").get(f"/knowledge/{article.pk}/").status_code == 404
