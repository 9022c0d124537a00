"""Demo customer care (CARE-1…CARE-3) at 华辰水务: the 2026 中秋 greetings delivered (郑凯 called every
customer in the window), the 2027 春节 greetings planned, the 春节 gift list waiting for 高峰's
approval, and a December cultural event with answers. Everything goes through the actions as the
people concerned, the clock set to when they did it."""

from datetime import UTC, date, datetime

from kefu.core import clock
from kefu.customers.models import Customer
from kefu.followups.actions import events, gifts, greetings, occasions
from kefu.followups.models import DeliveryState, GreetingCampaign, GreetingDelivery, Invitation, Rsvp
from kefu.org.access import actor_for
from kefu.org.models import Employee

PEOPLE = ("gaofeng", "zhengkai")


def _at(day: date, hour: int = 10) -> datetime:
    """`hour` o'clock in Shanghai (UTC+8) on `day`."""
    return datetime(day.year, day.month, day.day, hour - 8, tzinfo=UTC)


def _as(employee):
    return actor_for(employee.user, origin="cli demo")


def load_care(actor) -> dict:
    people = {
        e.user.username: e
        for e in Employee.objects.select_related("user", "unit").filter(user__username__in=PEOPLE)
    }
    if len(people) < len(PEOPLE) or GreetingCampaign.objects.exists():
        return {"care": 0}
    gaofeng, zhengkai = people["gaofeng"], people["zhengkai"]
    water = gaofeng.unit.parent
    with clock.frozen_at(_at(date(2026, 9, 10))):
        zhongqiu = greetings.plan(
            _as(gaofeng),
            water,
            occasion="zhongqiu",
            year=2026,
            channel="call",
            caller=zhengkai,
            message="{客户姓名}您好，华辰水务祝您中秋快乐、阖家团圆！",
        )
    with clock.frozen_at(_at(date(2026, 9, 22), 9)):
        occasions.daily()  # the window opens: the campaign starts
        greetings.run(zhongqiu.pk)
    with clock.frozen_at(_at(date(2026, 9, 23), 15)):
        for delivery in GreetingDelivery.objects.filter(campaign=zhongqiu, state=DeliveryState.TO_CALL):
            greetings.mark_done(_as(zhengkai), delivery)
    with clock.frozen_at(_at(date(2026, 9, 25), 9)):
        occasions.daily()  # the day: every greeting on time, the campaign done
    with clock.frozen_at(_at(date(2026, 12, 1))):
        chunjie = greetings.plan(
            _as(gaofeng),
            water,
            occasion="chunjie",
            year=2027,
            channel="sms",
            message="{客户姓名}您好，华辰水务恭祝您新春快乐、万事如意！",
        )
        gift_list = gifts.create_list(_as(zhengkai), water, occasion="chunjie", year=2027)
        customers = list(Customer.objects.filter(unit__path__startswith=water.path).order_by("pk")[:3])
        for customer, (gift, price) in zip(
            customers, (("新春礼盒", "168.00"), ("茶叶礼盒", "128.00"), ("年货干果", "99.50")), strict=False
        ):
            gifts.add_item(_as(zhengkai), gift_list, customer=customer, gift=gift, price=price)
        gifts.submit(_as(zhengkai), gift_list)  # waits for 高峰 (客服经理)
        event = events.plan(
            _as(zhengkai),
            water,
            title="冬日茶文化交流会",
            place="水务城东营业厅二楼",
            starts_on=date(2026, 12, 19),
        )
        events.invite(_as(zhengkai), event, send=False)
        invitations = list(Invitation.objects.filter(event=event).order_by("pk")[:3])
        for invitation, answer in zip(invitations, (Rsvp.YES, Rsvp.YES, Rsvp.NO), strict=False):
            if answer == Rsvp.NO:
                events.record(_as(zhengkai), invitation, rsvp=answer)  # said so on the phone
            else:
                events.answer(invitation, answer)  # through the customer's own link
    return {"care": 1, "campaigns": [zhongqiu.pk, chunjie.pk], "gift_list": gift_list.pk, "event": event.pk}
