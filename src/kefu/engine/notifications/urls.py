from django.urls import path

from kefu.engine.notifications import views

app_name = "notifications"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", views.mark_read, name="inbox_read"),
    path("inbox/<int:pk>/open/", views.open_target, name="inbox_open"),
    path("inbox/read-all/", views.mark_all_read, name="inbox_read_all"),
    path("inbox/preferences/", views.preferences, name="inbox_preferences"),
    path("inbox/live/", views.live_state, name="inbox_live"),
]
