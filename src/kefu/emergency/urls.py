from django.urls import path

from kefu.emergency.views import bodies as body_views  # EMG-2, EMG-3
from kefu.emergency.views import drills as drill_views  # DRL-1
from kefu.emergency.views import (  # RES-1, WX-1, FEE-1
    fees,
    resources,
    surges,  # EMG-5
    weather,
)
from kefu.emergency.views import incidents as incident_views  # EMG-4, EMG-5
from kefu.emergency.views import plans as plan_views  # EMG-1, EMG-6

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
    # RES-1, WX-1, FEE-1
    path("emergency/resources/", resources.register, name="resources"),
    path("emergency/resources/export/", resources.export, name="resources_export"),
    path("emergency/resources/<int:pk>/", resources.resource, name="resource"),
    path("emergency/weather/", weather.bulletins, name="bulletins"),
    path("emergency/weather/<int:pk>/", weather.bulletin, name="bulletin"),
    path("emergency/quotes/", fees.quotes, name="quotes"),
    path("emergency/quotes/<int:pk>/", fees.quote, name="quote"),
    path("emergency/quotes/<int:pk>/pdf/", fees.quote_pdf, name="quote_pdf"),
    path("emergency/quotes/<int:pk>/xlsx/", fees.quote_xlsx, name="quote_xlsx"),
    # DRL-1
    path("emergency/drills/", drill_views.drills, name="drills"),
    path("emergency/drills/<int:pk>/", drill_views.drill, name="drill"),
    path("emergency/drills/summary/", drill_views.summary, name="drill_summary"),
    path("emergency/drills/summary/pdf/", drill_views.summary_pdf, name="drill_summary_pdf"),
    path("emergency/drills/summary/xlsx/", drill_views.summary_xlsx, name="drill_summary_xlsx"),
    # EMG-4, EMG-5
    path("emergency/incidents/", incident_views.incidents, name="incidents"),
    path("emergency/incidents/new/", incident_views.new, name="incident_new"),
    path("emergency/incidents/<int:pk>/", incident_views.incident, name="incident"),
    path("emergency/incidents/<int:pk>/state/", incident_views.state, name="incident_state"),
    path("emergency/incidents/<int:pk>/photos/<int:photo>/", incident_views.photo, name="incident_photo"),
]
