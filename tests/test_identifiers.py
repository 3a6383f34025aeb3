"""Unified social credit code (GB 32100-2015) and resident ID (GB 11643-1999): validation, masking, division.

Pure tests: no database.
"""

import datetime
import random

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from casework.identifiers import (
    CREDIT_CODE_CHARSET,
    CREDIT_CODE_WEIGHTS,
    RESIDENT_ID_WEIGHTS,
    compute_credit_code_check,
    compute_resident_id_check,
    division_of,
    mask_resident_id,
    normalise_code,
    validate_credit_code,
    validate_resident_id,
)

EXAMPLE_CREDIT_CODE = (
    "91350100M000100Y43"  # the example in docs/domain.md §6 (a Fuzhou enterprise, division 350100)
)
EXAMPLE_RESIDENT_ID = (
    "11010519491231002X"  # the example in GB 11643-1999 itself (Beijing Chaoyang, 1949-12-31)
)

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def error_of(validator, value) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validator(value)
    return caught.value


def english(error: ValidationError) -> str:
    with translation.override("en"):
        return error.messages[0]


def credit_code(first17: str) -> str:
    return first17 + compute_credit_code_check(first17)


def resident_id(first17: str) -> str:
    return first17 + compute_resident_id_check(first17)


def random_credit_codes(count: int, seed: int = 32100) -> list[str]:
    rng = random.Random(seed)
    codes = []
    for _ in range(count):
        head = rng.choice("159Y") + rng.choice("123")
        division = "".join(rng.choices("0123456789", k=6))
        body = "".join(rng.choices(CREDIT_CODE_CHARSET, k=9))
        codes.append(credit_code(head + division + body))
    return codes


def random_resident_ids(count: int, seed: int = 11643) -> list[str]:
    rng = random.Random(seed)
    ids = []
    for _ in range(count):
        born = datetime.date(1920, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 100))
        first17 = (
            "".join(rng.choices("0123456789", k=6)) + born.strftime("%Y%m%d") + f"{rng.randrange(1000):03d}"
        )
        ids.append(resident_id(first17))
    return ids


# --- check-character algorithms --------------------------------------------------------------------------------


def test_weights_are_the_standard_powers():
    # GB 32100-2015: W_i = 3^i mod 31; GB 11643-1999 (ISO 7064 MOD 11-2): W_i = 2^(17-i) mod 11.
    assert tuple(pow(3, i, 31) for i in range(17)) == CREDIT_CODE_WEIGHTS
    assert tuple(pow(2, 17 - i, 11) for i in range(17)) == RESIDENT_ID_WEIGHTS


def test_check_characters_of_the_examples():
    assert compute_credit_code_check(EXAMPLE_CREDIT_CODE[:17]) == "3"
    assert compute_resident_id_check(EXAMPLE_RESIDENT_ID[:17]) == "X"


@pytest.mark.parametrize("bad", ["", "1234", "91350100M000100Y4I", "9135010-M000100Y4"])
def test_compute_credit_code_check_refuses_malformed_input(bad):
    with pytest.raises(ValueError):
        compute_credit_code_check(bad)


@pytest.mark.parametrize("bad", ["", "1101051949123100", "11010519491231002X", "1101051949123100A"])
def test_compute_resident_id_check_refuses_malformed_input(bad):
    with pytest.raises(ValueError):
        compute_resident_id_check(bad)


# --- unified social credit code ----------------------------------------------------------------------------------


def test_example_credit_code_is_valid():
    assert validate_credit_code(EXAMPLE_CREDIT_CODE) == EXAMPLE_CREDIT_CODE


@pytest.mark.parametrize("code", random_credit_codes(200))
def test_generated_credit_codes_are_valid(code):
    assert validate_credit_code(code) == code


@pytest.mark.parametrize(
    "typed",
    [
        " 91350100m000100y43 ",
        "\t91350100M000100Y43\n",
        "９１３５０１００Ｍ０００１００Ｙ４３",  # full-width digits and letters
        "91350100 M000100Y43",  # an embedded space (codes are copied in groups)
        "\u300091350100\u3000M000100Y43",  # the ideographic space U+3000
        "９１３５０１００ｍ０００１００ｙ４３",  # full-width and lowercase at once
    ],
)
def test_credit_code_is_normalised(typed):
    # Fault kind: one identifier typed in different forms must be one identifier (issue 12 normalisation).
    assert validate_credit_code(typed) == EXAMPLE_CREDIT_CODE


def test_wrong_credit_code_check_character():
    error = error_of(validate_credit_code, "91350100M000100Y44")
    assert error.code == "check"
    assert error.params == {"expected": "3", "actual": "4"}
    assert english(error) == "The check character should be 3, not 4."


