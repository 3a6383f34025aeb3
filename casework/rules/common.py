"""Pieces both profiles share. Every number is data with its legal source beside it (docs/domain.md §4, §8)."""

# Which record kinds have their sanctions suspended while an objection is verified. Harbin §13 / Turpan §17:
# 「联合惩戒措施在信息核实期间暂不执行」; the court list stays in force during review (法释〔2017〕7号 art. 11).
OBJECTION_SUSPENDS_SANCTIONS = {
    "admin_penalty": True,
    "serious_list": True,
    "court_dishonest": False,
}

# Instruments cited where the office's province has none of its own (docs/domain.md §8): the national rules.
GUOBAN_22 = "国办发〔2025〕22号"
NDRC_36 = "国家发展改革委《信用修复管理办法》令第36号"
SAMR_107 = "市场监管总局令第107号"
SAMR_44 = "市场监管总局令第44号"
COURT_7 = "法释〔2017〕7号"
# 国办发〔2025〕22号 asks for an objection channel (健全异议申诉处理机制) but fixes no step budgets: the
# objection budgets below follow the Shanghai and Zhejiang regulations, cited only to offices of those provinces;
# elsewhere they are the product's defaults and the notice cites the national instrument.
OBJECTION_NATIONAL_BASIS = f"{GUOBAN_22}（健全异议申诉处理机制）"
PRODUCT_DEFAULT = "期限为本系统默认值"

# Remedies the subject keeps whatever the outcome (Harbin §13): named in every objection notice.
REMEDIES = "如对处理结果不服，可以依法申请行政复议或者提起行政诉讼。"

# Local instruments by province (the first two digits of the office's division code), cited on notices and the
# reviewer's rule panel of that province's offices only; every other office cites the national instruments in
# each kind's `basis` and the rule set's `sources` (docs/rules.md, "Citations by province").
SHANGHAI_36 = "《上海市社会信用条例》第三十六条"
ZHEJIANG_30 = "《浙江省公共信用信息管理条例》第三十条"
PROVINCE_OBJECTION_CITATIONS = {
    "31": {
        "province": "上海市",
        "case_kinds": {
            "objection": {
                "basis": f"{SHANGHAI_36}；{GUOBAN_22}",
                "sources": [
                    "《上海市社会信用条例》（2017年）第三十六条：1个工作日内标注异议，2个工作日内转送，"
                    "信息提供单位5个工作日内核实"
                ],
                "steps": {
                    "accept": f"{SHANGHAI_36}（标注1日，受理并转送2日）",
                    "verify": f"{SHANGHAI_36}（信息提供单位5个工作日内核实）",
                },
            },
            "list_exit": {"steps": {"objection_verify": f"{SHANGHAI_36}（异议5个工作日内核实）"}},
        },
    },
    "33": {
        "province": "浙江省",
        "case_kinds": {
            "objection": {
                "basis": f"{ZHEJIANG_30}、第三十一条；{GUOBAN_22}",
                "sources": [
                    "《浙江省公共信用信息管理条例》（2017年）第三十条、第三十一条：5个工作日内核实，"
                    "经批准可延长至20个工作日"
                ],
                "steps": {
                    "accept": f"{ZHEJIANG_30}（受理异议申请）",
                    "verify": f"{ZHEJIANG_30}（5个工作日内核实，经批准延长至20个工作日）",
                },
            },
            "list_exit": {"steps": {"objection_verify": f"{ZHEJIANG_30}（异议5个工作日内核实）"}},
        },
    },
}


def citations_merge(*tables: dict) -> dict:
    """Province citation tables (`local_citations`) joined: a province's kinds and steps from every table."""
    merged: dict = {}
    for table in tables:
        for prefix, entry in table.items():
            into = merged.setdefault(prefix, {"province": entry["province"], "case_kinds": {}})
            for kind, cited in entry["case_kinds"].items():
                kind_into = into["case_kinds"].setdefault(kind, {})
                for key, value in cited.items():
                    if key == "steps":
                        kind_into.setdefault("steps", {}).update(value)
                    elif key == "sources":
                        kind_into["sources"] = [*kind_into.get("sources", []), *value]
                    else:
                        kind_into[key] = value
    return merged


