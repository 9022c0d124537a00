import pytest

from kefu import demo as demo_data


@pytest.fixture
def login(client):
    """login(username) signs the test client in through the real login form."""

    def sign_in(username, password=demo_data.DEMO_PASSWORD):
        response = client.post("/login/", {"username": username, "password": password})
        assert response.status_code == 302, response.content.decode()[:500]
        return client

    return sign_in
