from django.urls import path

from kefu.quality.views import qcgroups, training  # QC-1, TRN-1

app_name = "quality"

urlpatterns: list = []
urlpatterns += [
    path("quality/qcgroups/", qcgroups.groups, name="qcgroups"),
    path("quality/qcgroups/<int:pk>/", qcgroups.group, name="qcgroup"),
    path("quality/training/", training.training, name="training"),
    path("quality/training/courses/<int:pk>/", training.course, name="course"),
]
