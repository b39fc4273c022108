import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from congdoan.core.cccd import FEMALE, MALE, PROVINCES, make_cccd, parse_cccd, validate_cccd


def test_parses_province_sex_and_birth_year():
    info = parse_cccd("042190012345")
    assert info.province == "Hà Tĩnh"
    assert info.sex == FEMALE
    assert info.birth_year() == 1990


def test_twenty_first_century_male():
    info = parse_cccd("010205000001")
    assert (info.sex, info.birth_year(), info.province) == (MALE, 2005, "Lào Cai")


@pytest.mark.parametrize("bad", ["12345", "0421900123456", "04219001234a", ""])
def test_wrong_length_or_not_digits(bad):
    with pytest.raises(ValidationError, match="12"):
        parse_cccd(bad)


def test_unknown_province():
    with pytest.raises(ValidationError) as exc:
        parse_cccd("003190012345")
    assert "003" in exc.value.messages[0]


def test_cross_check_reports_each_mismatch():
    with pytest.raises(ValidationError) as exc:
        validate_cccd("042190012345", birth_year=1991, sex=MALE)
    codes = [e.code for e in exc.value.error_list]
    assert codes == ["cccd_birth_year", "cccd_sex"]
    assert "1990" in exc.value.messages[0] and "1991" in exc.value.messages[0]


def test_matching_record_passes():
    assert validate_cccd("042 190 012 345", birth_year=1990, sex=FEMALE).number == "042190012345"


@given(
    st.sampled_from(sorted(PROVINCES)),
    st.sampled_from([MALE, FEMALE]),
    st.integers(min_value=1900, max_value=2099),
    st.integers(min_value=0, max_value=999_999),
)
def test_built_numbers_round_trip(province, sex, year, seq):
    number = make_cccd(province, sex, year, seq)
    info = validate_cccd(number, birth_year=year, sex=sex)
    assert info.province_code == province
    assert info.birth_year() == year


@given(st.sampled_from(sorted(PROVINCES)), st.integers(min_value=1900, max_value=2099))
def test_a_different_year_is_refused(province, year):
    number = make_cccd(province, MALE, year, 1)
    with pytest.raises(ValidationError):
        validate_cccd(number, birth_year=year + 1)
