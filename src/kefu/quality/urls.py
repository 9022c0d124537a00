from django.urls import path

from kefu.quality.views import calibration, inspections, qcgroups, scorecards, training

app_name = "quality"

urlpatterns = [
    # QA-1
    path("quality/", inspections.workbench, name="workbench"),
    path("quality/inspections/<int:pk>/", inspections.inspection, name="inspection"),
    path("quality/mine/", inspections.mine, name="mine"),
    path("quality/scorecards/", scorecards.scorecards, name="scorecards"),
    path("quality/calibrations/", calibration.sessions, name="calibrations"),
    path("quality/calibrations/<int:pk>/", calibration.session, name="calibration"),
    # QC-1, TRN-1
    path("quality/qcgroups/", qcgroups.groups, name="qcgroups"),
    path("quality/qcgroups/<int:pk>/", qcgroups.group, name="qcgroup"),
    path("quality/training/", training.training, name="training"),
    path("quality/training/courses/<int:pk>/", training.course, name="course"),
]
