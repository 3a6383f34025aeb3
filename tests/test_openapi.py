"""Issue #6: the OpenAPI schema documents every endpoint, with examples; generating it raises no warning.

A new endpoint without a summary, a request example or a success-response example fails here."""

import pytest
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "put", "patch", "post", "delete")


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield f"{method.upper()} {path}", item[method]


def _has_example(media: dict) -> bool:
    return bool(media.get("examples") or "example" in media)


def test_the_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema = (tmp_path / "schema.yaml").read_text()
    for path in (
        "/api/v1/deliveries/{public_id}/replay/",
        "/api/v1/sanctions/{public_id}/feedback/",
        "/api/v1/imports/",
    ):
        assert path in schema
    assert "departmentSignature" in schema and "examples" in schema


def test_the_schema_covers_every_api_route(schema):
    operations = dict(_operations(schema))
    assert len(operations) >= 35
    assert "POST /api/v1/tasks/{public_id}/complete/" in operations
    assert "GET /api/v1/cases/{number}/notices/{public_id}.pdf" in operations


def test_every_operation_has_a_summary_or_description(schema):
    missing = [name for name, op in _operations(schema) if not (op.get("summary") or op.get("description"))]
    assert missing == []


def test_every_request_body_has_an_example(schema):
    missing = [
        name
        for name, op in _operations(schema)
        if "requestBody" in op and not any(_has_example(m) for m in op["requestBody"]["content"].values())
    ]
    assert missing == []


def test_every_success_response_has_an_example(schema):
    missing = []
    for name, op in _operations(schema):
        successes = {code: r for code, r in op["responses"].items() if str(code).startswith("2")}
        assert successes, f"{name} documents no 2xx response"
        for code, response in successes.items():
            content = response.get("content")
            if content and not all(_has_example(media) for media in content.values()):
                missing.append(f"{name} {code}")
    assert missing == []


def test_error_responses_carry_examples(schema):
    """Documented 400/403/404/409 answers show what the body looks like."""
    missing = []
    for name, op in _operations(schema):
        for code in ("400", "403", "404", "409"):
            response = op["responses"].get(code)
            content = (response or {}).get("content") or {}
            if not all(_has_example(media) for media in content.values()):
                missing.append(f"{name} {code}")
    assert missing == []


def test_every_path_parameter_is_described(schema):
    missing = [
        f"{name} {p['name']}"
        for name, op in _operations(schema)
        for p in op.get("parameters", [])
        if p["in"] == "path" and not p.get("description")
    ]
    assert missing == []


def test_writes_document_their_typical_errors(schema):
    operations = dict(_operations(schema))
    complete = operations["POST /api/v1/tasks/{public_id}/complete/"]["responses"]
    assert {"200", "400", "404", "409"} <= set(complete)
    field_errors = complete["400"]["content"]["application/json"]["examples"]
    assert any("请填写作出该决定的理由" in str(e["value"]) for e in field_errors.values())
    assert "409" in operations["POST /api/v1/cases/{number}/publicity-objections/"]["responses"]


def test_decisions_are_documented_for_every_step(schema):
    """The `decision` help text names every step and decision of the four flows."""
    from flows.bankruptcy import BankruptcyRepairFlow
    from flows.list_exit import ExitObjectionFlow, ListExitFlow
    from flows.nodes import HumanStep
    from flows.objection import ObjectionFlow
    from flows.repair import RepairFlow

    text = schema["components"]["schemas"]["TaskCompleteRequest"]["properties"]["decision"]["description"]
    for flow_class in (ObjectionFlow, RepairFlow, ListExitFlow, ExitObjectionFlow, BankruptcyRepairFlow):
        for node in flow_class.instance.nodes():
            if isinstance(node, HumanStep):
                assert f"`{node.step}`" in text, node.step
                for decision in node.decisions:
                    assert f"`{decision}`" in text, (node.step, decision)
