from django.urls import path

from kefu.quality.views import appraisals, calibration, inspections, qcgroups, scorecards, training

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
    # APR-1
    path("quality/appraisals/", appraisals.rounds, name="appraisal_rounds"),
    path("quality/appraisals/<int:pk>/", appraisals.round_page, name="appraisal_round"),
    path("quality/appraisals/mine/", appraisals.mine, name="my_appraisals"),
    path("quality/appraisals/schemes/", appraisals.schemes, name="appraisal_schemes"),
    path("quality/appraisals/results/<int:pk>/", appraisals.result_page, name="appraisal_result"),
    path("quality/coaching/", appraisals.coaching, name="coaching"),
    path("quality/coaching/<int:pk>/", appraisals.coaching_plan, name="coaching_plan"),
]
