from .common import (
    COURT_7,
    ESCALATION,
    GUOBAN_22,
    OBJECTION_NATIONAL_BASIS,
    PRODUCT_DEFAULT,
    PROVINCE_OBJECTION_CITATIONS,
    PUBLICATION,
    REMEDIES,
    SAMR_44,
    SAMR_107,
    SUPPLEMENT,
    bankruptcy_rules,
    citations_merge,
    list_exit_rules,
    objection_rules,
    provider_step,
    review_rules,
)

NDRC_527 = "发改办财金〔2019〕527号"
# The plans give no numbers for the reporting levels; each level gets the national default of 3 working days
# (国办发〔2025〕22号) so that no step runs without a budget.
_LEVEL_BASIS = f"逐级上报；{PRODUCT_DEFAULT}（参照{GUOBAN_22}，3个工作日）"
_TURPAN_LEVEL_BASIS = f"吐鲁番市实施方案§16（逐级上报）；期限参照{GUOBAN_22}，3个工作日"

# The seed plans are each a city's or district's own instrument: cited only by offices of its province (Turpan:
# Xinjiang 65; Harbin: Heilongjiang 23; Qujiang district, Shaoguan: Guangdong 44). Elsewhere the profile's
# numbers stand on the national instruments (docs/rules.md, "Citations by province").
PLAN_CITATIONS = {
    "65": {
        "province": "新疆维吾尔自治区",
        "case_kinds": {
            "objection": {"basis": "吐鲁番市实施方案§17", "sources": ["吐鲁番市实施方案§16—§18"]},
            "repair": {
                "basis": "吐鲁番市实施方案§16",
                "sources": ["吐鲁番市实施方案§16—§18"],
                "steps": {
                    "verify": f"吐鲁番市实施方案§16（认真组织核查）；期限参照{GUOBAN_22}",
                    "report_district": _TURPAN_LEVEL_BASIS,
                    "report_city": _TURPAN_LEVEL_BASIS,
                    "report_province": _TURPAN_LEVEL_BASIS,
                },
            },
        },
    },
    "23": {
        "province": "黑龙江省",
        "case_kinds": {
            "objection": {"basis": "哈尔滨市实施方案§13", "sources": ["哈尔滨市实施方案§10、§12、§13"]},
            "repair": {"basis": "哈尔滨市实施方案§12", "sources": ["哈尔滨市实施方案§10、§12、§13"]},
        },
    },
    "44": {
        "province": "广东省",
        "case_kinds": {
            "repair": {"basis": "曲江区实施方案§二（二）5", "sources": ["曲江区实施方案§二（二）3、5"]},
            "list_exit": {"basis": f"曲江区实施方案§二（二）3；{SAMR_44}；{COURT_7}"},
            "bankruptcy_repair": {"basis": "曲江区实施方案§二（二）5及任务14"},
        },
    },
}

RULES = {
    "version": "local-plan.8",
    "profile": "local-plan",
    # The title names the profile, not its sources: the plans are cited only in their own provinces.
    "title": "地方实施方案规则（逐级上报、修复培训）",
    "sources": [
        "国务院办公厅《关于进一步完善信用修复制度的实施方案》国办发〔2025〕22号",
        f"{NDRC_527}",
    ],
    "case_kinds": {
        "objection": objection_rules(basis=OBJECTION_NATIONAL_BASIS),
        "repair": {
            "basis": f"{GUOBAN_22}；{NDRC_527}",
            "remedies": REMEDIES,
            "record_kinds": ["admin_penalty"],
            # 发改办财金〔2019〕527号: general 3 months, serious 6 months minimum publicity (older regime).
            "min_months_by_severity": {"minor": 0, "general": 3, "serious": 6},
            # 谁认定谁修复 (docs/domain.md §9.8): no shortcut for minor records; the plans name no simpler check.
            "checks_by_severity": {},
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
                    "basis": f"{GUOBAN_22}（受理3个工作日）",
                },
                "verify": provider_step(
                    basis=f"{GUOBAN_22}（认定单位核查）；{SAMR_107}（市场监管7个工作日）"
                ),
                "report_district": {"department": "district_office", "budget_days": 3, "basis": _LEVEL_BASIS},
                "report_city": {"department": "city_office", "budget_days": 3, "basis": _LEVEL_BASIS},
                "report_province": {"department": "province_office", "budget_days": 3, "basis": _LEVEL_BASIS},
            },
        },
        "list_exit": list_exit_rules(basis=f"{SAMR_44}；{COURT_7}；{GUOBAN_22}"),
        "review": review_rules(),
        "bankruptcy_repair": bankruptcy_rules(basis=f"{GUOBAN_22}；{SAMR_107}"),
    },
    "escalation": ESCALATION,
    "publication": PUBLICATION,
    "local_citations": citations_merge(PROVINCE_OBJECTION_CITATIONS, PLAN_CITATIONS),
    "supplement": SUPPLEMENT,
}
