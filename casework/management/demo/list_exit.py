"""List-exit cases (黑名单退出) in every state the list-exit workflow reaches on the real clock, a court-list
deletion, and a listing that ended by itself at its expiry date.

Left out: `deciding` and an early exit `removed` after publicity. Both need the 5-working-day publicity period
(公示) to be over, and `publicity_until` is set by the verification to a date after today; no service sets it in
the past, and the demo does not edit states or dates behind the services' backs.

Third-party objections (docs/domain.md §9.5): `demo-company` (刘经理, of another firm) objects during the
publicity of `demo-listed`'s exits, with evidence. `demo-company` follows each objection on its portal and in its
inbox; `demo-listed` (赵总) sees its exit held and the result (publicity resumed with the working days left, or
the exit refused), never who objected or what they wrote. The runner checks both when it files the objection.

The serious-list entries of one subject share their decision date: an early exit is refused when a serious
penalty was decided after the listing (SAMR Order 44), and entries decided the same day do not block each other.
"""

from .base import ACCEPT, CaseSpec, RecordSpec, Step


def _listing(key: str, subject: str, days_ago: int, number: int, summary: str, sanctions=()) -> RecordSpec:
    return RecordSpec(
        key, subject, "serious_list", "serious", "gl-market", days_ago,
        f"榕鼓市监列〔2025〕{number}号", f"列入严重违法失信名单: {summary}", sanctions,
    )  # fmt: skip


_PROCUREMENT = (("限制参与政府采购活动", "gl-finance"),)
_TAX = (("限制享受税收优惠政策", "gl-tax"),)

RECORDS = [
    _listing("exit-filed", "logistics", 400, 121, "隐瞒真实情况、弄虚作假取得道路运输经营许可", _PROCUREMENT),
    _listing("exit-materials", "logistics", 400, 122, "拒不配合市场监管部门监督检查"),
    _listing("exit-verifying", "logistics", 400, 123, "一年内三次以上因虚假宣传受到行政处罚", _TAX),
    _listing("exit-refused", "logistics", 400, 124, "被吊销营业执照后继续从事经营活动"),
    _listing("exit-rejected", "logistics", 400, 125, "未按行政处罚决定缴纳罚款并拒不改正", _PROCUREMENT),
    _listing("exit-publicity", "printing", 420, 126, "非法印制商标标识", _PROCUREMENT + _TAX),
    _listing("exit-on-hold", "printing", 420, 127, "擅自印刷境外出版物", _PROCUREMENT),
    _listing("exit-unfounded", "printing", 420, 128, "提交虚假材料办理印刷经营许可变更"),
    _listing("exit-founded", "printing", 420, 129, "拒不履行责令停产停业决定", _TAX),
    RecordSpec(
        "court-deletion", "person", "court_dishonest", "serious", "gl-court", 300,
        "(2025) 闽0102执130号", "违反财产报告制度, 拒不履行 (2025) 闽0102民初987号民事调解书确定的义务",
        (("限制高消费", "gl-court"),),
    ),
    # Listed 3 years ago and more: the expiry sweep (list_exit_expire_due) ends it and lifts its sanction.
    _listing(
        "listing-expired", "building", 1150, 131, "拖欠农民工工资, 经责令仍拒不支付",
        (("限制参与工程建设项目招投标", "gl-housing"),),
    ),
]  # fmt: skip

# Records whose listing the demo lets end by itself (the expiry sweep, as beat runs it hourly).
EXPIRING = ("listing-expired",)

_VERIFIED = (
    ACCEPT,
    Step(
        "demo-market", "decide", "verify", "approve", "已履行全部义务、消除不良影响, 拟提前移出, 予以公示。"
    ),
)
_OBJECT = Step("demo-company", "object", note="该企业至今拖欠本公司印刷货款 12 万元, 不应提前移出名单。")


def _exit(label, record, steps, state, outcome="") -> CaseSpec:
    return CaseSpec(
        label, record, "demo-listed", "已履行全部法定义务, 消除不良影响, 申请提前移出严重违法失信名单。",
        steps, state, outcome, kind="list_exit", attachments=("performance_proof",),
    )  # fmt: skip


CASES = [
    _exit("filed, waiting for acceptance", "exit-filed", (), "filed"),
    _exit(
        "补正 requested", "exit-materials",
        (Step("demo-credit", "decide", "accept", "request_materials", "请补充整改情况报告及信用承诺书原件。"),),
        "awaiting_materials",
    ),
    _exit("under verification", "exit-verifying", (ACCEPT, Step("demo-market", "claim", "verify")), "verifying"),
    _exit(
        "not accepted", "exit-refused",
        (Step("demo-credit", "decide", "accept", "refuse", "营业执照已被吊销, 不属于提前移出的受理范围。"),),
        "refused",
    ),
    _exit(
        "decided: exit refused at verification", "exit-rejected",
        (ACCEPT, Step("demo-market", "decide", "verify", "reject", "罚款仍未缴纳, 不符合提前移出条件。")),
        "closed", "rejected",
    ),
    _exit("in publicity (公示)", "exit-publicity", _VERIFIED, "publicity"),
    _exit("held by a publicity objection", "exit-on-hold", (*_VERIFIED, _OBJECT), "on_hold"),
    _exit(
        "in publicity again after an unfounded objection", "exit-unfounded",
        (
            *_VERIFIED, _OBJECT,
            Step("demo-market", "decide", "objection_verify", "unfounded", "经核实双方货款纠纷已由法院调解结案。"),
        ),
        "publicity",
    ),
    _exit(
        "decided: exit refused on a founded objection", "exit-founded",
        (
            *_VERIFIED, _OBJECT,
            Step("demo-market", "decide", "objection_verify", "founded", "经核实仍未停产整改, 不符合退出条件。"),
        ),
        "closed", "rejected",
    ),
    CaseSpec(
        "court list: deleted on a recorded ground", "court-deletion", "demo-person",
        "调解书确定的款项已全部履行完毕, 申请删除失信被执行人信息。",
        (Step("demo-court", "decide", "court_delete", "delete", "被执行人已履行全部义务, 依法删除失信信息。"),),
        "closed", "removed", kind="list_exit", options={"deletion_ground": "performed"},
    ),
]  # fmt: skip