def test_every_single_character_typo_is_caught():
    # Weights are non-zero modulo the prime 31, so any one substituted character changes the check.
    for position in range(18):
        for char in CREDIT_CODE_CHARSET:
            if char == EXAMPLE_CREDIT_CODE[position]:
                continue
            typo = EXAMPLE_CREDIT_CODE[:position] + char + EXAMPLE_CREDIT_CODE[position + 1 :]
            with pytest.raises(ValidationError):
                validate_credit_code(typo)


@pytest.mark.parametrize(
    "code", ["", "9135010", "91350100M000100Y4", "91350100M000100Y433", "91350100-M000100Y43"]
)
def test_wrong_credit_code_length(code):
    error = error_of(validate_credit_code, code)
    assert error.code == "length"
    assert error.params == {"length": len(code.strip())}
    assert english(error) == (
        f"A unified social credit code has 18 characters; this one has {len(code.strip())}."
    )


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_letters_never_used_in_credit_codes(letter):
    # The letter in the organisation code body (character 11): reported as such, before the check character.
    code = EXAMPLE_CREDIT_CODE[:10] + letter + EXAMPLE_CREDIT_CODE[11:]
    error = error_of(validate_credit_code, code)
    assert error.code == "forbidden_letter"
    assert english(error) == (
        "The letters I, O, S, V and Z never appear in a unified social credit code; "
        f"this one contains “{letter}”."
    )
    # Lowercase is uppercased first, so it is the same error.
    assert error_of(validate_credit_code, code.lower()).code == "forbidden_letter"


@pytest.mark.parametrize("char", ["-", "#", "信", "_"])
def test_other_characters_in_credit_codes(char):
    code = EXAMPLE_CREDIT_CODE[:12] + char + EXAMPLE_CREDIT_CODE[13:]
    error = error_of(validate_credit_code, code)
    assert error.code == "charset"
    assert english(error) == (
        f"A unified social credit code contains only digits and capital letters; it cannot contain “{char}”."
    )


def test_credit_code_division_must_be_six_digits():
    code = credit_code("9135A100M000100Y4")
    error = error_of(validate_credit_code, code)
    assert error.code == "division"
    assert english(error) == (
        "Characters 3 to 8 of a unified social credit code are the 6-digit administrative division code, "
        "but this one has “35A100” there."
    )


# --- resident ID -------------------------------------------------------------------------------------------------


def test_example_resident_id_is_valid():
    assert validate_resident_id(EXAMPLE_RESIDENT_ID) == EXAMPLE_RESIDENT_ID


@pytest.mark.parametrize("rid", random_resident_ids(200))
def test_generated_resident_ids_are_valid(rid):
    assert validate_resident_id(rid) == rid


def test_lowercase_x_is_normalised():
    assert validate_resident_id("11010519491231002x") == EXAMPLE_RESIDENT_ID
    assert validate_resident_id("  11010519491231002x\n") == EXAMPLE_RESIDENT_ID
    assert normalise_code(" 11010519491231002x ") == EXAMPLE_RESIDENT_ID


@pytest.mark.parametrize(
    "typed",
    [
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits
        "１１０１０５１９４９１２３１００２ｘ",  # full-width lowercase x
        "110105 19491231 002x",  # embedded spaces, as printed on forms
        "110105\u300019491231\u3000002X",  # ideographic spaces U+3000
    ],
)
def test_resident_id_is_normalised(typed):
    # Fault kind: one identifier typed in different forms must be one identifier (issue 12 normalisation).
    assert validate_resident_id(typed) == EXAMPLE_RESIDENT_ID
    assert normalise_code(typed) == EXAMPLE_RESIDENT_ID


def test_wrong_resident_id_check_character():
    error = error_of(validate_resident_id, "110105194912310021")
    assert error.code == "check"
    assert error.params == {"expected": "X", "actual": "1"}
    assert english(error) == "The check character should be X, not 1."


def test_every_single_digit_typo_in_a_resident_id_is_caught():
    for position in range(17):
        for digit in "0123456789":
            if digit == EXAMPLE_RESIDENT_ID[position]:
                continue
            typo = EXAMPLE_RESIDENT_ID[:position] + digit + EXAMPLE_RESIDENT_ID[position + 1 :]
            with pytest.raises(ValidationError):
                validate_resident_id(typo)


@pytest.mark.parametrize("rid", ["", "1101051949123100", "11010519491231002X1", "110105-19491231002X"])
def test_wrong_resident_id_length(rid):
    error = error_of(validate_resident_id, rid)
    assert error.code == "length"
    assert english(error) == f"A resident ID number has 18 characters; this one has {len(rid)}."


