"""Agent workbench pages: 我的工单 with the clocks and filters, the new-case form, the case page and its
forms (transitions, comments, transfers, escalation, attachments, articles), masking and scope."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def login(demo, username) -> Client:
    client = Client()
    client.force_login(demo[username].user)
    return client


def page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_smoke(new_case, demo):
    case = new_case()
    owner = case.owner.user.username
    client = login(demo, owner)
    body = page(client, "/cases/")
    assert case.number in body
    body = page(client, f"/cases/{case.pk}/")
    assert 'id="case-state"' in body
    body = page(client, "/cases/new/", find="13512345678")
