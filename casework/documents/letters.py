"""Presenters: what each notice says, built from the case, its rule set and its history.

A letter template (templates/letters/<kind>.html) reads only a presenter, never a model, so what a notice
states is decided and tested here. Official letters are issued in Chinese whatever the reader's UI language,
so the sentences are Chinese text, not translated msgids, set with full-width punctuation (GB/T 15834); text
that arrives as data (reasons, summaries, names) is typeset the same way (`typography.cjk_punctuation`).

A notice is issued in the name of the department that made the decision it reports (谁认定谁修复,
docs/domain.md §9.8): the provider for its repair, verification or list-exit decision, the credit office
that decided a repair reported up to it, each department for its own records in a restructuring. The
receiving credit office issues what it decides itself (受理, 不予受理, 补正) and appears on every other notice
as the 受理机构. The legal basis cited is the office's province's own instrument where the rule set lists one,
the national instruments otherwise (`casework.rules.citations`).
"""

import dataclasses
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from casework.models import (
    Case,
    CaseTask,
    DeadlinePurpose,
    Department,
    HistoryEvent,
    Notice,
    NoticeKind,
    Outcome,
)
from casework.rules.citations import kind_citation

from .typography import cjk_punctuation

# 《中华人民共和国行政复议法》(2023) 第二十条: 自知道该行政行为之日起六十日内提出行政复议申请;
# 《中华人民共和国行政诉讼法》第四十六条: 自知道或者应当知道作出行政行为之日起六个月内提出.
RECONSIDERATION_DAYS = 60
LITIGATION_MONTHS = 6
REMEDY_DEADLINES = (
    f"申请行政复议的，应当自收到本文书之日起{RECONSIDERATION_DAYS}日内提出（《中华人民共和国行政复议法》"
    f"第二十条）；提起行政诉讼的，应当自知道或者应当知道作出行政行为之日起{LITIGATION_MONTHS}个月内提出"
    "（《中华人民共和国行政诉讼法》第四十六条）。"
)
DEFAULT_REMEDIES = "如对本决定不服，可以依法申请行政复议或者提起行政诉讼。"

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
    NoticeKind.BANKRUPTCY_DECISION: "破产重整信用修复决定书",
    NoticeKind.WITHDRAWAL: "视为撤回申请告知书",
}

# 文号: 信 + the case kind's character + the notice's, the year, the case's serial (信异受〔2026〕12号).
DOCNO_CASE = {"objection": "异", "repair": "修", "list_exit": "退", "bankruptcy_repair": "破", "review": "复"}
DOCNO_NOTICE = {
    NoticeKind.ACCEPTANCE: "受",
    NoticeKind.REFUSAL: "不受",
    NoticeKind.SUPPLEMENT: "补",
    NoticeKind.REPAIR_DECISION: "决",
    NoticeKind.OBJECTION_RESULT: "决",
    NoticeKind.LIST_EXIT: "决",
    NoticeKind.BANKRUPTCY_DECISION: "决",
    NoticeKind.WITHDRAWAL: "撤",
    NoticeKind.REVIEW_RESULT: "决",
}

# Who verified says so in the notice's own voice ("经核实"): the issuer is the department that verified.
OUTCOME_SENTENCES = {
    Outcome.UPHELD: "经核实，该信用信息准确无误，予以维持；异议标注予以撤除，暂停执行的惩戒措施恢复执行。",
    Outcome.CORRECTED: "经核实，该信用信息有误，已予以更正；据此采取的惩戒措施予以撤销，并恢复您的信誉。",
    Outcome.DELETED: "经核实，该信用信息有误，已予以删除；据此采取的惩戒措施予以撤销，并恢复您的信誉。",
    "supplemented": "经核实，该信用信息有遗漏，已予以补充；据此采取的惩戒措施予以撤销，并恢复您的信誉。",
    "publication_stopped": "经核实，该信用信息已超过公示期限，已停止公示；据此采取的惩戒措施予以撤销，并恢复您的信誉。",
    "removed_from_list": "经核实，您不应列入或者应当移出名单，已予以移出；据此采取的惩戒措施予以撤销，并恢复您的信誉。",
    Outcome.REPAIRED: "经核查，您的申请符合信用修复条件，决定予以信用修复：相关失信信息停止公示，相关惩戒措施予以解除。",
    Outcome.REMOVED: "经核查并经公示，您的申请符合移出条件，决定将您移出严重失信主体名单，相关惩戒措施予以解除。",
    Outcome.REJECTED: "经核查，您的申请不符合条件，决定不予准许。",
}

