from django.urls import path

from kefu.documents.views import notices, plans, policies, suggestions  # DOC-1

app_name = "documents"

urlpatterns: list = [
    path("documents/policies/", policies.policies, name="policies"),
    path("documents/policies/<int:pk>/", policies.policy, name="policy"),
    path("documents/notices/", notices.notices, name="notices"),
    path("documents/notices/<int:pk>/", notices.notice, name="notice"),
    path("documents/plans/", plans.plans, name="plans"),
    path("documents/plans/<int:pk>/", plans.plan, name="plan"),
    path("documents/suggestions/", suggestions.suggestions, name="suggestions"),
    path("documents/suggestions/<int:pk>/", suggestions.suggestion, name="suggestion"),
]
