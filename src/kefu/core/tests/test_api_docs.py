"""The OpenAPI document and the interactive docs: public, self-contained, no external URL."""

import re

import pytest
from django.contrib.staticfiles import finders

from kefu.core.middleware import CSP

pytestmark = pytest.mark.django_db

ORG_PATHS = {
    "/api/v1/org/units",
    "/api/v1/org/units/{unit_id}",
    "/api/v1/org/sites",
    "/api/v1/org/sites/{site_id}",
    "/api/v1/org/posts",
    "/api/v1/org/employees",
    "/api/v1/org/employees/{employee_id}",
    "/api/v1/org/employees/{employee_id}/roles",
    "/api/v1/org/roles",
    "/api/v1/org/roles/{role_id}",
    "/api/v1/org/delegations",
    "/api/v1/org/delegations/{delegation_id}/revoke",
    "/api/v1/org/permissions",
}


def test_openapi_document_is_public_and_lists_the_org_paths(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    assert doc["info"]["title"] == "kefu API"
    assert set(doc["paths"]) >= ORG_PATHS
    assert {"/api/v1/me", "/api/v1/tokens", "/api/v1/tokens/{token_id}"} <= set(doc["paths"])
    # every operation declares the bearer/session security — except the customers' public intake
    # (CASE-2: no account), which must declare none — and every $ref resolves
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            if path.startswith("/api/v1/public/"):
                assert not operation.get("security"), f"{method} {path} asks customers to sign in"
            else:
                assert operation.get("security"), f"{method} {path} is not protected"
    assert any(p.startswith("/api/v1/public/") for p in doc["paths"])
    refs = set(re.findall(r'"\$ref": ?"#/components/schemas/([^"]+)"', response.content.decode()))
    assert refs and refs <= set(doc["components"]["schemas"])
    schemes = doc["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"


def test_openapi_documents_pagination_and_limits(client):
    doc = client.get("/api/v1/openapi.json").json()
    params = {p["name"]: p for p in doc["paths"]["/api/v1/org/employees"]["get"]["parameters"]}
    assert {"limit", "offset", "unit", "q", "status", "post"} <= set(params)
    assert params["limit"]["schema"]["default"] == 50
    assert params["limit"]["schema"]["maximum"] == 200


def test_docs_page_renders_without_external_urls(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html and "swagger-ui-init.js" in html
    assert "/api/v1/openapi.json" in html
    # no CDN, no external URL in any page
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", html)
    assert '"validatorUrl": null' in html
    # the site-wide CSP applies unchanged: no inline executable script, no inline style
    assert response["Content-Security-Policy"] == CSP
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    for attrs, body in scripts:
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs
        if "src=" in attrs:
            assert not body.strip()
    assert "<style" not in html and "style=" not in html


def test_docs_assets_are_served_from_our_static_files(client):
    html = client.get("/api/docs").content.decode()
    for asset in re.findall(r'(?:src|href)="/static/([^"]+)"', html):
        assert finders.find(asset), asset
