"""A small province built through the API alone, as the acceptance scenario of the objection issue asks."""

from dataclasses import dataclass, field

from rest_framework.test import APIClient

from .conftest import client_for, credit_code


@dataclass
class World:
    admin: APIClient
    clients: dict[str, APIClient] = field(default_factory=dict)
    subject: dict = field(default_factory=dict)
    record: dict = field(default_factory=dict)
    sanctions: list = field(default_factory=list)

    def __getitem__(self, name: str) -> APIClient:
        return self.clients[name]


def created(response) -> dict:
    assert response.status_code == 201, response.content
    return response.json()


def build_world(
    admin: APIClient,
    *,
    severity: str = "serious",
    kind: str = "admin_penalty",
    decided_on: str = "2026-03-02",
    province: str = "35",
) -> World:
    """`province`: the first two digits of every division code (35 Fujian; 31 Shanghai, 33 Zhejiang …)."""
    world = World(admin=admin)
    departments = [
        # Level-by-level reporting (逐级上报) goes district → city → province along `parent`.
        {
            "code": "xy-province",
            "name": "福建省社会信用体系建设联席会议办公室",
            "kind": "credit_office",
            "level": "province",
            "division": f"{province}0000",
        },
        {
            "code": "xy-city",
            "name": "福州市社会信用体系建设联席会议办公室",
            "kind": "credit_office",
            "level": "city",
            "division": f"{province}0100",
            "parent": "xy-province",
        },
        {
            "code": "xy-credit",
            "name": "鼓楼区信用办",
            "kind": "credit_office",
            "level": "district",
            "division": f"{province}0102",
            "parent": "xy-city",
        },
        {
            "code": "xy-market",
            "name": "鼓楼区市场监管局",
            "kind": "market_regulation",
            "level": "district",
            "division": f"{province}0102",
        },
        {
            "code": "xy-tax",
            "name": "鼓楼区税务局",
            "kind": "tax",
            "level": "district",
            "division": f"{province}0102",
        },
        {
            "code": "xy-finance",
            "name": "鼓楼区财政局",
            "kind": "other",
            "level": "district",
            "division": f"{province}0102",
        },
        {
            "code": "xy-court",
            "name": "鼓楼区法院",
            "kind": "court",
            "level": "district",
            "division": f"{province}0102",
        },
    ]
    for department in departments:
        created(admin.post("/api/v1/departments/", department, format="json"))
    for name, department in [
        ("credit", "xy-credit"),
        ("market", "xy-market"),
        ("tax", "xy-tax"),
        ("finance", "xy-finance"),
        ("court", "xy-court"),
        ("city", "xy-city"),
        ("province", "xy-province"),
    ]:
        user = created(
            admin.post(
                "/api/v1/users/",
                {
                    "username": name,
                    "password": "a-long-password-1",
                    "role": "reviewer",
                    "departments": [department],
                },
                format="json",
            )
        )
        world.clients[name] = client_for(user["token"])
    world.subject = created(
        admin.post(
            "/api/v1/subjects/",
            {
                "kind": "enterprise",
                "code": credit_code(division=f"{province}0102"),
                "name": "福州示例贸易有限公司",
            },
            format="json",
        )
    )
    for name, code in [
        ("subject", credit_code(division=f"{province}0102")),
        ("other_subject", credit_code(division=f"{province}0102", org="MA2Y3K4L6")),
    ]:
        if name == "other_subject":
            created(
                admin.post(
                    "/api/v1/subjects/",
                    {"kind": "enterprise", "code": code, "name": "另一家公司"},
                    format="json",
                )
            )
        user = created(
            admin.post(
                "/api/v1/users/",
                {"username": name, "password": "a-long-password-1", "role": "subject", "subjects": [code]},
                format="json",
            )
        )
        world.clients[name] = client_for(user["token"])
    world.record = created(
        admin.post(
            "/api/v1/records/",
            {
                "subject": world.subject["id"],
                "kind": kind,
                "severity": severity,
                "provider": "xy-market",
                "decided_on": decided_on,
                "summary": "未按规定公示年度报告 (闽榕市监罚〔2026〕12号)",
            },
            format="json",
        )
    )
    for measure, implementer in [("限制参与政府采购", "xy-finance"), ("限制享受税收优惠", "xy-tax")]:
        world.sanctions.append(
            created(
                admin.post(
                    "/api/v1/sanctions/",
                    {"record": world.record["id"], "measure": measure, "implementer": implementer},
                    format="json",
                )
            )
        )
    return world


def file_objection(world: World, client_name: str = "subject"):
    return world[client_name].post(
        "/api/v1/cases/",
        {
            "kind": "objection",
            "subject": world.subject["id"],
            "records": [world.record["id"]],
            "statement": "该处罚已被撤销, 记录有误。",
            "commitment_signed": True,
        },
        format="json",
    )


def forward_objection(world: World, note: str = "非平台自身差错, 转送信息提供单位核实") -> dict:
    """The credit office's self-check of the one open objection: no error of its own, forward to the provider
    (docs/domain.md §9.1). Returns the completed task."""
    [task] = [t for t in queue(world["credit"]) if t["step"] == "self_check"]
    response = world["credit"].post(
        f"/api/v1/tasks/{task['id']}/complete/", {"decision": "forward", "note": note}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def queue(client: APIClient) -> list[dict]:
    response = client.get("/api/v1/tasks/")
    assert response.status_code == 200, response.content
    return response.json()
