from django.urls import path

from kefu.emergency.views import bodies as body_views  # EMG-2, EMG-3
from kefu.emergency.views import plans as plan_views  # EMG-1, EMG-6
from kefu.emergency.views import surges  # EMG-5

app_name = "emergency"

urlpatterns: list = [
    path("emergency/plans/", plan_views.plans, name="plans"),
    path("emergency/plans/templates/", plan_views.templates, name="templates"),
    path("emergency/plans/<int:pk>/", plan_views.plan, name="plan"),
    path("emergency/bodies/", body_views.bodies, name="bodies"),
    path("emergency/levels/", body_views.levels, name="levels"),
    # EMG-5
    path("emergency/surges/", surges.surges, name="surges"),
    path("emergency/surges/<int:pk>/", surges.surge, name="surge"),
]
