from django.urls import path

from kefu.followups.views import events, gifts, greetings, tasks

app_name = "followups"

urlpatterns = [
    path("revisits/", tasks.queue, name="queue"),
    path("revisits/<int:pk>/", tasks.detail, name="task"),
    # 客户关怀 (CARE-1…CARE-3)
    path("care/greetings/", greetings.campaigns, name="care_greetings"),
    path("care/greetings/<int:pk>/", greetings.campaign, name="care_greeting"),
    path("care/greetings/<int:pk>/start/", greetings.start, name="care_greeting_start"),
    path(
        "care/greetings/<int:pk>/greetings/<int:delivery_pk>/done/",
        greetings.mark_done,
        name="care_greeting_done",
    ),
    path("care/gifts/", gifts.gift_lists, name="care_gifts"),
    path("care/gifts/<int:pk>/", gifts.gift_list, name="care_gift"),
    path("care/events/", events.events, name="care_events"),
    path("care/events/<int:pk>/", events.event, name="care_event"),
    path("care/rsvp/<str:token>/", events.rsvp, name="care_rsvp"),
]
