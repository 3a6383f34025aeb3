"""复核 (docs/domain.md §9.4): an objection whose result the subject had reviewed by the credit office one level
up (福州市信用办 above 鼓楼区信用办), which changed it. The objection's scenario carries the review's steps; the
review case is found through the objection (`Case.reviews`) and listed on its own.
"""

from .base import ACCEPT, CaseSpec, RecordSpec, Step

RECORDS = [
    RecordSpec(
        "shop-sign", "trading", "admin_penalty", "general", "gl-market", 110,
        "榕鼓市监罚〔2026〕187号", "擅自设置户外广告招牌, 罚款 8000 元",
        (("限制参与政府采购活动", "gl-finance"),),
    ),
]  # fmt: skip

CASES = [
    CaseSpec(
        "decided: upheld, then changed on review (复核) by the city office", "shop-sign", "demo-company",
        "招牌系经城管部门审批设置, 不属于擅自设置。",
        (
            ACCEPT,
            Step("demo-credit", "decide", "self_check", "forward", "非平台归集错误, 转信息提供单位核实。"),
            Step("demo-market", "decide", "verify", "upheld", "经核查, 招牌设置未经审批, 维持原记录。"),
            Step(
                "demo-company", "request_review",
                note="招牌设置已于 2025 年取得城市管理部门的审批 (榕鼓城管审〔2025〕56号), 原核实意见未予审查。",
            ),
            Step(
                "demo-city", "decide", "review", "deleted",
                "经复核, 当事人持有设置审批文件, 原处罚决定认定事实有误, 原异议处理结果予以纠正, 删除该记录。",
            ),
        ),
        "closed", "upheld",
    ),
]  # fmt: skip
