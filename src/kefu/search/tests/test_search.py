"""Issue 13, global search: a term finds cases (number, words of title/description/contact name —
two Chinese characters included —, a linked customer's name, a full phone by blind index) in every
state, customers and knowledge articles, each as the reader's own lists would show them; the page
groups them by 工单/客户/知识 and the API answers the same."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.pages.test_chinese_only import latin_shown

from kefu.cases.models import Case, CaseState
from kefu.cases.queries import intake as case_queries
from kefu.core import clock, textsearch
from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.customers.models import Customer
from kefu.knowledge.demo import load_knowledge
from kefu.search import queries

pytestmark = pytest.mark.django_db

HU = "13957242518"  # 胡永刚: realty's archive (demo)
HE = "13657262592"  # 何建华: the water company's archive (demo)


def numbers(found) -> set[str]:
    return {case.number for case in found.cases.rows}


def login(demo, username) -> Client:
    client = Client()
    client.force_login(demo[username].user)
    return client


def bearer(user) -> dict:
    _, token = create_token(Actor(user=user, origin="test"), user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_two_character_chinese_terms_match(new_case, act):
    leak = new_case(title="报修", description="三栋二单元卫生间漏水严重，楼下天花板滴水")
    other = new_case(title="咨询物业费", description="物业费收费标准")
    found = queries.search(act("lina"), "漏水")
    assert numbers(found) == {leak.number}
    assert numbers(queries.search(act("lina"), "物业")) == {other.number}
    assert numbers(queries.search(act("lina"), "漏电")) == set()  # 漏 alone is not 漏水
    # every word counts, in any of the columns; a word that is in no column finds nothing
    assert numbers(queries.search(act("lina"), "漏水 天花板")) == {leak.number}
    assert numbers(queries.search(act("lina"), "漏水 物业费")) == set()


def test_closed_cases_are_found_newest_first(new_case, act, frozen):
    old = new_case(title="电梯故障", description="")
    clock.advance(timedelta(minutes=5))
    new = new_case(title="电梯困人", description="")
    Case.objects.filter(pk=old.pk).update(state=CaseState.CLOSED)
    found = queries.search(act("lina"), "电梯")
    assert [c.number for c in found.cases.rows] == [new.number, old.number]


def test_number_phone_and_customer_name(new_case, act, demo):
    case = new_case(title="咨询交房时间", contact={"name": "钱先生", "phone": "13512345678"})
    lina = act("lina")
    assert numbers(queries.search(lina, case.number)) == {case.number}
    assert numbers(queries.search(lina, case.number.lower())) == {case.number}
    assert numbers(queries.search(lina, "钱先生")) == {case.number}  # the contact's name
    # the full phone by blind index: the number never reaches the database in clear
    with CaptureQueriesContext(connection) as captured:
        found = queries.search(lina, "135 1234 5678")
    assert numbers(found) == {case.number}
    assert not any("12345678" in q["sql"] for q in captured.captured_queries)
    assert numbers(queries.search(lina, "1234")) == set()  # part of a phone finds nothing
    # a customer linked to the case, by name, for a reader who sees that customer
    customer = Customer.objects.get(name="胡永刚")
    linked = new_case(title="咨询车位", contact={"name": "", "phone": HU})
    assert linked.customer_id == customer.pk
    assert linked.number in numbers(queries.search(lina, "永刚"))
    assert [c.name for c in queries.search(lina, "永刚").customers.rows] == ["胡永刚"]


def test_scoped_as_the_lists(new_case, act, admin_actor):
    """An agent does not find another subsidiary's case, customer or article; its own staff do."""
    load_knowledge(admin_actor)
    water = new_case(
        by="lvxin", title="水压不足", description="小区水压不足", contact={"name": "", "phone": HE}
    )
    mine = new_case(by="zhaomin", title="水压偏低", description="")
    agent = queries.search(act("zhaomin"), "水压")
    assert water.number not in numbers(agent)
    assert set(numbers(agent)) == set(
        case_queries.cases(act("zhaomin"), q="水压").values_list("number", flat=True)
    )
    assert mine.number in numbers(queries.search(act("lina"), "水压"))
    assert water.number in numbers(queries.search(act("gaofeng"), "水压"))
    assert queries.search(act("zhaomin"), "建华").customers.rows == []
    assert [c.name for c in queries.search(act("gaofeng"), "建华").customers.rows] == ["何建华"]
    # the water company's article on 过户 is not realty's to read
    assert [a.title for a in queries.search(act("gaofeng"), "过户").articles.rows] == ["如何办理用水户过户"]
    assert queries.search(act("zhaomin"), "过户").articles.rows == []


def test_sections_stop_at_ten_and_say_more(new_case, act):
    for n in range(queries.SHOWN + 1):
        new_case(title=f"噪音扰民 {n}")
    found = queries.search(act("lina"), "噪音")
    assert len(found.cases.rows) == queries.SHOWN and found.cases.more
    assert not queries.search(act("lina"), "扰民 10").cases.more


