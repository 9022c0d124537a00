import pytest

from kefu.engine.calendars import engine, seed
from kefu.engine.calendars.models import Calendar, CalendarWindow


@pytest.fixture(autouse=True)
def calendars(request):
    """The seeded calendars (a transactional test elsewhere may have flushed them); clean caches."""
    engine.clear_cache()
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
        seed.apply(Calendar, CalendarWindow)
    yield
    engine.clear_cache()