# 复核 (docs/domain.md §9.4): after an objection's result the subject may ask once, within this many working
# days of the result notice, for a review by the credit office one level up [product default: no instrument
# the product ships fixes the window].
REVIEW_WINDOW_DAYS = 15
# The office one level up decides within 5 working days [product default; the Zhejiang regulation has the
# provincial development and reform department review, without a number; 5 is the objection's own
# verification budget].
REVIEW_BUDGET_DAYS = 5

# What an objection's result notice and messages tell the subject: the review first, and that administrative
# reconsideration and litigation stay open whatever is asked (Harbin §13).
OBJECTION_REMEDIES = (
    f"如对异议处理结果有异议，可以自收到处理结果告知之日起{REVIEW_WINDOW_DAYS}个工作日内向上一级社会信用体系建设"
    "牵头部门（信用办）申请复核一次；也可以依法申请行政复议或者提起行政诉讼。"
)

# Default escalation ladder, per task (docs/domain.md §5): fractions of the budget and working-day offsets.
ESCALATION = {
    "remind_at_fraction": 0.6,
    "remind_days_before_due": 1,
    "overdue_notice_days_after_due": 1,
    "supervise_days_overdue": 5,
    # Execution feedback (执行反馈, Turpan §18): an implementer whose reported state still differs from ours
    # this many working days after the change is escalated to its head and the credit office, like a late
    # task's 催办. The plans give no number; 3 working days matches the departments' decision budget
    # (国办发〔2025〕22号 「3 个工作日内」).
    "feedback_mismatch_days": 3,
}


# Where the error is the platform's own, the credit office settles the objection itself at its self-check,
# without forwarding it (docs/domain.md §9.1): a record published past its period, linked to the wrong subject
# (deleted from this subject's file), or a transcription slip against the provider's decision (corrected).
SELF_CHECK_OUTCOMES = ["publication_stopped", "deleted", "corrected"]

# An objection to the court list (失信被执行人) is a correction request to the court, reviewed within 15
# calendar days (法释〔2017〕7号 第十一条); a founded one is corrected within 3 working days (第十条, applied by
# the court's decision itself), and the listing stays in force meanwhile.
COURT_REVIEW_BASIS = "法释〔2017〕7号第十一条（纠正申请15日内审查；理由成立的3个工作日内纠正）"


def objection_rules(*, basis: str) -> dict:
    return {
        "basis": basis,
        "remedies": OBJECTION_REMEDIES,
        "suspend_sanctions": OBJECTION_SUSPENDS_SANCTIONS,
        "self_check_outcomes": SELF_CHECK_OUTCOMES,
        "route_by_record_kind": {"court_dishonest": "court_review"},
        # Mark 1 + accept 2 + forward 2 + verify 5 (《上海市社会信用条例》第三十六条). The filing itself marks
        # the records, so the steps take 2 + 2 + 5 = 9; an approved extension of verification extends the
        # legal clock with it (services/tasks.py). The service norm is the steps' own sum [product default].
        "case_budget_days": 10,
        "service_norm_days": 9,
        "paths": [["accept", "self_check", "verify"], ["accept", "court_review"]],
        "steps": {
            "accept": {
                "department": "receiving_office",
                "budget_days": 2,
                "basis": f"{OBJECTION_NATIONAL_BASIS}；{PRODUCT_DEFAULT}（受理并转送2个工作日）",
            },
            "self_check": {
                "department": "receiving_office",
                "budget_days": 2,
                "basis": f"{OBJECTION_NATIONAL_BASIS}；{PRODUCT_DEFAULT}（2个工作日内转送信息提供单位；平台自身差错径行更正）",
            },
            "verify": {
                "department": "provider",
                "budget_days": 5,
                "max_total_days": 20,
                "basis": f"{OBJECTION_NATIONAL_BASIS}；{PRODUCT_DEFAULT}（核实5个工作日，经批准延长至20个工作日）",
            },
            "court_review": {
                "department": "provider",
                "budget_days": 15,
                "calendar_days": True,
                "from_filing": True,
                "basis": COURT_REVIEW_BASIS,
            },
        },
    }


