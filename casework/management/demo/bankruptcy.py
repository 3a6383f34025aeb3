"""Bankruptcy-restructuring repair cases (破产重整信用修复) in every state of the two-stage workflow.

Each company in restructuring has a record at three departments — market regulation, tax and the court — so
stage 1 opens three parallel shield tasks. Its administrator (管理人) files with the court's ruling approving the
plan, and reports the plan's completion to start stage 2.
"""

from .base import RESTRUCTURING, CaseSpec, RecordSpec, Step

# (market regulation, tax, court): what each company was penalised or listed for.
_FINDINGS = {
    "shipyard": ("未依法办理特种设备使用登记", "欠缴增值税及滞纳金", "拒不履行船舶修造合同纠纷判决"),
    "textile": ("产品标识标注不规范", "逾期未申报企业所得税", "拒不履行买卖合同纠纷判决"),
    "hotel": ("消防设施未保持完好有效", "欠缴房产税及城镇土地使用税", "拒不履行装修工程款纠纷判决"),
    "ceramics": ("生产不符合标准的日用陶瓷", "未按规定开具发票", "拒不履行借款合同纠纷判决"),
    "machinery": ("未按规定公示年度报告", "欠缴社会保险费", "拒不履行劳动争议仲裁裁决"),
}


def _records_of(company: str, serial: int) -> list[RecordSpec]:
    market, tax, court = _FINDINGS[company]
    return [
        RecordSpec(
            f"{company}-market", company, "admin_penalty", "general", "gl-market", 210,
            f"榕鼓市监罚〔2025〕{140 + serial}号", f"{market}, 罚款 30000 元",
            (("限制参与政府采购活动", "gl-finance"),),
        ),
        RecordSpec(
            f"{company}-tax", company, "admin_penalty", "general", "gl-tax", 190,
            f"榕鼓税罚〔2025〕{150 + serial}号", f"{tax}, 罚款 10000 元",
            (("限制享受税收优惠政策", "gl-tax"),),
        ),
        RecordSpec(
            f"{company}-court", company, "court_dishonest", "serious", "gl-court", 250,
            f"(2025) 闽0102执{160 + serial}号", court,
            (("限制高消费", "gl-court"),),
        ),
    ]  # fmt: skip


RECORDS = [record for serial, company in enumerate(RESTRUCTURING) for record in _records_of(company, serial)]

_REVIEWERS = {"market": "demo-market", "tax": "demo-tax", "court": "demo-court"}


def _shield(department: str, decision: str = "shield") -> Step:
    note = "" if decision == "shield" else "法院裁定批准的重整计划未涉及本单位记录的债务, 不予屏蔽。"
    return Step(_REVIEWERS[department], "decide", "shield", decision, note)


def _full_repair(department: str) -> Step:
    return Step(
        _REVIEWERS[department], "decide", "full_repair", "repair", "重整计划已执行完毕, 予以完全修复。"
    )


_ALL_SHIELDED = (_shield("market"), _shield("tax"), _shield("court"))
_COMPLETED = Step(
    "demo-administrator", "report_completion", note="重整计划已执行完毕, 法院已裁定终结重整程序。"
)


def _restructuring(label, company, steps, state, outcome="") -> CaseSpec:
    return CaseSpec(
        label, f"{company}-market", "demo-administrator",
        "福州市中级人民法院已裁定批准重整计划, 管理人申请屏蔽失信信息并解除惩戒措施。",
        steps, state, outcome,
        kind="bankruptcy_repair", more_records=(f"{company}-tax", f"{company}-court"),
        attachments=("ruling",), options={"administrator": True},
    )  # fmt: skip


CASES = [
    _restructuring("stage 1: one of three departments has shielded", "shipyard", (_shield("market"),), "shielding"),
    _restructuring("stage 1 done: waiting for the plan's completion", "textile", _ALL_SHIELDED, "awaiting_completion"),
    _restructuring(
        "stage 2: full repair under way", "hotel",
        (*_ALL_SHIELDED, _COMPLETED, _full_repair("market")), "repairing",
    ),
    _restructuring(
        "decided: fully repaired", "ceramics",
        (*_ALL_SHIELDED, _COMPLETED, _full_repair("market"), _full_repair("tax"), _full_repair("court")),
        "closed", "repaired",
    ),
    _restructuring(
        "decided: refused by every department", "machinery",
        (_shield("market", "refuse"), _shield("tax", "refuse"), _shield("court", "refuse")),
        "closed", "rejected",
    ),
]  # fmt: skip
