from .common import (
    COURT_7,
    ESCALATION,
    GUOBAN_22,
    NDRC_36,
    OBJECTION_NATIONAL_BASIS,
    PROVINCE_OBJECTION_CITATIONS,
    PUBLICATION,
    REMEDIES,
    REPAIR_MIN_MONTHS,
    SAMR_44,
    SAMR_107,
    SUPPLEMENT,
    bankruptcy_rules,
    list_exit_rules,
    objection_rules,
    provider_step,
    review_rules,
)

RULES = {
    "version": "national-2026.8",
    "profile": "national-2026",
    "title": "国办发〔2025〕22号与国家发展改革委令第36号（2026）",
    "sources": [
        "国务院办公厅《关于进一步完善信用修复制度的实施方案》国办发〔2025〕22号",
        "国家发展改革委《信用修复管理办法》令第36号（2026年4月1日施行）",
        "市场监管总局令第107号《市场监督管理信用修复管理办法》（2025年12月25日施行）",
        "市场监管总局令第44号《市场监督管理严重违法失信名单管理办法》",
        "最高人民法院《关于公布失信被执行人名单信息的若干规定》法释〔2017〕7号",
    ],
    "case_kinds": {
        "objection": objection_rules(basis=OBJECTION_NATIONAL_BASIS),
        "repair": {
            "basis": f"{GUOBAN_22}；{NDRC_36}",
            "remedies": REMEDIES,
            "record_kinds": ["admin_penalty"],
            "min_months_by_severity": REPAIR_MIN_MONTHS,
            # 谁认定谁修复 (docs/domain.md §9.8): the provider decides every repair, minor records included; for a
            # minor record it checks only that the legal obligations were performed.
            "checks_by_severity": {
                "minor": f"轻微失信信息：法定责任义务履行完毕即可修复，无需满足最短公示期（{GUOBAN_22}第二条）",
            },
            "training_required_for": [],  # Order 36 asks for proof and commitment, no training
            "public_welfare_instead_of_training": True,
            # 谁认定谁修复: the provider department decides (Order 36), within 3 working days (22号).
            "decided_by": "provider",
            "case_budget_days": 10,  # applicant answered within 10 working days (国办发〔2025〕22号)
            # Acceptance 3 + the market regulator's 7 fill the 10 days: a shorter norm would make a case whose
            # every step met its own due date late on the service clock.
            "service_norm_days": 10,
            "paths": [["accept", "verify"]],
            "steps": {
                "accept": {
                    "department": "receiving_office",
                    "budget_days": 3,
                    "basis": f"{GUOBAN_22}（受理3个工作日）",
                },
                "verify": provider_step(basis=f"{GUOBAN_22}；{SAMR_107}（市场监管7个工作日）"),
            },
        },
        "list_exit": list_exit_rules(basis=f"{SAMR_44}；{COURT_7}；{GUOBAN_22}"),
        "review": review_rules(),
        "bankruptcy_repair": bankruptcy_rules(basis=f"{GUOBAN_22}；{SAMR_107}"),
    },
    "escalation": ESCALATION,
    "publication": PUBLICATION,
    "local_citations": PROVINCE_OBJECTION_CITATIONS,
    "supplement": SUPPLEMENT,
}
