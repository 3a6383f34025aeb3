from .common import (
    ESCALATION,
    GUOBAN_22,
    NDRC_36,
    PUBLICATION,
    REMEDIES,
    REPAIR_MIN_MONTHS,
    SUPPLEMENT,
    bankruptcy_rules,
    list_exit_rules,
    objection_rules,
    provider_step,
    review_rules,
)

RULES = {
    "version": "national-2026.5",
    "profile": "national-2026",
    "title": "国办发〔2025〕22号 与 国家发展改革委令第36号 (2026)",
    "sources": [
        "国务院办公厅《关于进一步完善信用修复制度的实施方案》国办发〔2025〕22号",
        "国家发展改革委《信用修复管理办法》令第36号 (2026-04-01 施行)",
        "市场监管总局令第107号《市场监督管理信用修复管理办法》(2025-12-25 施行)",
        "市场监管总局令第44号《市场监督管理严重违法失信名单管理办法》",
        "最高人民法院《关于公布失信被执行人名单信息的若干规定》法释〔2017〕7号",
    ],
    "case_kinds": {
        "objection": objection_rules(basis="国办发〔2025〕22号; 《上海市社会信用条例》第三十六条"),
        "repair": {
            "basis": f"{GUOBAN_22}; {NDRC_36}",
            "remedies": REMEDIES,
            "record_kinds": ["admin_penalty"],
            "min_months_by_severity": REPAIR_MIN_MONTHS,
            # 国办发〔2025〕22号: minor penalties are not held against the subject once corrected.
            "minor_repair_at_once": True,
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
                    "basis": f"{GUOBAN_22} (受理 3 日)",
                },
                "verify": provider_step(basis=f"{GUOBAN_22}; 市场监管总局令第107号 (市场监管 7 个工作日)"),
            },
        },
        "list_exit": list_exit_rules(basis=f"市场监管总局令第44号; 法释〔2017〕7号; {GUOBAN_22}"),
        "review": review_rules(),
        "bankruptcy_repair": bankruptcy_rules(basis=f"{GUOBAN_22}; 市场监管总局令第107号"),
    },
    "escalation": ESCALATION,
    "publication": PUBLICATION,
    "supplement": SUPPLEMENT,
}
