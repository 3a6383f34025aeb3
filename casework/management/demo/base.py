"""The demo district — 福州市鼓楼区 (division 350102) with its city and province credit offices, the departments
that find and sanction, their staff, subjects — and the spec types every case kind's scenarios are written in.

Everything has a natural key so that a second run finds it and creates nothing: departments by code, users
by username, subjects by identifier, records by the number of the decision (文号) in their summary, sanctions
by (record, measure, implementer), and each case by its first record — no two cases share a first record.
"""

from dataclasses import dataclass, field

from casework.identifiers import compute_credit_code_check, compute_resident_id_check

# Fixed on purpose: the demo prints its logins. The command refuses to run where DEBUG is off unless told to.
DEMO_PASSWORD = "gulou-demo-2026"

DIVISION = "350102"  # 福建省福州市鼓楼区


def enterprise_code(org: str) -> str:
    """A valid unified social credit code of a company (91) registered in the demo district."""
    first17 = f"91{DIVISION}{org}"
    return first17 + compute_credit_code_check(first17)


def person_code(born: str, seq: str) -> str:
    """A valid resident ID of a person whose address code is the demo district."""
    first17 = f"{DIVISION}{born}{seq}"
    return first17 + compute_resident_id_check(first17)


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str
    kind: str
    level: str
    division: str
    parent: str | None = None


DEPARTMENTS = [
    # Level-by-level reporting (逐级上报): district → city → province joint-meeting office.
    DepartmentSpec(
        "fj-credit", "福建省社会信用体系建设联席会议办公室", "credit_office", "province", "350000"
    ),
    DepartmentSpec(
        "fz-credit", "福州市社会信用体系建设联席会议办公室", "credit_office", "city", "350100", "fj-credit"
    ),
    DepartmentSpec("gl-credit", "鼓楼区信用办", "credit_office", "district", DIVISION, "fz-credit"),
    DepartmentSpec("gl-court", "鼓楼区人民法院", "court", "district", DIVISION),
    DepartmentSpec("gl-tax", "国家税务总局福州市鼓楼区税务局", "tax", "district", DIVISION),
    DepartmentSpec("gl-market", "鼓楼区市场监督管理局", "market_regulation", "district", DIVISION),
    DepartmentSpec("gl-finance", "鼓楼区财政局", "other", "district", DIVISION),
    DepartmentSpec("gl-housing", "鼓楼区住房和城乡建设局", "other", "district", DIVISION),
]


@dataclass(frozen=True)
class SubjectSpec:
    key: str
    kind: str
    code: str
    name: str


SUBJECTS = [
    SubjectSpec("trading", "enterprise", enterprise_code("MA2Y8K1P3"), "福州鼓楼示范贸易有限公司"),
    SubjectSpec("food", "enterprise", enterprise_code("MA31D7QX2"), "福州三坊七巷食品有限公司"),
    SubjectSpec("catering", "enterprise", enterprise_code("MA2XNR5H9"), "福州闽江餐饮管理有限公司"),
    SubjectSpec("building", "enterprise", enterprise_code("MA8U4PB6W"), "福州榕城建材有限公司"),
    SubjectSpec("person", "person", person_code("19850615", "123"), "林晓明"),
    # On the serious-dishonesty list, applying to leave it early.
    SubjectSpec("logistics", "enterprise", enterprise_code("MA33LQ8T1"), "福州鼓楼通达物流有限公司"),
    SubjectSpec("printing", "enterprise", enterprise_code("MA2W6HC4N"), "福州西湖印务有限公司"),
    # In court-approved restructuring (破产重整), represented by their administrator (管理人).
    SubjectSpec("shipyard", "enterprise", enterprise_code("MA34RB2K7"), "福州闽江船舶修造有限公司"),
    SubjectSpec("textile", "enterprise", enterprise_code("MA2UE9GD5"), "福州鼓楼纺织品有限公司"),
    SubjectSpec("hotel", "enterprise", enterprise_code("MA31JT6P0"), "福州温泉大酒店有限公司"),
    SubjectSpec("ceramics", "enterprise", enterprise_code("MA2YKD3X8"), "福州榕华陶瓷有限公司"),
    SubjectSpec("machinery", "enterprise", enterprise_code("MA35NW1Q4"), "福州东街机械制造有限公司"),
]

