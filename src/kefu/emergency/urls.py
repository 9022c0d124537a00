from django.urls import path

from kefu.emergency.views import surges  # EMG-5

app_name = "emergency"

urlpatterns: list = []
urlpatterns += [  # EMG-5
    path("emergency/surges/", surges.surges, name="surges"),
    path("emergency/surges/<int:pk>/", surges.surge, name="surge"),
]
