from django.urls import path

from kefu.quality.views import calibration, inspections, scorecards

app_name = "quality"

urlpatterns: list = []
urlpatterns += [  # QA-1
    path("quality/", inspections.workbench, name="workbench"),
    path("quality/inspections/<int:pk>/", inspections.inspection, name="inspection"),
    path("quality/mine/", inspections.mine, name="mine"),
    path("quality/scorecards/", scorecards.scorecards, name="scorecards"),
    path("quality/calibrations/", calibration.sessions, name="calibrations"),
    path("quality/calibrations/<int:pk>/", calibration.session, name="calibration"),
]
