from kefu.workforce.views import leave

app_name = "workforce"

urlpatterns: list = [*leave.urlpatterns]
