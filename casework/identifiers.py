"""Identifiers of credit subjects: validate, mask, and read the administrative division out of them.

Two national standards fix the format:

- GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》: the 18-character unified social credit code
  (统一社会信用代码) of enterprises and other organisations. Character 1 is the registration authority,
  character 2 the organisation type, characters 3–8 the administrative division code (行政区划代码, GB/T 2260)
  of the registering authority, 9–17 the organisation code body, 18 the check character. The character set
  leaves out I, O, S, V and Z so that they cannot be mistaken for 1, 0, 5, U and 2.
- GB 11643-1999 《公民身份号码》: the 18-character resident ID number (居民身份证号码): a 6-digit address code
  (行政区划代码), an 8-digit birth date (YYYYMMDD), a 3-digit sequence number and a check character computed
  with ISO 7064 MOD 11-2, where the value 10 is written X.

Validators raise `django.core.exceptions.ValidationError` with a distinct `code` per failure, so that the API
can report field-level errors and tests can tell the failures apart; messages are translatable (zh-hans is
the default language) and say exactly what is wrong.
"""

from __future__ import annotations

import datetime
import operator
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "CREDIT_CODE_CHARSET",
    "CREDIT_CODE_WEIGHTS",
    "RESIDENT_ID_CHECK_CHARS",
    "RESIDENT_ID_WEIGHTS",
    "compute_credit_code_check",
    "compute_resident_id_check",
    "division_of",
    "mask_resident_id",
    "natural_key_part",
    "normalise_code",
    "normalise_department_code",
    "normalise_text",
    "validate_credit_code",
    "validate_resident_id",
]

# GB 32100-2015 §4.3 (代码字符集): 10 digits and 21 capital letters, without I, O, S, V and Z. The position of a
# character in this string is its value in the check computation.
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_FORBIDDEN_LETTERS = "IOSVZ"
# GB 32100-2015 §5 (校验码): the weights are 3**i mod 31 for positions 0..16.
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_LENGTH = 18

# GB 11643-1999 §7 (校验码): ISO 7064 MOD 11-2; weights 2**(17-i) mod 11, check value 10 is written X.
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK_CHARS = "10X98765432"
RESIDENT_ID_LENGTH = 18
# First-generation ID cards carried a 15-digit number (2-digit year, no check character); they stopped being
# valid on 2013-01-01, so we ask for the 18-digit number rather than converting.
FIRST_GENERATION_LENGTH = 15
# Nobody alive was born before 1900; an earlier year is a typing error, not a person.
EARLIEST_BIRTH_YEAR = 1900

_ASCII_DIGITS = frozenset("0123456789")
# Hot paths (an import validates 100,000 codes): a value per character, and the shape of a code that can only
# fail on its check character. Anything else takes the step-by-step checks below, which name the fault.
_CREDIT_CODE_VALUES = {c: i for i, c in enumerate(CREDIT_CODE_CHARSET)}
_CREDIT_CODE_CHAR = "[0-9A-HJ-NP-RTUWXY]"
_CREDIT_CODE_BODY = re.compile(f"{_CREDIT_CODE_CHAR}{{17}}")
_WELL_FORMED_CREDIT_CODE = re.compile(f"{_CREDIT_CODE_CHAR}{{2}}[0-9]{{6}}{_CREDIT_CODE_CHAR}{{10}}")

# Every message, keyed by the ValidationError code it is raised with. English msgids; zh-hans in locale/.
MESSAGES = {
    # Unified social credit code (GB 32100-2015).
    "length": _("A unified social credit code has 18 characters; this one has %(length)d."),
    "forbidden_letter": _(
        "The letters I, O, S, V and Z never appear in a unified social credit code; this one contains %(letters)s."
    ),
    "charset": _(
        "A unified social credit code contains only digits and capital letters; it cannot contain %(chars)s."
    ),
    "division": _(
        "Characters 3 to 8 of a unified social credit code are the 6-digit administrative division code, "
        "but this one has %(division)s there."
    ),
    "check": _("The check character should be %(expected)s, not %(actual)s."),
    # Resident ID number (GB 11643-1999).
    "id_length": _("A resident ID number has 18 characters; this one has %(length)d."),
    "first_generation": _(
        "This is a 15-digit first-generation ID number; enter the 18-character number of the current resident ID card."
    ),
    "digits": _(
        "The first 17 characters of a resident ID number are digits; character %(position)d is %(char)s."
    ),
    "check_char": _("The last character of a resident ID number is a digit or X, not %(char)s."),
    "birth_date": _(
        "Digits 7 to 14 of a resident ID number are the birth date, but %(digits)s is not a real date."
    ),
    "birth_date_future": _("The birth date %(date)s in this resident ID number is in the future."),
    "birth_date_too_early": _("The birth date %(date)s in this resident ID number is before 1900."),
    "id_check": _("The check character should be %(expected)s, not %(actual)s."),
}


