"""Read paths of the weather bulletin (WX-1): the bulletins of the caller's scope (weather.view or
weather.publish), one by id (404 outside) with the forecasts of its three days, severe ones marked."""

from datetime import timedelta

from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.core.scopes import scope_q
from kefu.emergency.models import Bulletin, Forecast
from kefu.engine.policy import api as policy
from kefu.org import access

VIEW = "weather.view"
PUBLISH = "weather.publish"
ALERT = "weather.alert"
DAYS = "emergency.weather_forecast_days"
ID_LIMIT = 2**31
# 本系统默认值: the words that make a forecast severe (the seed names 台风、暴雨、强降雪, 4.2 阴恶性天气)
SEVERE_WORDS = ("暴雨", "大暴雨", "台风", "暴雪", "强降雪", "寒潮", "高温", "冰雹", "大风", "雷暴")
SEVERE_LEVELS = ("红色", "橙色")


def is_severe(weather: str, warning: str) -> bool:
    """WX-1: a forecast is severe when its weather or warning names one of SEVERE_WORDS, or its warning is
    orange or red (本系统默认值)."""
    text = f"{weather} {warning}"
    return any(w in text for w in SEVERE_WORDS) or any(level in (warning or "") for level in SEVERE_LEVELS)


def bulletins(actor: Actor):
    grants = [g for code in (PUBLISH, VIEW) for g in access.grants(actor, code)]
    condition = scope_q(grants, unit_path="unit__path", owner=None)
    if condition is None:
        return Bulletin.objects.none()
    return (
        Bulletin.objects.filter(condition)
        .select_related("unit", "published_by")
        .order_by("-day", "unit__path")
    )


def bulletin(actor: Actor, pk) -> Bulletin:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = 0
    found = bulletins(actor).filter(pk=pk).first() if 0 < pk < ID_LIMIT else None
    if found is None:
        raise NotFound("天气简报", "bulletin")
    return found


def forecasts_for(bulletin: Bulletin) -> list[Forecast]:
    days = int(policy.lookup(DAYS, unit=bulletin.unit).value)
    return list(
        Forecast.objects.filter(
            unit=bulletin.unit, day__gte=bulletin.day, day__lt=bulletin.day + timedelta(days=days)
        ).order_by("day", "locality")
    )


def may_publish(actor: Actor, bulletin: Bulletin) -> bool:
    return access.may_write(actor, PUBLISH, unit=bulletin.unit, owner_id=None)
