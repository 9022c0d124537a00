from django.urls import path

from kefu.followups.views import campaigns, events, gifts, greetings, plans, satisfaction, surveys, tasks

app_name = "followups"

urlpatterns = [
    path("revisits/", tasks.queue, name="queue"),
    path("revisits/<int:pk>/", tasks.detail, name="task"),
    path("revisits/<int:pk>/survey/", surveys.phone, name="phone_survey"),
    path("survey/<str:token>/", surveys.survey, name="survey"),
    path("surveys/questionnaires/", surveys.questionnaires, name="questionnaires"),
    path("satisfaction/", satisfaction.page, name="satisfaction"),
    path("satisfaction/answers/", satisfaction.answers, name="satisfaction_answers"),
    path("revisits/campaigns/", campaigns.campaigns, name="campaigns"),
    path("revisits/campaigns/<int:pk>/", campaigns.campaign, name="campaign"),
    path("revisits/monthly/", campaigns.month, name="month"),
    path("revisits/plans/", plans.plans, name="plans"),
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