def _error(code: str, **params: object) -> ValidationError:
    # The resident-ID variants share a msgid with the credit-code ones where the wording is the same, but keep
    # their own code ("length", "check") so that callers need not know which validator raised.
    public_code = {"id_length": "length", "id_check": "check"}.get(code, code)
    return ValidationError(MESSAGES[code], code=public_code, params=params)


def normalise_code(s: str) -> str:
    """The canonical spelling of an identifier however a person typed it: every entry path (API, web, import)
    and every natural key goes through here, so that one record is recognised as the same however it was typed.

    NFKC folds full-width digits and letters (１２３ＡＢＣ), which Chinese input methods produce, into ASCII, and
    the ideographic space (U+3000) into a plain one; then every whitespace character is removed, wherever it
    is (codes are copied from documents that group them: "91350100 M000100Y43"), and letters are uppercased
    (a lowercase check letter "x" is common in resident IDs). Anything else wrong stays, for the validator to
    report: a hyphen inside a code is an error, not a guess.
    """
    if s is None:
        return ""
    return "".join(unicodedata.normalize("NFKC", str(s)).split()).upper()


def normalise_text(s: str) -> str:
    """A free-text value as stored (a name, a document number 文号, a measure): NFKC-folded, runs of whitespace
    (ideographic spaces included) made one plain space, surrounding whitespace removed. Case is kept."""
    if s is None:
        return ""
    return " ".join(unicodedata.normalize("NFKC", str(s)).split())


def natural_key_part(s: str) -> str:
    """A part of a natural key (document number, measure, department code): as `normalise_text`, without any
    whitespace and case-folded, so that "榕鼓市监罚〔2026〕１号" and "榕鼓市监罚 〔2026〕1号" are one document."""
    if s is None:
        return ""
    return "".join(unicodedata.normalize("NFKC", str(s)).split()).casefold()


def normalise_department_code(s: str) -> str:
    """A department code (a lowercase slug such as xy-market) however it was typed: Ｘｙ－Ｍａｒｋｅｔ, " XY-market "."""
    return natural_key_part(s)


def _quote(chars: str) -> str:
    # Quoted one by one and separated by spaces, which reads well in both English and Chinese.
    return " ".join(f"“{c}”" for c in dict.fromkeys(chars))


def compute_credit_code_check(first17: str) -> str:
    """The check character (GB 32100-2015 §5) for the first 17 characters of a unified social credit code."""
    first17 = normalise_code(first17)
    if not _CREDIT_CODE_BODY.fullmatch(first17):
        raise ValueError(f"expected 17 characters from {CREDIT_CODE_CHARSET}, got {first17!r}")
    return _credit_code_check(first17)


