from django.urls import path

from kefu.workforce.views import attendance, handovers

app_name = "workforce"

urlpatterns = [
    path("handovers/", handovers.handovers, name="handovers"),
    path("handovers/<int:pk>/", handovers.handover, name="handover"),
    path("attendance/", attendance.attendance, name="attendance"),
    path("attendance/teams/<int:pk>/", attendance.team, name="attendance_team"),
]
