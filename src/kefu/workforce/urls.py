from django.urls import path

from kefu.workforce.views import attendance, changes, handovers, leave, rotas, shifts

app_name = "workforce"

urlpatterns = [
    path("workforce/rotas/", rotas.rotas, name="rotas"),
    path("workforce/rotas/<int:pk>/", rotas.rota, name="rota"),
    path("workforce/rotas/<int:pk>/advance/", rotas.advance, name="rota_advance"),
    path("workforce/rotas/<int:pk>/comment/", rotas.comment, name="rota_comment"),
    path("workforce/rotas/<int:pk>/call-in/", rotas.call_in, name="rota_call_in"),
    path("workforce/rotas/<int:pk>/export.xlsx", rotas.export, name="rota_export"),
    path("workforce/teams/<int:unit_pk>/", shifts.team, name="team"),
    path("workforce/teams/<int:unit_pk>/templates/", shifts.save_template, name="team_template"),
    path("workforce/teams/<int:unit_pk>/coverage/", shifts.set_coverage, name="team_coverage"),
    path("workforce/teams/<int:unit_pk>/calendar/", rotas.calendar, name="calendar"),
    path("workforce/my/", changes.mine, name="mine"),
    path("workforce/my/change/", changes.request_change, name="change_request"),
    path("workforce/my/feed/", changes.new_feed, name="feed_new"),
    path("workforce/changes/<int:pk>/decide/", changes.decide, name="change_decide"),
    path("workforce/ics/<str:token>.ics", rotas.feed, name="ics"),
    *leave.urlpatterns,
    path("handovers/", handovers.handovers, name="handovers"),
    path("handovers/<int:pk>/", handovers.handover, name="handover"),
    path("attendance/", attendance.attendance, name="attendance"),
    path("attendance/teams/<int:pk>/", attendance.team, name="attendance_team"),
    path("attendance/teams/<int:pk>/meeting/", attendance.meeting, name="attendance_meeting"),
]
