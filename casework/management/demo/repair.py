"""Credit repair cases (信用修复) in every state the repair workflow has under the active rule set.

Every record is a general administrative penalty decided well over 3 months ago, so no filing is too early (a
too-early application is refused before it becomes a case: there is nothing to show). Under national-2026 the
provider decides (谁认定谁修复); where the rule set reports upward (local-plan: district → city → province), one
more case waits at the district office and the repaired one climbs every level first.
"""

from .base import ACCEPT, CaseSpec, RecordSpec, Step

RECORDS = [
    RecordSpec(
        "repair-filed", "trading", "admin_penalty", "general", "gl-market", 140,
        "榕鼓市监罚〔2026〕111号", "广告中使用绝对化用语, 罚款 3000 元",
        (("限制申请财政性资金补贴", "gl-finance"),),
    ),
    RecordSpec(
        "repair-materials", "food", "admin_penalty", "general", "gl-tax", 160,
        "榕鼓税罚〔2026〕112号", "未按规定保管发票, 罚款 2000 元",
    ),
    RecordSpec(
        "repair-verifying", "catering", "admin_penalty", "general", "gl-market", 170,
        "榕鼓市监罚〔2026〕113号", "餐具清洗消毒不符合要求, 罚款 5000 元",
        (("限制参与政府采购活动", "gl-finance"),),
    ),
    RecordSpec(
        "repair-reporting", "trading", "admin_penalty", "general", "gl-tax", 150,
        "榕鼓税罚〔2026〕114号", "未按规定期限办理税务变更登记, 罚款 1000 元",
    ),
    RecordSpec(
        "repair-granted", "building", "admin_penalty", "general", "gl-tax", 200,
        "榕鼓税罚〔2025〕115号", "未按规定代扣代缴个人所得税, 罚款 8000 元",
        (("限制享受税收优惠政策", "gl-tax"), ("限制参与工程建设项目招投标", "gl-housing")),
    ),
    RecordSpec(
        "repair-minor", "food", "admin_penalty", "minor", "gl-market", 90,
        "榕鼓市监简罚〔2026〕116号", "未在经营场所醒目位置悬挂营业执照, 警告",
    ),
    RecordSpec(
        "repair-rejected", "trading", "admin_penalty", "general", "gl-market", 180,
        "榕鼓市监罚〔2026〕117号", "销售不符合强制性标准的电器, 没收违法所得并罚款 20000 元",
        (("限制参与政府采购活动", "gl-finance"),),
    ),
    RecordSpec(
        "repair-refused", "food", "admin_penalty", "general", "gl-market", 130,
        "榕鼓市监罚〔2026〕118号", "超过保质期的食品未及时下架, 罚款 4000 元",
    ),
]  # fmt: skip

_PROOF = ("performance_proof",)


def _repair(label, record, statement, steps, state, outcome="", only_if=None) -> CaseSpec:
    return CaseSpec(
        label, record, "demo-company", statement, steps, state, outcome,
        kind="repair", attachments=_PROOF, only_if=only_if,
    )  # fmt: skip


CASES = [
    _repair(
        "filed, waiting for acceptance", "repair-filed",
        "违法广告已全部撤下, 罚款已缴清, 申请信用修复。", (), "filed",
    ),
    _repair(
        "补正 requested", "repair-materials",
        "发票保管制度已整改, 罚款已缴清。",
        (
            Step(
                "demo-credit", "decide", "accept", "request_materials",
                "请一次性补充: 1. 罚款缴纳凭证原件扫描件; 2. 发票保管制度整改报告。",
            ),
        ),
        "awaiting_materials",
    ),
    _repair(
        "under verification at the provider", "repair-verifying",
        "已更换消毒设备并建立清洗消毒台账, 罚款已缴清。",
        (ACCEPT, Step("demo-market", "claim", "verify")),
        "verifying",
    ),
    _repair(
        "reported to the district office (rule sets that report upward)", "repair-reporting",
        "税务变更登记已办结, 罚款已缴清。",
        (
            ACCEPT,
            Step("demo-tax", "decide", "verify", "approve", "已纠正失信行为, 符合修复条件, 报区信用办。"),
            Step("demo-credit", "claim", "report_district"),
        ),
        "reporting", only_if="reports_up",
    ),
    _repair(
        "decided: repaired", "repair-granted",
        "已补扣补缴个人所得税及滞纳金, 罚款已缴清, 签署信用承诺书。",
        (
            ACCEPT,
            Step("demo-tax", "decide", "verify", "approve", "税款、滞纳金和罚款均已缴清, 准予修复。"),
            Step("", "report_up", note="核查意见属实, 同意修复。"),
        ),
        "closed", "repaired",
    ),
    _repair(
        "minor record: the provider decides on a simplified check (rule sets that give one)", "repair-minor",
        "营业执照已悬挂于经营场所醒目位置。",
        (
            ACCEPT,
            Step("demo-market", "decide", "verify", "approve", "轻微失信信息，法定责任义务已履行完毕，准予修复。"),
        ),
        "closed", "repaired", only_if="minor_simplified_check",
    ),
    _repair(
        "decided: repair refused", "repair-rejected",
        "不合格电器已全部召回。",
        (ACCEPT, Step("demo-market", "decide", "verify", "reject", "罚没款尚未缴纳, 不符合修复条件。")),
        "closed", "rejected",
    ),
    _repair(
        "not accepted", "repair-refused",
        "过期食品已全部销毁。",
        (
            Step(
                "demo-credit", "decide", "accept", "refuse",
                "申请人未能提供罚款缴纳凭证, 且明确表示无法补充, 不予受理。",
            ),
        ),
        "refused",
    ),
]  # fmt: skip
