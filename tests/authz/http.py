"""Requests as a demo person: one test client for the whole matrix (each new Client loads the
middleware again, and whitenoise then scans every static file — dearer than the request itself)."""

import json

from django.test import Client


def client(world) -> Client:
    found = world.__dict__.setdefault("client", Client())
    found.cookies.clear()  # no session from an earlier cell (its row was rolled back anyway)
    return found


def as_user(world, user: str, method: str, path: str, body=None, *, session: bool = False, **headers):
    """`method path` as `user`: with their bearer token, or signed in (`session=True`)."""
    http = client(world)
    if session:
        http.force_login(world.people[user].user)
    else:
        headers = {**world.headers[user], **headers}
    if body is None:
        return http.generic(method, path, **headers)
    return http.generic(method, path, json.dumps(body), content_type="application/json", **headers)
