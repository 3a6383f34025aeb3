"""Pieces both profiles share. Every number is data with its legal source beside it (DOMAIN.md)."""

# Which record kinds have their sanctions suspended while an objection is verified. Harbin §13 / Turpan §17:
# 「联合惩戒措施在信息核实期间暂不执行」; the court list stays in force during review (法释〔2017〕7号 art. 11).
OBJECTION_SUSPENDS_SANCTIONS = {
    "admin_penalty": True,
    "serious_list": True,
    "court_dishonest": False,
}

OBJECTION_SOURCES = [
    "《上海市社会信用条例》(2017) 第三十六条: 1 个工作日内标注异议, 2 个工作日内转送, 5 个工作日内核实",
    "《浙江省公共信用信息管理条例》(2017) 第三十条、第三十一条: 5 个工作日内核实, 经批准可延长至 20 个工作日",
]

# Remedies the subject keeps whatever the outcome (Harbin §13): named in every objection notice.
REMEDIES = "如对处理结果不服, 可依法申请行政复议或者提起行政诉讼。"

# Default escalation ladder, per task (DOMAIN.md): fractions of the budget and working-day offsets.
ESCALATION = {
    "remind_at_fraction": 0.6,
    "remind_days_before_due": 1,
    "overdue_notice_days_after_due": 1,
    "supervise_days_overdue": 5,
}


def objection_rules(*, basis: str) -> dict:
    return {
        "basis": basis,
        "sources": OBJECTION_SOURCES,
        "remedies": REMEDIES,
        "suspend_sanctions": OBJECTION_SUSPENDS_SANCTIONS,
        "steps": {
            "accept": {
                "department": "receiving_office",
                "budget_days": 2,
                "basis": "《上海市社会信用条例》第三十六条 (标注 1 日, 受理并转送 2 日)",
            },
            "verify": {
                "department": "provider",
                "budget_days": 5,
                "max_total_days": 20,
                "basis": "《浙江省公共信用信息管理条例》第三十条 (5 个工作日, 经批准延长至 20 个工作日)",
            },
        },
    }
