"""WX-1 the daily weather bulletin: opened once a day per subsidiary (idempotent sweep), forecasts entered
or imported all or nothing with Chinese errors, severe weather highlighted and sent to weather.alert holders,
publishing tells the unit's staff."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kefu.cases.tests.test_api_cases import bearer
from kefu.core import clock
from kefu.core.errors import Conflict, Invalid, NotFound
from kefu.emergency import providers
from kefu.emergency.actions import weather as actions
from kefu.emergency.models import Bulletin, BulletinState, Forecast
from kefu.emergency.queries import weather as queries
from kefu.engine.notifications.models import Notification
from kefu.org.models import Unit, UnitKind


def _csv(*lines) -> tuple[str, bytes]:
    head = "日期,地区,天气,最低气温,最高气温,风力,预警"
    return "forecast.csv", "\n".join([head, *lines]).encode("utf-8")


def _three_days(severe=False):
    d = clock.today()
    return _csv(
        f"{d},杭州,多云,12,20,东风3级,",
        f"{d + timedelta(days=1)},杭州,{'暴雨' if severe else '小雨'},11,17,东风4级,{'暴雨橙色预警' if severe else ''}",
        f"{d + timedelta(days=2)},杭州,晴,10,22,,",
    )


def test_wx1_bulletin_opened_once_per_day(demo, frozen):  # WX-1
    subsidiaries = Unit.objects.filter(kind=UnitKind.SUBSIDIARY, is_active=True).count()
    assert actions.daily() == subsidiaries
    assert actions.daily() == 0  # the sweep again: nothing new
    assert Bulletin.objects.filter(day=clock.today()).count() == subsidiaries
    told = Notification.objects.filter(template="emergency.weather_to_check")
    assert told.filter(recipient__username="wangfang").count() == 1
    clock.advance(timedelta(days=1))
    assert actions.daily() == subsidiaries


def test_wx1_import_all_or_nothing(demo, act, realty, frozen):  # WX-1
    d = clock.today()
    bad = _csv(f"{d},杭州,多云,12,20,,", f"{d + timedelta(days=1)},杭州,小雨,十,17,,")
    with pytest.raises(Invalid) as error:
        actions.import_rows(act("wangfang"), realty, bad)
    assert error.value.zh == "第 3 行：最低气温应为整数（摄氏度）"
    assert not Forecast.objects.exists()
    with pytest.raises(Invalid) as error:
        actions.import_rows(act("wangfang"), realty, ("f.csv", "日期,地区\n".encode()))
    assert "文件缺少列" in error.value.zh
    rows = actions.preview(act("wangfang"), realty, _three_days())
    assert len(rows) == 3 and not Forecast.objects.exists()  # the preview writes nothing
    assert actions.import_rows(act("wangfang"), realty, _three_days()) == 3
    assert actions.import_rows(act("wangfang"), realty, _three_days(severe=True)) == 3  # replaces the days
    assert Forecast.objects.count() == 3 and Forecast.objects.filter(severe=True).count() == 1
    with pytest.raises(NotFound):
        queries.bulletin(act("gaofeng"), actions.open_bulletin(realty, clock.today())[0].pk)


def test_wx1_provider_registry(demo):  # WX-1
    assert isinstance(providers.get("file"), providers.FileProvider)

    class Fixed:
        name = "fixed-test"

        def rows(self, source):
            return [
                {"day": clock.today(), "locality": "杭州", "weather": "台风", "temp_low": 20, "temp_high": 28}
            ]

    providers.register(Fixed())
    try:
        assert actions.check_rows(providers.get("fixed-test").rows(None))[0]["severe"] is True
    finally:
        providers.PROVIDERS.pop("fixed-test")
    with pytest.raises(Invalid):
        providers.get("internet")


def test_wx1_publish_tells_staff_and_severe_to_command(demo, act, realty, frozen):  # WX-1
    bulletin, _ = actions.open_bulletin(realty, clock.today())
    with pytest.raises(Invalid) as error:
        actions.publish(act("wangfang"), bulletin)
    assert "请先录入或导入" in error.value.zh
    actions.import_rows(act("wangfang"), realty, _three_days(severe=True))
    published = actions.publish(act("wangfang"), bulletin, note="注意带伞")
    assert published.state == BulletinState.PUBLISHED and published.severe
    staff = Notification.objects.filter(template="emergency.weather_published")
    assert staff.filter(recipient__username="zhaomin").exists()
    assert not staff.filter(recipient__username="gaofeng").exists()
    alert = set(
        Notification.objects.filter(template="emergency.weather_severe").values_list(
            "recipient__username", flat=True
        )
    )
    assert "wangfang" in alert and "zhaomin" not in alert and "gaofeng" not in alert
    with pytest.raises(Conflict):
        actions.publish(act("wangfang"), bulletin)


def test_wx1_severe_highlighted_on_the_page_and_api(
    demo, act, realty, frozen, django_assert_max_num_queries
):  # WX-1
    assert queries.is_severe("多云", "高温红色预警") and queries.is_severe("暴雪", "")
    assert not queries.is_severe("多云", "") and not queries.is_severe("小雨", "蓝色预警")
    bulletin, _ = actions.open_bulletin(realty, clock.today())
    actions.import_rows(act("wangfang"), realty, _three_days(severe=True))
    client = Client()
    client.force_login(demo["wangfang"].user)
    with django_assert_max_num_queries(25):
        listed = client.get("/emergency/weather/")
    assert listed.status_code == 200 and "天气简报" in listed.content.decode()
    html = client.get(f"/emergency/weather/{bulletin.pk}/").content.decode()
    assert 'class="row-danger severe"' in html and "恶劣天气" in html and "本系统默认值" in html
    api = Client()
    upload = SimpleUploadedFile("f.csv", _three_days()[1], content_type="text/csv")
    preview = api.post(
        "/api/v1/emergency/weather/forecasts/import",
        {"file": upload, "unit_id": realty.pk, "preview": "true"},
        **bearer(demo["wangfang"].user),
    )
    assert preview.status_code == 200, preview.content
    assert preview.json()["imported"] == 0 and len(preview.json()["rows"]) == 3
    with django_assert_max_num_queries(90):  # the scope check per weather.publish / weather.alert holder
        done = api.post(
            f"/api/v1/emergency/weather/bulletins/{bulletin.pk}/publish",
            {"note": ""},
            content_type="application/json",
            **bearer(demo["wangfang"].user),
        )
    assert done.status_code == 200 and done.json()["state"] == "published"
    hidden = api.post(
        f"/api/v1/emergency/weather/bulletins/{bulletin.pk}/publish",
        {"note": ""},
        content_type="application/json",
        **bearer(demo["gaofeng"].user),
    )
    assert hidden.status_code == 404
