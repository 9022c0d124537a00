import pytest

from kefu.knowledge.demo import load_knowledge
from kefu.org.access import actor_for


@pytest.fixture
def act(demo):
    def make(username):
        return actor_for(demo[username].user, origin="test")

    return make


@pytest.fixture
def kb(demo, admin_actor):
    """The demo organisation with the demo knowledge base loaded."""
    load_knowledge(admin_actor)
    return demo


@pytest.fixture
def login(client, demo):
    def as_(username):
        client.force_login(demo[username].user)
        return client

    return as_
