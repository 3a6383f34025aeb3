from .common import ESCALATION, objection_rules

RULES = {
    "version": "local-plan.1",
    "profile": "local-plan",
    "title": "地方社会信用体系建设实施方案 (吐鲁番、曲江、哈尔滨)",
    "sources": [
        "吐鲁番市实施方案 §16–§18",
        "曲江区实施方案 §二(二)3、5",
        "哈尔滨市实施方案 §10、§12、§13",
    ],
    "case_kinds": {
        "objection": objection_rules(basis="哈尔滨市实施方案 §13; 吐鲁番市实施方案 §17"),
    },
    "escalation": ESCALATION,
}
