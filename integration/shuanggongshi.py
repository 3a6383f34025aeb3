"""The national 双公示 administrative-penalty layout (行政处罚信息, the columns departments export for 信用中国),
read as it is exported and mapped onto our record columns.

Mapping (docs/integration.md shows it as a table):

- 行政相对人类别: 法人及非法人组织 / 法人 / 非法人组织 / 个体工商户 → an enterprise identified by 行政相对人代码
  (its unified social credit code); 自然人 → a person identified by 证件号码, when 证件类型 is a resident ID card
  (身份证). Anything else is a row error: the kind is never guessed.
- 行政相对人名称 → subject name; 行政处罚决定书文号 → document number; 处罚决定日期 → decision date;
  公示截止期 → publication end (the record's publication_ends_on); record kind: administrative penalty.
- 处罚机关统一社会信用代码 → the provider: the department registered with that credit code (Department.credit_code).
- severity: from 处罚类别 by SEVERITY below (several categories: the most severe); a category not in the table
  is a row error unless a 严重程度 column gives the severity.
- summary: 违法行为类型, 违法事实, 处罚依据, 处罚类别, 处罚内容, 罚款金额(万元), 处罚有效期 and 备注, each labelled.
- Not stored: 法定代表人 and their ID, 处罚机关 (its name; the credit code decides), 数据来源单位 and its code.

This SEVERITY table is the credit office's reading of 行政处罚法 art. 9, not a national rule: change it here.
"""

import decimal
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from casework.models import SubjectKind

# Column (as normalised by _key) → our internal name for it.
COLUMNS = {
    "行政相对人名称": "name",
    "行政相对人类别": "subject_class",
    "行政相对人代码": "credit_code",
    "行政相对人代码_1": "credit_code",
    "统一社会信用代码": "credit_code",
    "法定代表人": "representative",
    "法定代表人证件类型": "representative_id_type",
    "法定代表人证件号码": "representative_id",
    "证件类型": "id_type",
    "证件号码": "id_number",
    "行政处罚决定书文号": "document_number",
    "违法行为类型": "offence",
    "违法事实": "facts",
    "处罚依据": "basis",
    "处罚类别": "category",
    "处罚内容": "content",
    "罚款金额": "fine",
    "处罚决定日期": "decided_on",
    "处罚有效期": "valid_until",
    "公示截止期": "publication_ends_on",
    "处罚机关": "authority",
    "处罚机关统一社会信用代码": "authority_code",
    "数据来源单位": "source",
    "数据来源单位统一社会信用代码": "source_code",
    "备注": "note",
    "严重程度": "severity",
}
REQUIRED = {"name", "subject_class", "document_number", "category", "decided_on", "authority_code"}
# The columns only this layout has: a header with both is read as 双公示.
SIGNATURE = {"行政处罚决定书文号", "处罚机关统一社会信用代码"}
SEVERITY_ORDER = ("minor", "general", "serious")
SEVERITY = {
    "警告": "minor",
    "通报批评": "minor",
    "罚款": "general",
    "没收违法所得": "general",
    "没收非法财物": "general",
    "暂扣许可证件": "serious",
    "降低资质等级": "serious",
    "吊销许可证件": "serious",
    "限制开展生产经营活动": "serious",
    "责令停产停业": "serious",
    "责令关闭": "serious",
    "限制从业": "serious",
    "行政拘留": "serious",
}
SEVERITY_WORDS = {"轻微": "minor", "一般": "general", "严重": "serious", **{s: s for s in SEVERITY_ORDER}}
ENTERPRISE_CLASSES = {"法人及非法人组织", "法人", "非法人组织", "个体工商户"}
PERSON_CLASSES = {"自然人"}
RESIDENT_ID_TYPES = {"身份证", "居民身份证", "中华人民共和国居民身份证", "111"}  # 111: GA/T 517 code
SUMMARY_PARTS = (
    ("offence", "违法行为类型"),
    ("facts", "违法事实"),
    ("basis", "处罚依据"),
    ("category", "处罚类别"),
    ("content", "处罚内容"),
    ("fine", "罚款金额（万元）"),
    ("valid_until", "处罚有效期"),
    ("note", "备注"),
)
# Our field → the column to name in a row error.
REPORTED_AS = {
    "subject_code": "行政相对人代码/证件号码",
    "subject_kind": "行政相对人类别",
    "subject_name": "行政相对人名称",
    "document_number": "行政处罚决定书文号",
    "decided_on": "处罚决定日期",
    "publication_ends_on": "公示截止期",
    "summary": "违法事实",
    "severity": "处罚类别",
}
_SPLIT = re.compile(r"[;；、,，/]")


