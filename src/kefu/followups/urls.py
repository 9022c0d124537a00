from django.urls import path

from kefu.followups.views import tasks

app_name = "followups"

urlpatterns = [
    path("revisits/", tasks.queue, name="queue"),
    path("revisits/<int:pk>/", tasks.detail, name="task"),
]
