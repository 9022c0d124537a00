"""The search page (issue 13)."""

from kefu.search import views

urlpatterns = views.urlpatterns
