"""EMG-5 the complaint-surge detector: a burst of 报修 received through the real intake action raises
one surge (once per ongoing surge), the cases counted linked, the decision with its numbers, and an
alert to the command centre by inbox and e-mail, repeated until acknowledged; steady traffic below
the factor over the baseline raises nothing. The clock is moved, never slept on."""

from datetime import timedelta

import pytest

from kefu.cases.tests.conftest import act, groups, new_case  # noqa: F401  the cases fixtures, reused
from kefu.core import clock
from kefu.core.decisions import for_object
from kefu.core.errors import Conflict, NotFound
from kefu.emergency.actions import surges
from kefu.emergency.models import Surge
from kefu.engine.notifications import actions as notification_actions
from kefu.engine.notifications.models import Delivery, Notification
from kefu.engine.outbound.tests.conftest import sms  # noqa: F401  the loopback SMS gateway
from kefu.engine.policy import actions as policy_actions
from kefu.org.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def realty(demo, admin_actor, frozen):
    """华辰置业 with a threshold of 6 cases in the window (a subsidiary's stricter override)."""
    unit = Unit.objects.get(code="hc-realty")
    policy_actions.set_override(admin_actor, unit, surges.THRESHOLD, 6, clock.today(), reason="测试")
    return unit


@pytest.fixture
def repairs(new_case):  # noqa: F811
    """repairs(n, spread=timedelta(minutes=5)) → n 报修 received through intake, `spread` apart."""

    def make(n, spread=timedelta(minutes=1)):
        made = []
        for i in range(n):
            made.append(
                new_case(
                    kind="repair",
                    title=f"水管爆裂报修 {i}",
                    extra={"location": f"{i + 1}栋"},
                    channel="phone",
                )
            )
            clock.advance(spread)
        return made

    return make


def _alerts():
    return Notification.objects.filter(template="emergency.surge_alert")


def test_emg5_a_burst_of_repairs_raises_one_surge_and_alerts_the_command_centre(realty, repairs, demo):
    cases = repairs(6)
    assert surges.sweep() == 1
    surge = Surge.objects.get()
    assert (surge.unit, surge.family, surge.count, surge.threshold) == (realty, "repair", 6, 6)
    assert surge.baseline == 0 and surge.factor == 3 and surge.window_minutes == 60
    assert sorted(surge.links.values_list("case_id", flat=True)) == sorted(c.pk for c in cases)
    assert surge.threshold_case_id == cases[-1].pk
    told = set(_alerts().values_list("recipient__username", flat=True))
    assert {"wangfang", "zhangwei"} <= told and "gaofeng" not in told and "zhaomin" not in told
    assert Delivery.objects.filter(notification__template="emergency.surge_alert", channel="email").exists()
    (decision,) = for_object(surge)
    assert decision.rule == "EMG-5"
    assert "6" in decision.outcome and "3 倍" in decision.outcome
    assert decision.inputs["surge_count"] == 6 and decision.inputs["surge_baseline"] == "0.00"
    assert {surges.WINDOW, surges.THRESHOLD, surges.FACTOR, surges.BASELINE_DAYS} <= set(decision.inputs)
    # never twice for the same ongoing surge: more repairs, more sweeps
    repairs(3)
    assert surges.sweep() == 0 and surges.sweep() == 0
    assert Surge.objects.count() == 1 and Surge.objects.get().peak == 9
    assert _alerts().count() == len(told)


def test_emg5_the_alert_also_goes_as_a_text_where_the_gateway_is_configured(realty, repairs, sms):  # noqa: F811
    """Issue 17: the command centre is told at once by inbox, e-mail and the text gateway where present."""
    repairs(6)
    assert surges.sweep() == 1
    texts = Delivery.objects.filter(notification__template="emergency.surge_alert", channel="sms")
    assert {d.notification.recipient.username for d in texts} >= {"wangfang", "zhangwei"}
    notification_actions.deliver_due()
    numbers = {body["to"] for body in sms.bodies()}
    assert {"13801020001", "13901010001"} <= numbers  # 王芳, 张伟
    assert all(body["text"].strip() for body in sms.bodies())


