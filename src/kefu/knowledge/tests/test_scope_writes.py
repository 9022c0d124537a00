"""Issue 10 in the knowledge base (KB-1, ORG-3): an article or a category lands only where the writer's
kb.edit scope reaches, and a category never hangs under another company's."""

import pytest

from kefu.core.errors import Invalid
from kefu.knowledge import actions
from kefu.knowledge.models import Article, Category
from kefu.org.models import Unit

API = "/api/v1/knowledge"


@pytest.mark.django_db
def test_org3_an_article_for_another_subsidiary_is_404(kb, login):  # KB-1, ORG-3 — issue 10
    client = login("lina")  # 客服主管 of 华辰置业 客户服务部: kb.edit over her department
    body = {"title": "越界文章", "body": "正文", "category": "consult"}
    water = Unit.objects.get(code="water-cs")
    refused = client.post(f"{API}/articles", {**body, "unit_id": water.pk}, content_type="application/json")
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
    missing = client.post(f"{API}/articles", {**body, "unit_id": 999_999}, content_type="application/json")
    assert missing.status_code == 404 and missing.json()["error"] == refused.json()["error"]
    assert not Article.objects.filter(title="越界文章").exists()
    hotline = Unit.objects.get(code="realty-cs-hotline")
    placed = client.post(f"{API}/articles", {**body, "unit_id": hotline.pk}, content_type="application/json")
    assert placed.status_code == 201, placed.content
    assert Article.objects.get(title="越界文章").unit == hotline


@pytest.mark.django_db
def test_kb1_a_category_never_hangs_under_another_company(kb, act):  # KB-1 — issue 10
    water = Unit.objects.get(code="hc-water")
    realty = Category.objects.filter(unit__code="hc-realty").first() or actions.create_category(
        act("wangfang"), code="realty-only", name="置业专用", unit=Unit.objects.get(code="hc-realty")
    )
    with pytest.raises(Invalid) as refused:
        actions.create_category(act("gaofeng"), code="water-sub", name="水务子类", unit=water, parent=realty)
    assert refused.value.code == "kb_category_parent"
    assert not Category.objects.filter(code="water-sub").exists()
    group = Category.objects.filter(unit__kind="group").first()
    assert group is not None
    placed = actions.create_category(
        act("gaofeng"), code="water-sub", name="水务子类", unit=water, parent=group
    )
    assert placed.parent == group
