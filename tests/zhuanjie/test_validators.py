from datetime import date

import pytest

from tests.zhuanjie.factories import valid_id, valid_uscc
from zhuanjie.validators import (
    normalize_credit_code,
    normalize_id_number,
    normalize_phone,
    sex_from_id,
)


def test_a_real_format_id_number_with_its_check_digit_passes():
    number = valid_id(date(1952, 2, 29))
    assert normalize_id_number(number.lower()) == number.upper()


def test_known_public_example_id_number_passes():
    # The worked example of GB 11643's check digit, whose check character is X.
    assert normalize_id_number("11010519491231002x") == "11010519491231002X"
    assert sex_from_id("11010519491231002X") == "女"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "18位"),
        ("32068219600517001", "18位"),
        ("3206821960051700AX", "18位"),
        ("320682196002300011", "出生日期"),
    ],
)
def test_malformed_id_numbers_are_refused_in_chinese(value, message):
    with pytest.raises(ValueError, match=message):
        normalize_id_number(value)


def test_every_wrong_check_digit_is_refused():
    number = valid_id()
    for wrong in "0123456789X":
        if wrong == number[-1]:
            continue
        with pytest.raises(ValueError, match="校验位"):
            normalize_id_number(number[:17] + wrong)


def test_credit_code_check_digit():
    code = valid_uscc()
    assert normalize_credit_code(code.lower()) == code
    # A public example from GB 32100-2015's annex family of codes.
    assert normalize_credit_code("91350100M000100Y43") == "91350100M000100Y43"
    wrong = code[:17] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(ValueError, match="校验位"):
        normalize_credit_code(wrong)
    with pytest.raises(ValueError, match="18位"):
        normalize_credit_code("91350100M000100YI3")  # I is not in the alphabet


def test_phone_numbers():
    assert normalize_phone("139 1234 5678") == "13912345678"
    assert normalize_phone("0513-87654321") == "0513-87654321"
    with pytest.raises(ValueError, match="手机号"):
        normalize_phone("12345")