def review_rules() -> dict:
    """复核 of an objection's result (docs/domain.md §9.4): one step at the credit office one level up."""
    return {
        "basis": f"{OBJECTION_NATIONAL_BASIS}；{PRODUCT_DEFAULT}（复核）",
        "sources": [
            f"复核：异议处理结果告知之日起{REVIEW_WINDOW_DAYS}个工作日内申请一次，上一级信用办{REVIEW_BUDGET_DAYS}"
            f"个工作日内作出复核决定（{PRODUCT_DEFAULT}）",
        ],
        # The review is the end of the office chain: reconsideration and litigation stay open (Harbin §13).
        "remedies": REMEDIES,
        "window_days": REVIEW_WINDOW_DAYS,
        # The review is the only step, so its budget is the legal clock and the service norm as well.
        "case_budget_days": REVIEW_BUDGET_DAYS,
        "service_norm_days": REVIEW_BUDGET_DAYS,
        "paths": [["review"]],
        "steps": {
            "review": {
                # The review case is received by the office one level up (services/review.py), which decides.
                "department": "receiving_office",
                "budget_days": REVIEW_BUDGET_DAYS,
                "basis": f"{OBJECTION_NATIONAL_BASIS}；{PRODUCT_DEFAULT}（上一级信用办{REVIEW_BUDGET_DAYS}个工作日内作出复核决定）",
            },
        },
    }


# -- repair, list exit, bankruptcy (issue 3) -----------------------------------------------------------------

# Market regulation decides repairs and list exits within 7 working days, every other department within 3:
# 市场监管总局令第107号 (2025-12-25) vs 国办发〔2025〕22号 「认定单位 3 个工作日内作出决定」.
PROVIDER_BUDGET_BY_KIND = {"market_regulation": 7}

# Earliest application for repair, in months after the decision, by severity. 国办发〔2025〕22号 and
# 市场监管总局令第107号: general 3 months, serious 1 year; minor information may be repaired as soon as the
# legal obligations are performed (国办发〔2025〕22号 二「轻微失信信息…法定责任义务履行完毕即可申请修复」).
REPAIR_MIN_MONTHS = {"minor": 0, "general": 3, "serious": 12}

# How long a listing lasts unless it is exited early (years): SAMR Order 44 art. 22 (serious-violation list,
# 3 years, then removed automatically); 法释〔2017〕7号 art. 2 (court list, 2 years).
LISTING_YEARS = {"serious_list": 3, "court_dishonest": 2}

# How long an administrative penalty is published, from its decision date (docs/domain.md §9.7):
# the publication sweep ends it at the end of the period by itself. A penalty of a warning only (警告) is not
# published at all; records do not yet say which penalties are warnings only, so `warning_months` is data for
# the import that will.
PUBLICATION = {
    "record_kinds": ["admin_penalty"],
    "months_by_severity": {"minor": 3, "general": 12, "serious": 36},
    "warning_months": 0,
    "sources": [
        "市场监管总局令第107号《市场监督管理信用修复管理办法》：简易程序3个月，一般1年，严重3年",
        "国家发展改革委《信用修复管理办法》令第36号：公示期满自动停止公示",
        "市场监管总局令第45号（行政处罚信息公示期限）",
    ],
}

