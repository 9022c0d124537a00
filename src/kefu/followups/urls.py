from django.urls import path

from kefu.followups.views import campaigns, plans, tasks

app_name = "followups"

urlpatterns = [
    path("revisits/", tasks.queue, name="queue"),
    path("revisits/<int:pk>/", tasks.detail, name="task"),
    path("revisits/campaigns/", campaigns.campaigns, name="campaigns"),
    path("revisits/campaigns/<int:pk>/", campaigns.campaign, name="campaign"),
    path("revisits/monthly/", campaigns.month, name="month"),
    path("revisits/plans/", plans.plans, name="plans"),
]