def _key(cell: str) -> str:
    # "罚款金额（万元）" and "行政相对人代码_1(统一社会信用代码)": the name without its bracketed note.
    text = "".join(unicodedata.normalize("NFKC", cell).split())
    return re.sub(r"\(.*?\)", "", text)


def is_layout(cells: list[str]) -> bool:
    return {_key(c) for c in cells} >= SIGNATURE


def columns(cells: list[str]) -> list[str]:
    """Internal names for a 双公示 header row (unknown columns are kept but never read)."""
    names = [COLUMNS.get(_key(c), f"ignored:{c}") for c in cells]
    missing = REQUIRED - set(names)
    if "credit_code" not in names and "id_number" not in names:
        missing.add("credit_code")
    if missing:
        by_name = {v: k for k, v in reversed(COLUMNS.items())}
        raise ValidationError(
            {
                "file": [
                    _("Columns missing from the first row: %(columns)s.")
                    % {"columns": ", ".join(sorted(by_name[m] for m in missing))}
                ]
            }
        )
    return names


def _severity(raw: dict, errors: list) -> str:
    given = raw.get("severity", "")
    if given:
        if given.casefold() in SEVERITY_WORDS:
            return SEVERITY_WORDS[given.casefold()]
        errors.append(("严重程度", _("Choose 轻微, 一般 or 严重 (minor, general, serious).")))
        return ""
    categories = [c.strip() for c in _SPLIT.split(raw.get("category", "")) if c.strip()]
    unknown = [c for c in categories if c not in SEVERITY]
    if not categories or unknown:
        errors.append(
            (
                "处罚类别",
                _(
                    "The penalty category %(category)s has no severity in the mapping table; give the "
                    "severity in a 严重程度 column (轻微, 一般 or 严重)."
                )
                % {"category": "“" + "、".join(unknown or [""]) + "”"},
            )
        )
        return ""
    return max((SEVERITY[c] for c in categories), key=SEVERITY_ORDER.index)


def to_record(raw: dict) -> dict:
    """One 双公示 row as a row of our own layout (the keys importrows reads), with "_errors": [(column,
    message)] for what this layout alone can tell is wrong."""
    errors: list[tuple[str, str]] = []
    subject_class = "".join(raw.get("subject_class", "").split())
    if subject_class in ENTERPRISE_CLASSES:
        kind, code = SubjectKind.ENTERPRISE.value, raw.get("credit_code", "")
    elif subject_class in PERSON_CLASSES:
        kind, code = SubjectKind.PERSON.value, raw.get("id_number", "")
        if "".join(raw.get("id_type", "").split()) not in RESIDENT_ID_TYPES:
            errors.append(("证件类型", _("A person is identified here by a resident ID card (身份证) only.")))
    else:
        kind, code = "", ""
        errors.append(("行政相对人类别", _("Choose 法人及非法人组织, 个体工商户 or 自然人.")))
    fine = raw.get("fine", "")
    if fine:
        try:
            if decimal.Decimal(fine.replace(",", "")) < 0:
                raise decimal.InvalidOperation
        except decimal.InvalidOperation:
            errors.append(("罚款金额", _("Give the fine in 10,000 yuan as a number, such as 0.5.")))
    summary = "；".join(f"{label}：{raw[name]}" for name, label in SUMMARY_PARTS if raw.get(name))
    return {
        "subject_code": code,
        "subject_kind": kind,
        "subject_name": raw.get("name", ""),
        "kind": "admin_penalty",
        "severity": _severity(raw, errors),
        "provider_credit_code": raw.get("authority_code", ""),
        "provider_name": raw.get("authority", ""),
        "decided_on": raw.get("decided_on", ""),
        "document_number": raw.get("document_number", ""),
        "summary": summary,
        "publication_ends_on": raw.get("publication_ends_on", ""),
        "_errors": errors,
        "_columns": REPORTED_AS,
    }
