"""Presenters: what each notice says, built from the case, its rule set and its history.

A letter template (templates/letters/<kind>.html) reads only a presenter, never a model, so what a notice
states is decided and tested here. Official letters are issued in Chinese whatever the reader's UI language,
so the sentences are Chinese text, not translated msgids.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from casework.models import Case, HistoryEvent, Notice, NoticeKind, Outcome

# 《中华人民共和国行政复议法》(2023) 第二十条: 自知道该行政行为之日起六十日内提出行政复议申请;
# 《中华人民共和国行政诉讼法》第四十六条: 自知道或者应当知道作出行政行为之日起六个月内提出.
RECONSIDERATION_DAYS = 60
LITIGATION_MONTHS = 6
REMEDY_DEADLINES = (
    f"申请行政复议的, 应当自收到本文书之日起{RECONSIDERATION_DAYS}日内提出 (《中华人民共和国行政复议法》"
    f"第二十条); 提起行政诉讼的, 应当自知道或者应当知道作出行政行为之日起{LITIGATION_MONTHS}个月内提出"
    " (《中华人民共和国行政诉讼法》第四十六条)。"
)
DEFAULT_REMEDIES = "如对本决定不服, 可以依法申请行政复议或者提起行政诉讼。"

KIND_NAMES = {
    "objection": "信用信息异议申请",
    "repair": "信用修复申请",
    "list_exit": "严重失信主体名单移出申请",
    "bankruptcy_repair": "破产重整信用修复申请",
    "review": "异议处理结果复核申请",
}

TITLES = {
    NoticeKind.ACCEPTANCE: "受理通知书",
    NoticeKind.REFUSAL: "不予受理通知书",
    NoticeKind.SUPPLEMENT: "补正材料告知书",
    NoticeKind.REPAIR_DECISION: "信用修复决定书",
    NoticeKind.OBJECTION_RESULT: "异议处理结果告知书",
    NoticeKind.LIST_EXIT: "移出严重失信主体名单决定书",
    NoticeKind.REVIEW_RESULT: "复核结果告知书",
    NoticeKind.WITHDRAWAL: "视为撤回申请告知书",
}

OUTCOME_SENTENCES = {
    Outcome.UPHELD: "经信息提供单位核实, 该信用信息准确无误, 予以维持; 暂停执行的惩戒措施恢复执行。",
    Outcome.CORRECTED: "经信息提供单位核实, 该信用信息有误, 已予以更正; 据此采取的惩戒措施予以撤销, 并恢复您的信誉。",
    Outcome.DELETED: "经信息提供单位核实, 该信用信息有误, 已予以删除; 据此采取的惩戒措施予以撤销, 并恢复您的信誉。",
    Outcome.SUPPLEMENTED: "经核实, 该信用信息有遗漏, 已予以补充; 据此采取的惩戒措施予以撤销, 并恢复您的信誉。",
    Outcome.PUBLICATION_STOPPED: "经核实, 该信用信息已超过公示期限仍在公示, 已停止公示; 据此采取的惩戒措施予以撤销, 并恢复您的信誉。",
    Outcome.REMOVED_FROM_LIST: "经核实, 您被错误列入名单或到期未移出, 已移出名单; 据此采取的惩戒措施予以撤销, 并恢复您的信誉。",
    Outcome.REPAIRED: "经核查, 您的申请符合信用修复条件, 决定予以信用修复: 相关失信信息停止公示, 相关惩戒措施予以解除。",
    Outcome.REMOVED: "经核查并经公示, 您的申请符合移出条件, 决定将您移出严重失信主体名单, 相关惩戒措施予以解除。",
    Outcome.REJECTED: "经核查, 您的申请不符合条件, 决定不予准许。",
}


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Letter:
    """Everything every notice carries: number, addressee, body, legal basis, remedies, issuer and date."""

    kind: str
    title: str
    number: str
    addressee: str
    addressee_code: str
    case_kind: str
    filed_on: str
    department: str
    dated: str
    basis: str
    sources: list[str]
    remedies: str
    remedy_deadlines: str = REMEDY_DEADLINES
    records: list[str] = field(default_factory=list)

    @property
    def template(self) -> str:
        return f"letters/{self.kind}.html"


@dataclass(frozen=True)
class AcceptanceLetter(Letter):
    verifier: str = ""
    legal_days: int = 0


@dataclass(frozen=True)
class RefusalLetter(Letter):
    reason: str = ""


@dataclass(frozen=True)
class SupplementLetter(Letter):
    """`due_on`: the last day the materials may arrive (docs/domain.md §9.10), a Chinese date."""

    materials: str = ""
    due_on: str = ""
    due_provisional: bool = False


@dataclass(frozen=True)
class WithdrawalLetter(Letter):
    """A 补正 left unanswered past its deadline: the request is treated as withdrawn (视为撤回)."""

    materials: str = ""
    asked_on: str = ""
    due_on: str = ""
    undone: bool = False  # marks or suspensions the request made were undone


@dataclass(frozen=True)
class DecisionLetter(Letter):
    """Repair decision, objection result, list exit: an outcome with its reasons."""

    outcome: str = ""
    outcome_sentence: str = ""
    reason: str = ""
    granted: bool = False
    verifier: str = ""
    reviewed: str = ""  # 复核: the number of the objection whose result was reviewed
    reviewed_notified_on: str = ""


PRESENTERS = {
    NoticeKind.ACCEPTANCE: AcceptanceLetter,
    NoticeKind.REFUSAL: RefusalLetter,
    NoticeKind.SUPPLEMENT: SupplementLetter,
    NoticeKind.REPAIR_DECISION: DecisionLetter,
    NoticeKind.OBJECTION_RESULT: DecisionLetter,
    NoticeKind.LIST_EXIT: DecisionLetter,
    NoticeKind.REVIEW_RESULT: DecisionLetter,
    NoticeKind.WITHDRAWAL: WithdrawalLetter,
}

# 复核 (docs/domain.md §9.4): what the office one level up found, by outcome of the review.
REVIEW_OUTCOME_SENTENCES = {
    Outcome.UPHELD: "经复核, 原异议处理结果正确, 予以维持; 该信用信息的异议标注予以撤销。",
    Outcome.CORRECTED: "经复核, 原异议处理结果有误, 该信用信息已予以更正; 据此采取的惩戒措施予以撤销, 并恢复您的信誉。",
    Outcome.DELETED: "经复核, 原异议处理结果有误, 该信用信息已予以删除; 据此采取的惩戒措施予以撤销, 并恢复您的信誉。",
    Outcome.SUPPLEMENTED: "经复核, 原异议处理结果有误, 该信用信息有遗漏, 已予以补充; 据此采取的惩戒措施予以撤销, 并恢复您的信誉。",
    Outcome.PUBLICATION_STOPPED: "经复核, 该信用信息已超过公示期限仍在公示, 已停止公示; 据此采取的惩戒措施予以撤销, 并恢复您的信誉。",
    Outcome.REMOVED_FROM_LIST: "经复核, 您被错误列入名单或到期未移出, 已移出名单; 据此采取的惩戒措施予以撤销, 并恢复您的信誉。",
}


def _common(case: Case, kind: str, event: HistoryEvent) -> dict:
    rules = case.rule_set.case_rules(case.kind)
    records = list(case.records.select_related("provider").order_by("id"))
    return {
        "kind": kind,
        "title": TITLES[kind],
        "number": case.number,
        "addressee": case.subject.name,
        "addressee_code": case.subject.display_code,
        "case_kind": KIND_NAMES.get(case.kind, str(case.get_kind_display())),
        "filed_on": chinese_date(timezone.localtime(case.filed_at).date()),
        "department": case.receiving_office.name,
        "dated": chinese_date(timezone.localtime(event.at).date()),
        "basis": rules.get("basis", ""),
        "sources": list(rules.get("sources") or case.rule_set.data.get("sources", [])),
        "remedies": rules.get("remedies") or DEFAULT_REMEDIES,
        "records": [f"{r.provider.name} {r.decided_on:%Y-%m-%d}: {r.summary}" for r in records],
    }


def letter_for(case: Case, kind: str, event: HistoryEvent) -> Letter:
    common = _common(case, kind, event)
    provider = case.records.select_related("provider").order_by("id").first()
    verifier = provider.provider.name if provider else ""
    if kind == NoticeKind.ACCEPTANCE:
        budget = case.rule_set.case_rules(case.kind).get("case_budget_days", 0)
        return AcceptanceLetter(**common, verifier=verifier, legal_days=budget)
    if kind == NoticeKind.REFUSAL:
        return RefusalLetter(**common, reason=case.decision_reason or event.note)
    if kind == NoticeKind.SUPPLEMENT:
        return SupplementLetter(
            **common,
            materials=case.materials_requested or event.note,
            due_on=chinese_date(case.materials_due_on) if case.materials_due_on else "",
            due_provisional=case.materials_due_provisional,
        )
    if kind == NoticeKind.WITHDRAWAL:
        return _withdrawal_letter(case, common)
    outcome = case.outcome or event.data.get("outcome", "")
    sentences = REVIEW_OUTCOME_SENTENCES if kind == NoticeKind.REVIEW_RESULT else OUTCOME_SENTENCES
    return DecisionLetter(
        **common,
        outcome=outcome,
        outcome_sentence=sentences.get(outcome, ""),
        reason=case.decision_reason,
        granted=outcome
        in (
            Outcome.REPAIRED,
            Outcome.REMOVED,
            Outcome.CORRECTED,
            Outcome.DELETED,
            Outcome.SUPPLEMENTED,
            Outcome.PUBLICATION_STOPPED,
            Outcome.REMOVED_FROM_LIST,
        ),
        verifier=verifier,
        reviewed=case.review_of.number if case.review_of_id else "",
        reviewed_notified_on=chinese_date(timezone.localtime(case.review_of.closed_at).date())
        if case.review_of_id and case.review_of.closed_at
        else "",
    )


def _withdrawal_letter(case: Case, common: dict) -> WithdrawalLetter:
    asked = case.history.filter(action="request_materials").order_by("-id").first()
    undone = case.history.filter(action__in=["clear_dispute", "resume"]).exists()
    return WithdrawalLetter(
        **common,
        materials=case.materials_requested,
        asked_on=chinese_date(timezone.localtime(asked.at).date()) if asked else "",
        due_on=chinese_date(case.materials_due_on) if case.materials_due_on else "",
        undone=undone,
    )


def letter_for_notice(notice: Notice) -> Letter:
    return letter_for(notice.case, notice.kind, notice.event)
