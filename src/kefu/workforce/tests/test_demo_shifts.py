"""`kefu demo load` shows the rota (WFM-1): 陈杰 published next week's rota for 热线一组, every shift
covered, each person notified; the pages show it in Chinese."""

from django.test import Client
from tests.pages.test_chinese_only import latin_shown

from kefu.engine.notifications.models import Notification
from kefu.workforce.demo_shifts import load_shifts
from kefu.workforce.models import Rota, RotaState


def test_demo_shifts(demo, admin_actor, frozen):  # WFM-1
    result = load_shifts(admin_actor)
    assert result["rotas"] == 1
    rota = Rota.objects.get(pk=result["rota"])
    assert rota.state == RotaState.PUBLISHED and rota.unit.name == "热线一组"
    assert rota.shifts.count() >= 21 and rota.comments.count() == 1
    assert Notification.objects.filter(template="workforce.rota_published").count() == 3
    client = Client()
    client.force_login(demo["chenjie"].user)
    for page in ["/workforce/rotas/", f"/workforce/rotas/{rota.pk}/", f"/workforce/teams/{rota.unit_id}/"]:
        response = client.get(page)
        assert response.status_code == 200, page
        assert not latin_shown(response.content.decode(), {"chenjie"}), page
    assert load_shifts(admin_actor) == {"rotas": 0}
