"""KB-1 API under /api/v1/knowledge: lists without N+1, suggestions, writes through the actions and
bilingual 4xx (never 500) on bad input."""

import pytest

from kefu.knowledge.models import Article, ArticleState

pytestmark = pytest.mark.django_db
API = "/api/v1/knowledge"


def _bilingual(response, status):
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] and error["messages"]["zh-hans"] and error["messages"]["en"]
    return error


def test_list_search_and_query_count(kb, login, django_assert_max_num_queries):  # KB-1
    client = login("zhaomin")
    # 12 + the session's idle stamp written under a short lock wait (issue 11: PRAGMA, savepoint ×2, PRAGMA)
    with django_assert_max_num_queries(16):
        body = client.get(f"{API}/articles").json()
    assert body["count"] >= 10 and all(a["state"] == "published" for a in body["items"])
    with django_assert_max_num_queries(16):
        found = client.get(f"{API}/articles", {"q": "投诉怎么处理", "limit": 3}).json()
    assert found["items"][0]["title"] == "投诉处理流程与时限"
    assert client.get(f"{API}/articles", {"category": "property"}).json()["count"] == 2
    assert client.get(f"{API}/articles", {"state": "draft"}).json()["count"] == 0


def test_suggest_and_categories(kb, login):  # KB-1
    client = login("zhaomin")
    rows = client.get(f"{API}/suggest", {"text": "客户家里突然停电", "kind": "repair"}).json()
    assert rows[0]["title"] == "突然停电的处理步骤" and rows[0]["score"] > 0
    codes = {c["code"] for c in client.get(f"{API}/categories").json()}
    assert "complaint" in codes and "water" not in codes
    _bilingual(client.get(f"{API}/suggest", {"text": "x", "limit": 999}), 400)


def test_write_publish_archive_flow(kb, login):  # KB-1
    client = login("lina")
    made = client.post(
        f"{API}/articles",
        {
            "title": "夜间热线交接",
            "body": "交接未结工单。\n\n记录回访安排。",
            "category": "consult",
            "keywords": "交接",
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    article = made.json()
    assert article["state"] == "draft" and article["unit"]["name"] == "客户服务部"
    url = f"{API}/articles/{article['id']}"
    patched = client.patch(url, {"keywords": "交接 夜班"}, content_type="application/json").json()
    assert patched["version"] == 2 and patched["keywords"] == ["交接", "夜班"]
    assert client.post(f"{url}/publish").json()["state"] == "published"
    assert login("zhaomin").get(url).status_code == 200
    client = login("lina")
    assert client.post(f"{url}/archive").json()["state"] == "archived"
    _bilingual(client.patch(url, {"title": "再改"}, content_type="application/json"), 409)
    _bilingual(login("zhaomin").get(url), 404)


def test_bad_input_is_a_bilingual_4xx(kb, login):  # KB-1
    client = login("lina")
    post = lambda body: client.post(f"{API}/articles", body, content_type="application/json")  # noqa: E731
    error = _bilingual(post({"title": "  ", "body": "正文", "category": "consult"}), 400)
    assert "title" in error["fields"]
    error = _bilingual(post({"title": "标题", "body": "正文", "category": "no-such"}), 400)
    assert error["code"] == "kb_category_unknown"
    _bilingual(post({"title": "标题", "body": "正文", "category": "water"}), 400)  # another subsidiary's
    _bilingual(post({"title": "标题", "body": "正文", "category": "consult", "extra": 1}), 422)
    _bilingual(post({"title": "标" * 201, "body": "正文", "category": "consult"}), 422)
    _bilingual(client.get(f"{API}/articles", {"offset": 10**30}), 422)
    assert client.get(f"{API}/articles", {"offset": 10**6}).json()["items"] == []
    _bilingual(client.get(f"{API}/articles", {"state": "weird"}), 400)
    _bilingual(client.get(f"{API}/articles/999999"), 404)
    draft = Article.objects.get(state=ArticleState.DRAFT)
    _bilingual(client.get(f"{API}/articles/{draft.pk}"), 404)  # the group's draft: not hers
    _bilingual(login("zhaomin").post(f"{API}/articles/{draft.pk}/publish"), 404)
    group = Article.objects.get(title="投诉处理流程与时限")
    _bilingual(login("zhaomin").post(f"{API}/articles/{group.pk}/publish"), 403)
    _bilingual(
        login("zhaomin").post(
            f"{API}/articles",
            {"title": "t", "body": "b", "category": "consult"},
            content_type="application/json",
        ),
        403,
    )


def test_openapi_documents_the_routes(client, db):  # KB-1
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for route in (
        "/articles",
        "/articles/{article_id}",
        "/articles/{article_id}/publish",
        "/suggest",
        "/categories",
    ):
        operations = paths[f"{API}{route}"]
        assert all(op.get("summary") for op in operations.values())
