"""The API describes itself: a valid OpenAPI 3 document, and docs that need no outside host."""

import json
import re
from pathlib import Path

from django.contrib.staticfiles import finders

import pytest
from bs4 import BeautifulSoup
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

EXTERNAL = re.compile(r"^(https?:)?//", re.IGNORECASE)


@pytest.fixture
def schema(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_schema_is_a_valid_openapi_3_document(schema):
    assert schema["openapi"].startswith("3.")

    validate(schema)  # raises OpenAPIValidationError with the offending path


def test_schema_names_the_platform_and_its_version(schema):
    assert "Rural Digital Talent Platform" in schema["info"]["title"]
    assert schema["info"]["version"] == "1.0.0"
    assert "Authorization: Bearer" in schema["info"]["description"]


def test_schema_lists_the_account_and_region_endpoints(schema):
    paths = schema["paths"]

    assert {
        "/api/v1/me",
        "/api/v1/regions",
        "/api/v1/regions/{code}",
        "/api/v1/regions/{code}/children",
    } <= set(paths)
    assert {p["name"] for p in paths["/api/v1/regions"]["get"]["parameters"]} >= {"q", "limit"}


def test_schema_declares_bearer_token_authentication(schema):
    schemes = schema["components"]["securitySchemes"]
    bearer = [
        name
        for name, s in schemes.items()
        if s.get("type") == "http" and s.get("scheme") == "bearer"
    ]

    assert bearer, schemes
    me = schema["paths"]["/api/v1/me"]["get"]
    assert {bearer[0]} in [set(requirement) for requirement in me["security"]]
    assert "401" in me["responses"]


def test_every_operation_is_documented_for_api_users(schema):
    operation_ids = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"
            assert operation.get("tags"), f"{method.upper()} {path} has no tag"
            success = [code for code in operation["responses"] if code.startswith("2")]
            assert success, f"{method.upper()} {path} documents no successful response"
            operation_ids.append(operation["operationId"])
    assert len(operation_ids) == len(set(operation_ids))


def test_errors_are_documented_as_code_message_errors(schema):
    detail = schema["paths"]["/api/v1/regions/{code}"]["get"]["responses"]["404"]
    ref = detail["content"]["application/json"]["schema"]["$ref"]
    error_schema = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]

    assert {"code", "message", "errors"} <= set(error_schema["properties"])


def test_docs_page_loads_nothing_from_another_host(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = BeautifulSoup(response.content.decode(), "html.parser")
    assets = [tag.get("src") for tag in html.find_all("script") if tag.get("src")]
    assets += [tag.get("href") for tag in html.find_all("link") if tag.get("href")]
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets), assets
    external = [a for a in assets if EXTERNAL.match(a)]
    assert external == [], external
    # The Swagger UI settings point at our own schema, and nowhere else.
    settings_json = json.loads(html.select_one("script#swagger-settings").string)
    assert settings_json["url"] == "/api/v1/openapi.json"
    assert not [v for v in settings_json.values() if isinstance(v, str) and EXTERNAL.match(v)]
    # Swagger UI's "online validator" badge would fetch an image from swagger.io; only the
    # standalone layout shows it, unless validatorUrl is null.
    layout = settings_json.get("layout", "BaseLayout")
    assert layout == "BaseLayout" or settings_json.get("validatorUrl", "") is None


def test_docs_assets_are_shipped_with_the_site(client):
    html = BeautifulSoup(client.get("/api/v1/docs").content.decode(), "html.parser")
    assets = [tag["src"] for tag in html.find_all("script") if tag.get("src")]
    assets += [tag["href"] for tag in html.find_all("link", rel="stylesheet")]

    for url in assets:
        assert url.startswith("/static/"), url
        found = finders.find(url.removeprefix("/static/"))
        assert found, f"{url} is not among the static files collectstatic would serve"
        if url.endswith("-init.js"):
            assert not re.search(r"https?://", Path(found).read_text()), url
