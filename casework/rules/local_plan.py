from .common import (
    ESCALATION,
    PUBLICATION,
    REMEDIES,
    SUPPLEMENT,
    bankruptcy_rules,
    list_exit_rules,
    objection_rules,
    provider_step,
    review_rules,
)

# The plans give no numbers for the reporting levels; each level gets the national default of 3 working days
# (国办发〔2025〕22号) so that no step runs without a budget.
_LEVEL_BASIS = "吐鲁番市实施方案 §16 (逐级上报); 期限: 国办发〔2025〕22号 默认 3 个工作日"

RULES = {
    "version": "local-plan.5",
    "profile": "local-plan",
    "title": "地方社会信用体系建设实施方案 (吐鲁番、曲江、哈尔滨)",
    "sources": [
        "吐鲁番市实施方案 §16–§18",
        "曲江区实施方案 §二(二)3、5",
        "哈尔滨市实施方案 §10、§12、§13",
        "发改办财金〔2019〕527号",
    ],
    "case_kinds": {
        "objection": objection_rules(basis="哈尔滨市实施方案 §13; 吐鲁番市实施方案 §17"),
        "repair": {
            "basis": "吐鲁番市实施方案 §16; 曲江区实施方案 §二(二)5; 哈尔滨市实施方案 §12",
            "remedies": REMEDIES,
            "record_kinds": ["admin_penalty"],
            # 发改办财金〔2019〕527号: general 3 months, serious 6 months minimum publicity (older regime).
            "min_months_by_severity": {"minor": 0, "general": 3, "serious": 6},
            "minor_repair_at_once": False,
            # 527号 and 曲江 §二(二)5: repair training (信用修复培训) for serious cases.
            "training_required_for": ["serious"],
            # 哈尔滨 §12: individuals may repair through public-welfare service (社会公益服务) instead.
            "public_welfare_instead_of_training": True,
            # 吐鲁番 §16: reported level by level, 「由自治区统一进行修复」.
            "decided_by": "province",
            # The plans fix no overall limit for a repair reported level by level; the 10 working days of
            # 国办发〔2025〕22号 cannot hold five steps (docs/domain.md §9.9). The limit is
            # the sum of the step budgets: acceptance 3 + verification 7 + three reporting levels 3 each = 19.
            # [product default]
            "case_budget_days": 19,
            "service_norm_days": 19,
            "paths": [["accept", "verify", "report_district", "report_city", "report_province"]],
            "steps": {
                "accept": {
                    "department": "receiving_office",
                    "budget_days": 3,
                    "basis": "国办发〔2025〕22号 默认",
                },
                "verify": provider_step(
                    basis="吐鲁番市实施方案 §16 (认真组织核查); 期限: 国办发〔2025〕22号"
                ),
                "report_district": {"department": "district_office", "budget_days": 3, "basis": _LEVEL_BASIS},
                "report_city": {"department": "city_office", "budget_days": 3, "basis": _LEVEL_BASIS},
                "report_province": {"department": "province_office", "budget_days": 3, "basis": _LEVEL_BASIS},
            },
        },
        "list_exit": list_exit_rules(basis="曲江区实施方案 §二(二)3; 市场监管总局令第44号; 法释〔2017〕7号"),
        "review": review_rules(),
        "bankruptcy_repair": bankruptcy_rules(basis="曲江区实施方案 §二(二)5 及任务 14"),
    },
    "escalation": ESCALATION,
    "publication": PUBLICATION,
    "supplement": SUPPLEMENT,
}
