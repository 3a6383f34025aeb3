"""Objection cases (异议) in every state the objection workflow has, and the district's records
nobody disputes (published, their sanctions in force).
"""

from .base import ACCEPT, CaseSpec, RecordSpec, Step

# The credit office's self-check (docs/domain.md §9.1): not its own error, so the provider verifies.
FORWARD = Step(
    "demo-credit", "decide", "self_check", "forward", "经自查, 非平台归集差错, 转送信息提供单位核实。"
)

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
    # Records the objections below settle in the other ways of Zhejiang art. 30.
    RecordSpec(
        "stale-display", "food", "admin_penalty", "minor", "gl-market", 300,
        "榕鼓市监简罚〔2025〕111号", "未按规定明码标价, 警告并罚款 500 元",
        (("限制申请财政性资金补贴", "gl-finance"),),
    ),
    RecordSpec(
        "unpaid-tax", "building", "admin_penalty", "general", "gl-tax", 140,
        "榕鼓税罚〔2026〕112号", "未按期缴纳税款, 罚款 3000 元",
        (("限制享受税收优惠政策", "gl-tax"),),
    ),
    RecordSpec(
        "wrong-listing", "trading", "serious_list", "serious", "gl-market", 200,
        "榕鼓市监列〔2026〕113号", "列入严重违法失信名单: 拒不履行行政处罚决定",
        (("限制参与政府采购活动", "gl-finance"),),
    ),
    RecordSpec(
        "site-dust", "building", "admin_penalty", "general", "gl-housing", 75,
        "榕鼓住建罚〔2026〕110号", "建筑工地扬尘防治措施不到位, 罚款 3000 元",
    ),
]  # fmt: skip


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
            ACCEPT, FORWARD,
            Step("demo-market", "claim", "verify"),
        ),
        "verifying",
    ),
    CaseSpec(
        "court's correction review, 15 calendar days (court list stays in force)", "judgment-debt", "demo-person",
        "判决确定的款项已于执行前全部清偿, 有银行转账凭证为证。",
        (ACCEPT,), "verifying",
    ),
    CaseSpec(
        "self-corrected: publication stopped by the credit office", "stale-display", "demo-company",
        "该处罚为简易程序处罚, 公示期已满 3 个月, 平台仍在公示。",
        (
            ACCEPT,
            Step(
                "demo-credit", "decide", "self_check", "publication_stopped",
                "经自查, 该信息公示期已于决定之日起 3 个月届满, 系平台未及时撤下, 径行停止公示。",
            ),
        ),
        "closed", "publication_stopped",
    ),
    CaseSpec(
        "decided: record supplemented", "unpaid-tax", "demo-company",
        "罚款及税款已于处罚决定作出后 10 日内全部缴清, 记录未予载明。",
        (
            ACCEPT, FORWARD,
            Step(
                "demo-tax", "decide", "verify", "supplemented", "经核实, 当事人已缴清税款及罚款, 记录遗漏, 予以补充。",
                {"supplement": "当事人已于处罚决定作出后 10 日内缴清税款及罚款。"},
            ),
        ),
        "closed", "supplemented",
    ),
    CaseSpec(
        "decided: removed from the list", "wrong-listing", "demo-company",
        "处罚决定已在列入前全部履行, 不符合列入条件。",
        (
            ACCEPT, FORWARD,
            Step("demo-market", "decide", "verify", "removed_from_list", "经核实, 列入时罚款已缴清, 属错误列入, 予以移出。"),
        ),
        "closed", "removed_from_list",
    ),
    CaseSpec(
        "decided: record upheld", "false-invoice", "demo-company",
        "发票系按真实交易开具, 不存在虚开行为。",
        (ACCEPT, FORWARD, Step("demo-tax", "decide", "verify", "upheld", "经核查交易流水, 虚开事实清楚, 维持原记录。")),
        "closed", "upheld",
    ),
    CaseSpec(
        "decided: record corrected", "unlicensed-catering", "demo-company",
        "本公司持有有效食品经营许可证, 仅超出许可项目经营。",
        (
            ACCEPT, FORWARD,
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
            ACCEPT, FORWARD,
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