# 法释〔2017〕7号 art. 10: the seven grounds on which the court deletes a listing within 3 working days.
COURT_DELETION_GROUNDS = {
    "performed": "已履行生效法律文书确定的义务",
    "settled": "与申请执行人达成执行和解协议并经申请执行人确认履行完毕",
    "applicant_request": "申请执行人书面申请删除失信信息",
    "no_property": "终结本次执行程序后，通过网络执行查控系统查询被执行人财产两次以上未发现有可供执行财产",
    "suspended": "因审判监督或破产程序，人民法院依法裁定对失信被执行人中止执行",
    "not_enforced": "人民法院依法裁定不予执行",
    "terminated": "人民法院依法裁定终结执行",
}

# 补正 (一次性告知): how long the subject has to supply what is missing, and when it is reminded
# (docs/domain.md §9.10). No instrument fixes either number; the request is treated as withdrawn (视为撤回)
# when the deadline passes, as the request notice says.
SUPPLEMENT = {
    "answer_days": 10,  # [product default]
    "remind_days_before": 2,  # [product default]
    "basis": "补正期限10个工作日（产品默认）；逾期未补正的，视为撤回申请",
    "sources": ["《中华人民共和国行政许可法》第三十二条（一次性告知需要补正的全部内容）"],
}


def provider_step(*, budget_days: int = 3, basis: str) -> dict:
    return {
        "department": "provider",
        "budget_days": budget_days,
        "budget_days_by_department_kind": PROVIDER_BUDGET_BY_KIND,
        "basis": basis,
    }


def list_exit_rules(*, basis: str) -> dict:
    return {
        "basis": basis,
        "remedies": REMEDIES,
        # 市场监管总局令第44号: early removal on application after 1 year on the list, obligations performed,
        # harm removed, no new heavier penalty since the listing.
        "min_listed_months": 12,
        "no_heavier_penalty_since": True,
        "publicity_days": 5,  # 公示 before removal (default; docs/domain.md §4)
        "listing_years": LISTING_YEARS,
        "court_deletion_grounds": COURT_DELETION_GROUNDS,
        # [product default] No instrument fixes an overall limit for an early exit, and the market regulator's
        # verification and decision take up to 7 working days each (市场监管总局令第107号): acceptance 3 +
        # verification 7 + decision 7 = 17 working days. The publicity period (公示) and an objection's hold
        # stop the clock (docs/domain.md §9.9), so they are not counted here.
        "case_budget_days": 17,
        "service_norm_days": 17,
        # The court list takes the short way; `objection_verify` is the step of an objection against the exit,
        # a case of its own (with the objection's clocks).
        "paths": [["accept", "verify", "decide"], ["court_delete"], ["objection_verify"]],
        "steps": {
            "accept": {
                "department": "receiving_office",
                "budget_days": 3,
                "basis": f"{GUOBAN_22}（受理3个工作日）",
            },
            "verify": provider_step(basis=f"{SAMR_44}；{SAMR_107}（市场监管7个工作日）"),
            "decide": provider_step(basis=f"{GUOBAN_22}（认定单位3个工作日内作出决定）"),
            "objection_verify": {
                "department": "provider",
                "budget_days": 5,
                "basis": f"{OBJECTION_NATIONAL_BASIS}；{PRODUCT_DEFAULT}（异议5个工作日内核实）",
            },
            "court_delete": {
                "department": "provider",
                "budget_days": 3,
                "basis": f"{COURT_7}第十条（3个工作日内删除）",
            },
        },
    }


def bankruptcy_rules(*, basis: str) -> dict:
    step_basis = f"{GUOBAN_22}：法院裁定批准重整计划后解除惩戒措施；{SAMR_107}（两阶段修复）"
    return {
        "basis": basis,
        "remedies": REMEDIES,
        "case_budget_days": 10,  # 10 working days overall (docs/domain.md §4)
        "service_norm_days": 7,
        "paths": [["shield", "full_repair"]],
        "steps": {
            "shield": {"department": "provider", "budget_days": 3, "basis": step_basis},
            "full_repair": {"department": "provider", "budget_days": 3, "basis": step_basis},
        },
    }
