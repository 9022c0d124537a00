"""The demo's month of answered surveys (CSAT-1): a satisfaction near the 90 % target, 不满意 with words."""

from django.test import Client
from tests.pages.test_chinese_only import latin_shown

from kefu.cases.demo import load_cases
from kefu.followups.demo import load_revisits, load_surveys
from kefu.followups.models import Rating, SurveyAnswer
from kefu.followups.queries import satisfaction


def test_demo_surveys_give_a_month_near_the_target(demo, admin_actor):  # CSAT-1
    load_cases(admin_actor)
    load_revisits(admin_actor)
    assert load_surveys(admin_actor) == {"answers": 40}
    figure = satisfaction.rate()
    assert 88 <= figure.percent <= 93
    unhappy = SurveyAnswer.objects.filter(current=True, overall=Rating.UNSATISFIED)
    assert unhappy.count() == 4 and all(a.words for a in unhappy)
    client = Client()
    client.force_login(demo["gaofeng"].user)
    html = client.get("/satisfaction/?by=month&months=3").content.decode()
    assert "满意率" in html and not latin_shown(html, {"gaofeng"})
    assert load_surveys(admin_actor) == {"answers": 0}  # a second load adds nothing