def test_emg5_steady_traffic_below_the_factor_raises_nothing(realty, repairs):
    now = clock.now() + timedelta(hours=1)  # after the override took effect
    for day in range(1, 8):  # the same hour on each of the 7 earlier days: 3 repairs
        clock.freeze(now - timedelta(days=day) - timedelta(minutes=40))
        repairs(3, spread=timedelta(minutes=10))
    clock.freeze(now - timedelta(minutes=50))
    repairs(7, spread=timedelta(minutes=7))  # 7 ≥ the threshold 6, but below 3 × the baseline 3
    assert surges.sweep() == 0 and not Surge.objects.exists() and not _alerts().exists()
    repairs(2, spread=timedelta(seconds=10))  # 9 = 3 × 3: now it is a surge
    assert surges.sweep() == 1
    surge = Surge.objects.get()
    assert (surge.count, surge.baseline, surge.baseline_days) == (9, 3, 7)


def test_emg5_complaints_below_the_threshold_raise_nothing(realty, new_case):  # noqa: F811
    for i in range(5):
        new_case(kind="complaint", title=f"物业投诉 {i}")
    assert surges.sweep() == 0 and not Surge.objects.exists()


def test_emg5_a_surge_ends_when_the_window_subsides_and_a_new_burst_is_a_new_surge(realty, repairs):
    repairs(6)
    assert surges.sweep() == 1
    clock.advance(timedelta(minutes=61))
    assert surges.sweep() == 0
    assert Surge.objects.get().ended_at == clock.now()
    repairs(6)
    assert surges.sweep() == 1 and Surge.objects.count() == 2


def test_emg5_the_alert_repeats_until_acknowledged(realty, repairs, act):  # noqa: F811
    repairs(6)
    surges.sweep()
    first = _alerts().count()
    assert first > 0
    clock.advance(timedelta(minutes=9))
    surges.sweep()
    assert _alerts().count() == first  # not before the pack's interval (10 minutes)
    clock.advance(timedelta(minutes=1))
    surges.sweep()
    assert _alerts().count() == 2 * first and Surge.objects.get().alerts == 2
    surge = surges.acknowledge(act("wangfang"), Surge.objects.get())
    assert surge.acknowledged_by == act("wangfang").user and surge.next_alert_at is None
    clock.advance(timedelta(minutes=30))
    surges.sweep()
    assert _alerts().count() == 2 * first
    with pytest.raises(Conflict):
        surges.acknowledge(act("zhangwei"), Surge.objects.get())


def test_emg5_acknowledging_needs_the_command_centre_in_scope(realty, repairs, act):  # noqa: F811
    repairs(6)
    surges.sweep()
    surge = Surge.objects.get()
    for outsider in ("gaofeng", "zhaomin"):  # 华辰水务's manager; an agent
        with pytest.raises(NotFound):
            surges.acknowledge(act(outsider), surge)
    assert Surge.objects.get().acknowledged_at is None


def test_emg5_an_idle_sweep_reads_little(realty, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # the pack version, the window's counts, ongoing, due alerts
        surges.sweep()


def test_emg5_raising_a_surge_runs_a_bounded_number_of_statements(
    realty, repairs, django_assert_max_num_queries
):
    repairs(6)
    with django_assert_max_num_queries(120):  # with the draft incident it opens (EMG-4) and its alert
        assert surges.sweep() == 1


def test_emg5_pages_and_api(realty, repairs, client, demo):
    repairs(6)
    surges.sweep()
    surge = Surge.objects.get()
    client.force_login(demo["wangfang"].user)
    page = client.get("/emergency/surges/")
    assert page.status_code == 200 and f"/emergency/surges/{surge.pk}/" in page.text
    detail = client.get(f"/emergency/surges/{surge.pk}/")
    assert detail.status_code == 200 and "水管爆裂报修 0" in detail.text and "EMG-5" in detail.text
    listed = client.get("/api/v1/emergency/surges").json()
    assert listed["items"][0]["id"] == surge.pk and listed["items"][0]["family"] == "repair"
    one = client.get(f"/api/v1/emergency/surges/{surge.pk}").json()
    assert len(one["cases"]) == 6 and one["decisions"][0]["rule"] == "EMG-5"
    answer = client.post(f"/emergency/surges/{surge.pk}/")
    assert answer.status_code == 302 and Surge.objects.get().acknowledged_at is not None
    again = client.post(f"/api/v1/emergency/surges/{surge.pk}/acknowledge")
    assert again.status_code == 409 and again.json()["error"]["code"] == "surge_already_acknowledged"
    client.force_login(demo["gaofeng"].user)
    assert client.get(f"/emergency/surges/{surge.pk}/").status_code == 404
    assert client.get(f"/api/v1/emergency/surges/{surge.pk}").status_code == 404
    assert client.get("/api/v1/emergency/surges").json()["items"] == []
