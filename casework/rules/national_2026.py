from .common import ESCALATION, objection_rules

RULES = {
    "version": "national-2026.1",
    "profile": "national-2026",
    "title": "国办发〔2025〕22号 与 国家发展改革委令第36号 (2026)",
    "sources": [
        "国务院办公厅《关于进一步完善信用修复制度的实施方案》国办发〔2025〕22号",
        "国家发展改革委《信用修复管理办法》令第36号 (2026-04-01 施行)",
        "市场监管总局令第107号《市场监督管理信用修复管理办法》(2025-12-25 施行)",
    ],
    "case_kinds": {
        "objection": objection_rules(basis="国办发〔2025〕22号; 《上海市社会信用条例》第三十六条"),
    },
    "escalation": ESCALATION,
}
