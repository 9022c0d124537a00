from django.urls import path

from kefu.followups.views import campaigns, plans, satisfaction, surveys, tasks

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
]