# Firms whose objections make the months of back-dated history (demo/history.py), filed by their agent.
HISTORY_FIRMS = (
    SubjectSpec("harbour", "enterprise", enterprise_code("MA2Q7HB5K"), "福州马尾港务服务有限公司"),
    SubjectSpec("tea", "enterprise", enterprise_code("MA3C4TE8R"), "福州鼓楼茉莉花茶有限公司"),
    SubjectSpec("pharmacy", "enterprise", enterprise_code("MA2P9YD1F"), "福州杨桥大药房有限公司"),
    SubjectSpec("garage", "enterprise", enterprise_code("MA36GX2M5"), "福州五四路汽车维修有限公司"),
)
SUBJECTS += HISTORY_FIRMS

RESTRUCTURING = ("shipyard", "textile", "hotel", "ceramics", "machinery")


@dataclass(frozen=True)
class UserSpec:
    username: str
    role: str
    full_name: str
    departments: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()  # SubjectSpec keys


USERS = [
    UserSpec("demo-admin", "admin", "系统管理员"),
    # A city-level supervisor oversees every department whose division starts with 3501.
    UserSpec("demo-supervisor", "supervisor", "陈督查", departments=("fz-credit",)),
    UserSpec("demo-credit", "reviewer", "王芳", departments=("gl-credit",)),
    # The city and province offices decide repairs where the rule set reports upward (local-plan).
    UserSpec("demo-city", "reviewer", "张伟", departments=("fz-credit",)),
    UserSpec("demo-province", "reviewer", "李娜", departments=("fj-credit",)),
    UserSpec("demo-market", "reviewer", "林强", departments=("gl-market",)),
    UserSpec("demo-tax", "reviewer", "黄敏", departments=("gl-tax",)),
    UserSpec("demo-court", "reviewer", "郑磊", departments=("gl-court",)),
    UserSpec("demo-finance", "reviewer", "吴静", departments=("gl-finance",)),
    UserSpec("demo-company", "subject", "刘经理", subjects=("trading", "food", "catering", "building")),
    UserSpec("demo-person", "subject", "林晓明", subjects=("person",)),
    UserSpec("demo-listed", "subject", "赵总", subjects=("logistics", "printing")),
    UserSpec("demo-administrator", "subject", "周律师 (管理人)", subjects=RESTRUCTURING),
    UserSpec("demo-agent", "subject", "孙代理", subjects=tuple(s.key for s in HISTORY_FIRMS)),
]


@dataclass(frozen=True)
class RecordSpec:
    key: str
    subject: str
    kind: str
    severity: str
    provider: str
    days_ago: int
    document: str  # 文号: the natural key, kept in the summary even after a correction
    summary: str
    sanctions: tuple[tuple[str, str], ...] = ()  # (measure, implementing department)

    @property
    def full_summary(self) -> str:
        return f"{self.summary} ({self.document})"


@dataclass(frozen=True)
class Step:
    """One thing a person does on the case, through the same service the API calls.

    `action`: "decide" (claim + complete a task of `step` on the case or on an objection against it), "claim",
    "supplement" (answer the 补正), "object" (a publicity objection against a list exit, `note` its statement),
    "report_completion" (bankruptcy stage 2), "report_up" (approve the repair at every level it is reported
    to, as long as the case is `reporting`; nothing where the provider decides), "request_review" (复核 of the
    decided objection, `note` its statement; its step is then decided like any other, by the office above).
    """

    actor: str  # username; for "report_up" the reviewers of each level act
    action: str
    step: str = ""
    decision: str = ""
    note: str = ""
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class CaseSpec:
    label: str
    record: str  # RecordSpec key; one first record per case is what makes re-runs find the case
    filer: str
    statement: str
    steps: tuple[Step, ...]
    state: str  # where the steps must leave it
    outcome: str = ""
    kind: str = "objection"
    more_records: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()  # case_file file fields sent one PDF each: performance_proof, ruling …
    options: dict = field(default_factory=dict)  # other case_file arguments: deletion_ground, administrator
    # Loaded only where the active rule set has this repair rule (e.g. reporting upward): `None` always.
    only_if: str | None = None

    @property
    def records(self) -> tuple[str, ...]:
        return (self.record, *self.more_records)


ACCEPT = Step("demo-credit", "decide", "accept", "accept", "材料齐全, 予以受理并转信息提供单位核实。")
