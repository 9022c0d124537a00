app_name = "emergency"

urlpatterns: list = []

from django.urls import path  # noqa: E402

from kefu.emergency.views import fees, resources, weather  # noqa: E402  RES-1, WX-1, FEE-1

urlpatterns += [
    path("emergency/resources/", resources.register, name="resources"),
    path("emergency/resources/export/", resources.export, name="resources_export"),
    path("emergency/resources/<int:pk>/", resources.resource, name="resource"),
    path("emergency/weather/", weather.bulletins, name="bulletins"),
    path("emergency/weather/<int:pk>/", weather.bulletin, name="bulletin"),
    path("emergency/quotes/", fees.quotes, name="quotes"),
    path("emergency/quotes/<int:pk>/", fees.quote, name="quote"),
    path("emergency/quotes/<int:pk>/pdf/", fees.quote_pdf, name="quote_pdf"),
    path("emergency/quotes/<int:pk>/xlsx/", fees.quote_xlsx, name="quote_xlsx"),
]
