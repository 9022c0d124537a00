app_name = "emergency"

urlpatterns: list = []

from django.urls import path  # noqa: E402

from kefu.emergency.views import bodies as body_views  # noqa: E402  EMG-2, EMG-3
from kefu.emergency.views import plans as plan_views  # noqa: E402  EMG-1, EMG-6

urlpatterns += [
    path("emergency/plans/", plan_views.plans, name="plans"),
    path("emergency/plans/templates/", plan_views.templates, name="templates"),
    path("emergency/plans/<int:pk>/", plan_views.plan, name="plan"),
    path("emergency/bodies/", body_views.bodies, name="bodies"),
    path("emergency/levels/", body_views.levels, name="levels"),
]
