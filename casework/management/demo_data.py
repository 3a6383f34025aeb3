"""What `manage.py demo` builds: a district of Fuzhou (鼓楼区, division 350102) with its city and province
credit offices, the departments that find and sanction, their staff, a few subjects with records and
sanctions, and objection cases driven into every state the objection workflow has.

Everything has a natural key so that a second run finds it and creates nothing: departments by code, users
by username, subjects by identifier, records by the number of the decision (文号) in their summary, sanctions
by (record, measure, implementer), and each case by its own record — no two cases share a record.
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
]


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
    UserSpec("demo-market", "reviewer", "林强", departments=("gl-market",)),
    UserSpec("demo-tax", "reviewer", "黄敏", departments=("gl-tax",)),
    UserSpec("demo-court", "reviewer", "郑磊", departments=("gl-court",)),
    UserSpec("demo-finance", "reviewer", "吴静", departments=("gl-finance",)),
    UserSpec("demo-company", "subject", "刘经理", subjects=("trading", "food", "catering", "building")),
    UserSpec("demo-person", "subject", "林晓明", subjects=("person",)),
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


RECORDS = [
    RecordSpec(
        "annual-report", "trading", "admin_penalty", "general", "gl-market", 120,
        "榕鼓市监罚〔2026〕101号", "未按规定期限公示 2025 年度报告, 罚款 2000 元",
        (("限制参与政府采购活动", "gl-finance"),),
    ),
    RecordSpec(
        "late-filing", "trading", "admin_penalty", "minor", "gl-tax", 95,
        "榕鼓税简罚〔2026〕102号", "逾期申报增值税, 罚款 200 元",
    ),
    RecordSpec(
        "food-label", "food", "admin_penalty", "general", "gl-market", 150,
        "榕鼓市监罚〔2026〕103号", "销售标签不符合规定的预包装食品, 罚款 5000 元",
        (("限制申请财政性资金补贴", "gl-finance"),),
    ),
    RecordSpec(
        "judgment-debt", "person", "court_dishonest", "serious", "gl-court", 200,
        "(2026) 闽0102执104号", "有履行能力而拒不履行 (2025) 闽0102民初1234号民事判决确定的给付义务",
        (("限制高消费", "gl-court"),),
    ),
    RecordSpec(
        "false-invoice", "food", "admin_penalty", "serious", "gl-tax", 400,
        "榕鼓税罚〔2025〕105号", "虚开增值税普通发票, 罚款 50000 元",
        (("限制享受税收优惠政策", "gl-tax"), ("限制参与政府采购活动", "gl-finance")),
    ),
    RecordSpec(
        "unlicensed-catering", "catering", "admin_penalty", "general", "gl-market", 130,
        "榕鼓市监罚〔2026〕106号", "未取得食品经营许可从事餐饮服务, 没收违法所得并罚款 10000 元",
        (("限制参与工程建设项目招投标", "gl-housing"),),
    ),
    RecordSpec(
        "false-registration", "catering", "serious_list", "serious", "gl-market", 380,
        "榕鼓市监列〔2025〕107号", "列入严重违法失信名单: 提交虚假材料取得公司变更登记",
        (("限制参与政府采购活动", "gl-finance"), ("限制享受税收优惠政策", "gl-tax")),
    ),
    RecordSpec(
        "missed-return", "building", "admin_penalty", "minor", "gl-tax", 60,
        "榕鼓税简罚〔2026〕108号", "未按期办理纳税申报, 罚款 100 元",
    ),
    # Records nobody disputes: published, their sanctions in force.
    RecordSpec(
        "unpaid-fine", "building", "serious_list", "serious", "gl-market", 420,
        "榕鼓市监列〔2025〕109号", "列入严重违法失信名单: 拒不履行行政处罚决定",
        (
            ("限制参与政府采购活动", "gl-finance"),
            ("限制参与工程建设项目招投标", "gl-housing"),
            ("限制享受税收优惠政策", "gl-tax"),
        ),
    ),
    RecordSpec(
        "site-dust", "building", "admin_penalty", "general", "gl-housing", 75,
        "榕鼓住建罚〔2026〕110号", "建筑工地扬尘防治措施不到位, 罚款 3000 元",
    ),
]  # fmt: skip


@dataclass(frozen=True)
class Step:
    """One thing a person does on the case, through the same service the API calls."""

    actor: str  # username
    action: str  # "decide" (claim + complete a task of `step`) | "claim" | "supplement"
    step: str = ""
    decision: str = ""
    note: str = ""
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class CaseSpec:
    label: str
    record: str  # RecordSpec key; one record per case is what makes re-runs find the case
    filer: str
    statement: str
    steps: tuple[Step, ...]
    state: str  # where the steps must leave it
    outcome: str = ""


_ACCEPT = Step("demo-credit", "decide", "accept", "accept", "材料齐全, 予以受理并转信息提供单位核实。")

CASES = [
    CaseSpec(
        "filed, waiting for acceptance", "annual-report", "demo-company",
        "年度报告已于 2026 年 3 月补报公示, 处罚依据的逾期事实与实际不符。",
        (), "filed",
    ),
    CaseSpec(
        "补正 requested", "late-filing", "demo-company",
        "增值税已在申报期内通过电子税务局申报, 系统延迟导致记录错误。",
        (
            Step(
                "demo-credit", "decide", "accept", "request_materials",
                "请一次性补充: 1. 电子税务局申报回执截图; 2. 法定代表人身份证明。",
            ),
        ),
        "awaiting_materials",
    ),
    CaseSpec(
        "补正 answered, under verification", "food-label", "demo-company",
        "涉案食品标签已按要求整改, 且处罚决定书认定的批次并非本公司销售。",
        (
            Step("demo-credit", "decide", "accept", "request_materials", "请补充涉案批次的进货单据。"),
            Step("demo-company", "supplement", note="已补充进货单据。"),
            _ACCEPT,
            Step("demo-market", "claim", "verify"),
        ),
        "verifying",
    ),
    CaseSpec(
        "under verification (court list stays in force)", "judgment-debt", "demo-person",
        "判决确定的款项已于执行前全部清偿, 有银行转账凭证为证。",
        (_ACCEPT,), "verifying",
    ),
    CaseSpec(
        "decided: record upheld", "false-invoice", "demo-company",
        "发票系按真实交易开具, 不存在虚开行为。",
        (_ACCEPT, Step("demo-tax", "decide", "verify", "upheld", "经核查交易流水, 虚开事实清楚, 维持原记录。")),
        "closed", "upheld",
    ),
    CaseSpec(
        "decided: record corrected", "unlicensed-catering", "demo-company",
        "本公司持有有效食品经营许可证, 仅超出许可项目经营。",
        (
            _ACCEPT,
            Step(
                "demo-market", "decide", "verify", "corrected", "经核实, 当事人持证经营, 违法行为为超范围经营。",
                {"correction": "超出食品经营许可项目从事餐饮服务, 罚款 1000 元 (榕鼓市监罚〔2026〕106号, 已更正)"},
            ),
        ),
        "closed", "corrected",
    ),
    CaseSpec(
        "decided: record deleted", "false-registration", "demo-company",
        "变更登记材料真实, 列入决定已被行政复议撤销。",
        (
            _ACCEPT,
            Step("demo-market", "decide", "verify", "deleted", "列入决定已被复议撤销, 删除该记录。"),
        ),
        "closed", "deleted",
    ),
    CaseSpec(
        "not accepted", "missed-return", "demo-credit",
        "申请人在窗口口头提出异议, 称已按期申报。",
        (
            Step(
                "demo-credit", "decide", "accept", "refuse",
                "申请人已于 2026 年 2 月就同一记录提出异议并经核实维持, 无新的事实和理由。",
            ),
        ),
        "refused",
    ),
]  # fmt: skip
