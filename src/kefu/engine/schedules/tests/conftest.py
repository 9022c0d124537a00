import pytest

from kefu.engine.calendars import engine, seed
from kefu.engine.calendars.models import Calendar, CalendarWindow
from kefu.engine.schedules import SCHEDULES
from kefu.engine.schedules.tests import jobs


@pytest.fixture(autouse=True)
def clean_registry(request):
    """Only the schedules a test registers; the seeded calendars exist; no cached definitions."""
    saved = dict(SCHEDULES)
    SCHEDULES.clear()
    jobs.CALLS.clear()
    engine.clear_cache()
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("_django_db_helper")
        seed.apply(Calendar, CalendarWindow)
    yield
    SCHEDULES.clear()
    SCHEDULES.update(saved)
    engine.clear_cache()