def test_first_generation_fifteen_digit_id_is_refused_with_its_own_message():
    error = error_of(validate_resident_id, "110105491231002")
    assert error.code == "first_generation"
    assert "15-digit first-generation" in english(error)


@pytest.mark.parametrize(
    ("rid", "position", "char"),
    [
        ("11010A19491231002X", 6, "A"),
        ("X10105194912310021", 1, "X"),
        ("110105-9491231002X", 7, "-"),
        ("1101051949123100X2", 17, "X"),
    ],
)
def test_non_digit_in_resident_id(rid, position, char):
    error = error_of(validate_resident_id, rid)
    assert error.code == "digits"
    assert english(error) == (
        f"The first 17 characters of a resident ID number are digits; character {position} is “{char}”."
    )


def test_last_character_must_be_digit_or_x():
    error = error_of(validate_resident_id, "11010519491231002Y")
    assert error.code == "check_char"
    assert english(error) == "The last character of a resident ID number is a digit or X, not “Y”."


@pytest.mark.parametrize(
    "birth",
    [
        "20230230",  # 30 February
        "20241301",  # month 13
        "20240001",  # month 0
        "20240100",  # day 0
        "20240431",  # 31 April
        "20230229",  # 29 February in a common year
        "19000229",  # 1900 was not a leap year (divisible by 100, not by 400)
        "00000101",  # year 0 does not exist
    ],
)
def test_impossible_birth_dates(birth):
    rid = resident_id("110105" + birth + "002")
    error = error_of(validate_resident_id, rid)
    assert error.code == "birth_date"
    assert english(error) == (
        f"Digits 7 to 14 of a resident ID number are the birth date, but {birth} is not a real date."
    )


@pytest.mark.parametrize("birth", ["20240229", "20000229", "19491231"])
def test_possible_birth_dates(birth):
    rid = resident_id("110105" + birth + "002")
    assert validate_resident_id(rid) == rid


def test_birth_date_before_1900_is_refused():
    error = error_of(validate_resident_id, resident_id("110105" + "18991231" + "002"))
    assert error.code == "birth_date_too_early"


@time_machine.travel(datetime.datetime(2026, 3, 1, 12, 0, tzinfo=SHANGHAI), tick=False)
def test_future_birth_date_is_refused():
    tomorrow = resident_id("110105" + "20260302" + "002")
    error = error_of(validate_resident_id, tomorrow)
    assert error.code == "birth_date_future"
    assert english(error) == "The birth date 2026-03-02 in this resident ID number is in the future."
    assert (
        error_of(validate_resident_id, resident_id("110105" + "20991231" + "002")).code == "birth_date_future"
    )
    # Born today is fine.
    today = resident_id("110105" + "20260301" + "002")
    assert validate_resident_id(today) == today


@time_machine.travel(datetime.datetime(2026, 3, 1, 17, 30, tzinfo=datetime.UTC), tick=False)
def test_today_is_beijing_today():
    # 17:30 UTC on 1 March is 01:30 on 2 March in Beijing: a baby born on 2 March is not in the future.
    rid = resident_id("110105" + "20260302" + "002")
    assert validate_resident_id(rid) == rid


# --- masking and division ----------------------------------------------------------------------------------------


def test_mask_keeps_first_six_and_last_four():
    assert mask_resident_id(EXAMPLE_RESIDENT_ID) == "110105********002X"
    assert mask_resident_id("11010519491231002x") == "110105********002X"
    assert mask_resident_id(" 11010519491231002X ") == "110105********002X"


def test_mask_hides_the_birth_date_of_any_valid_id():
    for rid in random_resident_ids(50):
        masked = mask_resident_id(rid)
        assert len(masked) == 18
        assert masked[:6] == rid[:6] and masked[-4:] == rid[-4:]
        assert masked[6:14] == "*" * 8


@pytest.mark.parametrize(("value", "masked"), [("", ""), ("1234", "****"), ("1101051949", "**********")])
def test_mask_never_shows_a_short_value(value, masked):
    assert mask_resident_id(value) == masked


def test_division_of():
    assert division_of("enterprise", EXAMPLE_CREDIT_CODE) == "350100"
    assert division_of("person", EXAMPLE_RESIDENT_ID) == "110105"
    assert division_of("person", "11010519491231002x") == "110105"


def test_division_of_refuses_unknown_kind_and_malformed_codes():
    with pytest.raises(ValueError):
        division_of("company", EXAMPLE_CREDIT_CODE)
    with pytest.raises(ValueError):
        division_of("enterprise", "91A50100M000100Y43")
    with pytest.raises(ValueError):
        division_of("person", "1101")


def test_every_offending_character_is_named_once():
    error = error_of(validate_credit_code, "91350100M0-10-#Y43")
    assert error.code == "charset"
    assert error.params == {"chars": "“-” “#”"}
