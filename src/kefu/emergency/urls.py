app_name = "emergency"

urlpatterns: list = []
