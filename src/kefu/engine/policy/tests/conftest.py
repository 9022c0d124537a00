import pytest

from kefu.engine.policy import api


@pytest.fixture(autouse=True)
def _fresh_policy_cache():
    # Tests roll back versions; the cache is keyed by content digest, clearing keeps each test independent.
    api.clear_cache()
    yield
    api.clear_cache()


@pytest.fixture
def policy_admin(demo, actor_of):
    """王芳 given the seeded admin role (policy.manage) — a non-superuser administrator."""
    from kefu.org.models import Role, RoleAssignment

    wangfang = demo["wangfang"]
    RoleAssignment.objects.create(employee=wangfang, role=Role.objects.get(code="admin"))
    return actor_of(wangfang)