# A restructuring's decisions, one notice per department and stage (国办发〔2025〕22号: sanctions lifted on the
# court's ruling; 市场监管总局令第107号: the records shielded first, repaired in full once the plan is carried out).
BANKRUPTCY_SENTENCES = {
    "shield_granted": (
        "人民法院已裁定批准重整计划。本机关决定：对本机关认定的下列失信信息暂时予以屏蔽，"
        "据此采取的失信惩戒措施予以解除。重整计划执行完毕后，请向受理机构报告，本机关将予以完全修复。"
    ),
    "shield_refused": "经核查，本机关认定的失信信息不属于重整裁定所涉范围，本机关决定不予屏蔽。",
    "fully_repaired": (
        "重整计划已执行完毕。本机关决定：对本机关认定的下列失信信息予以完全修复，停止公示，"
        "相关失信惩戒措施予以解除。"
    ),
}
BANKRUPTCY_GRANTED = ("shield_granted", "fully_repaired")

LEGAL_CLOCK_EXCLUDES = "补正材料、公示以及等待人民法院或者第三方的期间不计入办理期限。"
PROVISIONAL_DATE = "（该日期按工作日估算，以国务院公布的节假日安排为准）"


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Letter:
    """Everything every notice carries: 文号, addressee, body, legal basis, remedies, issuer and date.

    `department` is the issuer (the department that decided); `receiving_office` the credit office that
    received the application (受理机构), the same department where it decided itself."""

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
    receiving_office: str = ""
    docno: str = ""
    intro: str = ""  # the opening sentence: what was filed, where, and who decides

    @property
    def template(self) -> str:
        return f"letters/{self.kind}.html"


@dataclass(frozen=True)
class AcceptanceLetter(Letter):
    verifier: str = ""
    legal_days: int = 0
    due_on: str = ""  # the legal time limit's last day (Beijing date), counted from filing
    due_provisional: bool = False


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
    """Repair decision, objection result, list exit, restructuring: an outcome with its reasons."""

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
    NoticeKind.BANKRUPTCY_DECISION: DecisionLetter,
    NoticeKind.WITHDRAWAL: WithdrawalLetter,
}

# 复核 (docs/domain.md §9.4): what the office one level up found, by outcome of the review.
REVIEW_OUTCOME_SENTENCES = {
    Outcome.UPHELD: "经复核，原异议处理结果正确，予以维持；该信用信息的异议标注予以撤销。",
    Outcome.CORRECTED: "经复核，原异议处理结果有误，该信用信息已予以更正；据此采取的惩戒措施予以撤销，并恢复您的信誉。",
    Outcome.DELETED: "经复核，原异议处理结果有误，该信用信息已予以删除；据此采取的惩戒措施予以撤销，并恢复您的信誉。",
    Outcome.SUPPLEMENTED: "经复核，原异议处理结果有误，该信用信息有遗漏，已予以补充；据此采取的惩戒措施予以撤销，并恢复您的信誉。",
    Outcome.PUBLICATION_STOPPED: "经复核，该信用信息已超过公示期限仍在公示，已停止公示；据此采取的惩戒措施予以撤销，并恢复您的信誉。",
    Outcome.REMOVED_FROM_LIST: "经复核，您被错误列入名单或到期未移出，已移出名单；据此采取的惩戒措施予以撤销，并恢复您的信誉。",
}


# Text that is data of its own kind and never typeset: identifiers, dates already in Chinese, the file name.
_NOT_TYPESET = {"kind", "number", "addressee_code", "docno", "outcome", "remedy_deadlines"}


def issuer_of(case: Case, event: HistoryEvent) -> Department:
    """The department in whose name the notice reporting `event` is issued: the one that made the decision.

    An event that names its department (a restructuring's per-department decision) gives it; otherwise the
    department of the task whose completion led to the event (the last step decided at or before it, by
    history order); the receiving office where no step was decided (补正, a withdrawal, an automatic end).
    """
    code = (event.data or {}).get("department") if event is not None else None
    if code:
        department = Department.objects.filter(code=code).first()
        if department is not None:
            return department
    completed = (
        HistoryEvent.objects.filter(case=case, action="completed", stream__startswith="casetask:")
        .filter(id__lte=event.pk if event is not None else 0)
        .order_by("-id")
        .values_list("stream", flat=True)
        .first()
    )
    if completed:
        task = CaseTask.objects.filter(case=case, public_id=completed.split(":", 1)[1]).first()
        if task is not None:
            return task.department
    return case.receiving_office