def test_a_term_too_long_is_refused_in_chinese(demo):
    response = login(demo, "lina").get("/search/", {"q": "长" * 101})
    assert response.status_code == 400
    assert "搜索词最多 100 个字" in response.content.decode()
    api = Client().get("/api/v1/search", {"q": "长" * 101}, **bearer(demo["lina"].user))
    assert api.status_code == 422 and api.json()["error"]["code"]


def test_the_page_groups_results(new_case, demo):
    case = new_case(title="外墙渗水", description="客户反映外墙渗水")
    Case.objects.filter(pk=case.pk).update(state=CaseState.CLOSED)
    body = login(demo, "lina").get("/search/", {"q": "渗水"}).content.decode()
    assert case.number in body and 'id="search-cases"' in body
    assert "工单" in body and "客户" in body and "知识" in body
    assert 'id="search-empty"' not in body
    assert latin_shown(body, {"lina"}) == set()  # the Chinese scan's rules (issue 13)
    empty = login(demo, "lina").get("/search/", {"q": "鲸鱼"}).content.decode()
    assert 'id="search-empty"' in empty and "没有找到" in empty
    assert latin_shown(empty, {"lina"}) == set()
    blank = login(demo, "lina").get("/search/").content.decode()
    assert 'id="topbar-search"' in blank and "/search/" in blank


def test_the_top_bar_has_the_box_on_every_page(demo):
    body = login(demo, "zhaomin").get("/").content.decode()
    assert 'id="topbar-search"' in body and 'aria-keyshortcuts="/"' in body and "search/search.js" in body


def test_the_api_answers_the_same(new_case, demo):
    case = new_case(title="门禁失灵", description="")
    water = new_case(by="lvxin", title="门禁坏了", description="")
    answer = Client().get("/api/v1/search", {"q": "门禁"}, **bearer(demo["zhaomin"].user))
    assert answer.status_code == 200
    data = answer.json()
    found = [row["number"] for row in data["cases"]["items"]]
    assert case.number in found and water.number not in found
    assert data["cases"]["more"] is False and data["q"] == "门禁"
    assert set(data) == {"q", "cases", "customers", "articles"}
    customers = Client().get("/api/v1/search", {"q": "永刚"}, **bearer(demo["lina"].user)).json()["customers"]
    assert customers["items"][0]["masked_phone"] == "139****2518"  # SEC-2: never the full number
    spec = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/search" in spec["paths"]


def test_the_case_list_search_covers_every_state(new_case, demo):
    """Issue 13: "page search covers open cases only unless a state is chosen" — a term searches all."""
    case = new_case(by="zhaomin", title="车辆剐蹭", description="")
    Case.objects.filter(pk=case.pk).update(state=CaseState.CLOSED)
    client = login(demo, "zhaomin")
    assert case.number in client.get("/cases/", {"q": "剐蹭"}).content.decode()
    assert case.number not in client.get("/cases/").content.decode()  # without a term: open cases


@pytest.mark.parametrize(
    "text",
    ["小区漏水严重 A栋3-201", "WX2026 Ab", "漏", "", "ＡＢ全角", "𠀀𠀁 扩展区", "Kelvin K 混合abc123"],
)
def test_grams_are_the_same_in_python_and_postgresql(text):
    if connection.vendor != "postgresql":
        pytest.skip("the SQL function exists on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT kefu_grams(%s)", [text])
        in_sql = cursor.fetchone()[0]
    assert sorted(in_sql) == sorted(textsearch.grams(text))


def test_the_gram_index_serves_the_case_search(new_case):
    """The filter is the index's own expression: PostgreSQL can answer it from cases_text_grams."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's gram index")
    new_case(title="漏水", description="")
    # the text condition alone: with the scope too, a tiny test table is cheaper through the scope's
    # indexes, whichever plan a million cases get (docs/performance.md "Global search")
    condition = textsearch.contains("漏水", *case_queries.TEXT_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        compiled = Case.objects.filter(condition).query.sql_with_params()
        cursor.execute("EXPLAIN " + compiled[0], compiled[1])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "cases_text_grams" in plan, plan


def test_latin_and_digits_match_as_substrings_on_both_databases(new_case, act):
    """Letters and digits are grams like Chinese characters: any part of a word matches, any case."""
    case = new_case(title="WX2026 型号热水器", description="")
    for term in ("wx", "X20", "2026", "wx2026", "型号"):
        assert case.number in numbers(queries.search(act("lina"), term)), term
    assert case.number not in numbers(queries.search(act("lina"), "wx2027"))


def test_the_grams_are_written_into_the_statement(act):
    """A prepared statement's generic plan must not be planned without the grams (PostgreSQL)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's prepared statements")
    sql, _ = case_queries.cases(act("lina"), q="漏水").query.sql_with_params()
    assert "ARRAY['漏水']::text[]" in sql
    with pytest.raises(ValueError):
        str(Case.objects.filter(textsearch.GramsCover("title", grams=["a'"])).query)
