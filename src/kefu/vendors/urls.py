from django.urls import path

from kefu.vendors.views import filings  # VEN-1

app_name = "vendors"

urlpatterns: list = [
    path("vendors/", filings.filings, name="filings"),
    path("vendors/<int:pk>/", filings.filing, name="filing"),
    path("vendors/<int:pk>/materials/<int:material>/", filings.material, name="material"),
    path("vendors/<int:pk>/certificate.pdf", filings.certificate_pdf, name="certificate_pdf"),
]