def _docno(case: Case, kind: str, event: HistoryEvent | None) -> str:
    year, serial = case.number[3:7], int(case.number[8:] or 0)
    base = f"信{DOCNO_CASE.get(case.kind, '')}{DOCNO_NOTICE.get(kind, '')}〔{year}〕{serial}"
    # A case may get several notices of one kind (a restructuring: one per department and stage): each its own.
    earlier = Notice.objects.filter(case=case, kind=kind, event_id__lt=event.pk if event else 0).count()
    return f"{base}-{earlier + 1}号" if earlier else f"{base}号"


def _intro(case: Case, *, filed_on: str, issuer: Department, case_kind: str) -> str:
    office = case.receiving_office
    if issuer.pk == office.pk:
        return f"您于{filed_on}提交的{case_kind}（案件编号{case.number}），本机关已依法受理并办理完毕。"
    return (
        f"您于{filed_on}向{office.name}提交的{case_kind}（案件编号{case.number}），经{office.name}受理并转送"
        "本机关，本机关已依法办理完毕。"
    )


def _common(case: Case, kind: str, event: HistoryEvent, issuer: Department) -> dict:
    citation = kind_citation(case.rule_set.data, kind=case.kind, division=case.receiving_office.division)
    rules = case.rule_set.case_rules(case.kind)
    records = case.records.select_related("provider").order_by("id")
    if kind == NoticeKind.BANKRUPTCY_DECISION:
        records = records.filter(provider=issuer)  # each department decides on its own records only
    filed_on = chinese_date(timezone.localtime(case.filed_at).date())
    case_kind = KIND_NAMES.get(case.kind, str(case.get_kind_display()))
    return {
        "kind": kind,
        "title": TITLES[kind],
        "number": case.number,
        "addressee": case.subject.name,
        "addressee_code": case.subject.display_code,
        "case_kind": case_kind,
        "filed_on": filed_on,
        "department": issuer.name,
        "receiving_office": case.receiving_office.name,
        "docno": _docno(case, kind, event),
        "intro": _intro(case, filed_on=filed_on, issuer=issuer, case_kind=case_kind),
        "dated": chinese_date(timezone.localtime(event.at).date()),
        "basis": citation.basis,
        "sources": citation.sources,
        "remedies": rules.get("remedies") or DEFAULT_REMEDIES,
        "records": [f"{r.provider.name}{chinese_date(r.decided_on)}作出：{r.summary}" for r in records],
    }


def typeset(letter: Letter) -> Letter:
    """The letter with every text field's half-width punctuation beside Chinese made full-width."""
    changes = {}
    for f in dataclasses.fields(letter):
        value = getattr(letter, f.name)
        if f.name in _NOT_TYPESET:
            continue
        if isinstance(value, str):
            changes[f.name] = cjk_punctuation(value)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            changes[f.name] = [cjk_punctuation(v) for v in value]
    return dataclasses.replace(letter, **changes)


def _legal_clock(case: Case) -> tuple[str, bool]:
    legal = case.deadlines.filter(purpose=DeadlinePurpose.LEGAL).order_by("id").first()
    if legal is None or legal.due_on is None:
        return "", False
    return chinese_date(legal.due_on), legal.provisional


def letter_for(case: Case, kind: str, event: HistoryEvent) -> Letter:
    """The notice of `kind` reporting `event`, issued by the department that decided, typeset full-width."""
    return typeset(_present(case, kind, event))


def _present(case: Case, kind: str, event: HistoryEvent) -> Letter:
    issuer = issuer_of(case, event)
    common = _common(case, kind, event, issuer)
    provider = case.records.select_related("provider").order_by("id").first()
    verifier = provider.provider.name if provider else ""
    if kind == NoticeKind.ACCEPTANCE:
        budget = case.rule_set.case_rules(case.kind).get("case_budget_days", 0)
        due_on, provisional = _legal_clock(case)
        return AcceptanceLetter(
            **common, verifier=verifier, legal_days=budget, due_on=due_on, due_provisional=provisional
        )
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
    if kind == NoticeKind.BANKRUPTCY_DECISION:
        return DecisionLetter(
            **common,
            outcome=event.action,
            outcome_sentence=BANKRUPTCY_SENTENCES.get(event.action, ""),
            reason=event.note,
            granted=event.action in BANKRUPTCY_GRANTED,
            verifier=issuer.name,
        )
    outcome = case.outcome or event.data.get("outcome", "")
    sentences = REVIEW_OUTCOME_SENTENCES if kind == NoticeKind.REVIEW_RESULT else OUTCOME_SENTENCES
    return DecisionLetter(
        **common,
        outcome=outcome,
        outcome_sentence=sentences.get(outcome, ""),
        reason=case.decision_reason,
        granted=outcome in OUTCOME_SENTENCES and outcome not in (Outcome.REJECTED, Outcome.UPHELD),
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
