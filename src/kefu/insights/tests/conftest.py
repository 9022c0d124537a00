# the follow-ups fixtures (an actor per demo user, a revisit plan, an open case, resolving it), reused
from kefu.followups.tests.conftest import act, open_case, plan, resolve  # noqa: F401