def _credit_code_check(first17: str) -> str:
    # first17: 17 characters of CREDIT_CODE_CHARSET, already normalised.
    total = sum(map(operator.mul, map(_CREDIT_CODE_VALUES.__getitem__, first17), CREDIT_CODE_WEIGHTS))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def compute_resident_id_check(first17: str) -> str:
    """The check character (GB 11643-1999 §7, ISO 7064 MOD 11-2) for the first 17 digits of a resident ID."""
    first17 = normalise_code(first17)
    if len(first17) != RESIDENT_ID_LENGTH - 1 or any(c not in _ASCII_DIGITS for c in first17):
        raise ValueError(f"expected 17 digits, got {first17!r}")
    total = sum(int(c) * w for c, w in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECK_CHARS[total % 11]


def validate_credit_code(s: str) -> str:
    """Validate a unified social credit code (GB 32100-2015); return it normalised.

    Raises ValidationError with code "length", "forbidden_letter", "charset", "division" or "check".
    """
    code = normalise_code(s)
    if _WELL_FORMED_CREDIT_CODE.fullmatch(code):
        expected = _credit_code_check(code[:17])
        if code[17] != expected:
            raise _error("check", expected=expected, actual=code[17])
        return code
    if len(code) != CREDIT_CODE_LENGTH:
        raise _error("length", length=len(code))
    # I, O, S, V and Z get their own message: they are the usual misreadings of 1, 0, 5, U and 2.
    forbidden = "".join(c for c in code if c in CREDIT_CODE_FORBIDDEN_LETTERS)
    if forbidden:
        raise _error("forbidden_letter", letters=_quote(forbidden))
    foreign = "".join(c for c in code if c not in CREDIT_CODE_CHARSET)
    if foreign:
        raise _error("charset", chars=_quote(foreign))
    # Characters 3–8 are the division code of the registering authority (GB 32100-2015 §4.1, GB/T 2260).
    division = code[2:8]
    if any(c not in _ASCII_DIGITS for c in division):
        raise _error("division", division=f"“{division}”")
    expected = compute_credit_code_check(code[:17])
    if code[17] != expected:
        raise _error("check", expected=expected, actual=code[17])
    return code


def validate_resident_id(s: str) -> str:
    """Validate a resident ID number (GB 11643-1999); return it normalised (a trailing x becomes X).

    Raises ValidationError with code "length", "first_generation", "digits", "check_char", "birth_date",
    "birth_date_future", "birth_date_too_early" or "check".
    """
    code = normalise_code(s)
    if len(code) == FIRST_GENERATION_LENGTH and all(c in _ASCII_DIGITS for c in code):
        raise _error("first_generation")
    if len(code) != RESIDENT_ID_LENGTH:
        raise _error("id_length", length=len(code))
    for position, char in enumerate(code[:17], start=1):
        if char not in _ASCII_DIGITS:
            raise _error("digits", position=position, char=f"“{char}”")
    if code[17] not in RESIDENT_ID_CHECK_CHARS:
        raise _error("check_char", char=f"“{code[17]}”")
    # GB 11643-1999 §6.2: digits 7–14 are the birth date as YYYYMMDD.
    digits = code[6:14]
    try:
        born = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise _error("birth_date", digits=digits) from None
    # "Today" in the project's time zone (Asia/Shanghai), not the server's: a baby born just after midnight in
    # Beijing is not "in the future" on a UTC server.
    if born > timezone.localdate():
        raise _error("birth_date_future", date=born.isoformat())
    if born.year < EARLIEST_BIRTH_YEAR:
        raise _error("birth_date_too_early", date=born.isoformat())
    expected = compute_resident_id_check(code[:17])
    if code[17] != expected:
        raise _error("id_check", expected=expected, actual=code[17])
    return code


def mask_resident_id(s: str) -> str:
    """A resident ID for display: the first 6 and last 4 characters, the rest as asterisks (110105********002X).

    The birth date and most of the sequence number stay hidden (personal information, 《个人信息保护法》 art. 28).
    Anything too short to mask that way is masked whole rather than shown.
    """
    code = normalise_code(s)
    if len(code) <= 10:
        return "*" * len(code)
    return code[:6] + "*" * (len(code) - 10) + code[-4:]


def division_of(kind: str, code: str) -> str:
    """The 6-digit administrative division code (行政区划代码) in a subject's identifier.

    Enterprise: characters 3–8 of the unified social credit code (GB 32100-2015 §4.1); person: the first 6
    digits of the resident ID (GB 11643-1999 §6.1, the address code). The code is expected to be valid.
    """
    code = normalise_code(code)
    if kind == "enterprise":
        division = code[2:8]
    elif kind == "person":
        division = code[:6]
    else:
        raise ValueError(f"unknown subject kind {kind!r}; expected 'enterprise' or 'person'")
    if len(division) != 6 or any(c not in _ASCII_DIGITS for c in division):
        raise ValueError(f"{code!r} holds no 6-digit division code")
    return division
