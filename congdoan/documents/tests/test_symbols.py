"""Numbers and symbols: built in the state style, understood in every style that arrives."""

from __future__ import annotations

import unicodedata

import pytest

from congdoan.documents import symbols


@pytest.mark.parametrize(
    ("written", "style", "number", "year", "kind", "issuer", "drafting"),
    [
        ("704/HD-TLĐ", "state", 704, None, "HD", "TLĐ", ""),
        ("Số: 05/KH-LĐLĐ", "state", 5, None, "KH", "LĐLĐ", ""),
        ("123/LĐLĐ-VP", "cong_van", 123, None, "", "LĐLĐ", "VP"),
        ("30/2020/NĐ-CP", "legal", 30, 2020, "NĐ", "CP", ""),
        ("01/2018/TT-VPCP", "legal", 1, 2018, "TT", "VPCP", ""),
        ("03-ĐA/TU", "party", 3, None, "ĐA", "TU", ""),
        ("18-NQ/TW", "party", 18, None, "NQ", "TW", ""),
        ("18 - NQ / TW", "party", 18, None, "NQ", "TW", ""),
        ("12/QĐ-UBND-VP", "state", 12, None, "QĐ", "UBND-VP", ""),
        ("không số", "unknown", None, None, "", "", ""),
    ],
)
def test_parse_understands_each_style(written, style, number, year, kind, issuer, drafting):
    parsed = symbols.parse(written)
    assert (parsed.style, parsed.number, parsed.year) == (style, number, year)
    assert (parsed.type_abbreviation, parsed.issuer_abbreviation) == (kind, issuer)
    assert parsed.drafting_abbreviation == drafting


def test_decomposed_input_is_read_as_composed():
    decomposed = unicodedata.normalize("NFD", "704/HD-TLĐ")
    assert symbols.parse(decomposed).issuer_abbreviation == "TLĐ"
    assert symbols.key(decomposed) == symbols.key("704/HD-TLĐ")


def test_key_ignores_spaces_prefix_leading_zeros_and_marks():
    assert symbols.key("Số: 05/KH-LĐLĐ") == symbols.key("5 / KH - LĐLĐ") == "5/kh-ldld"
    assert symbols.key("18-NQ/TW") != symbols.key("18-NQ/TU")


def test_build_state_style_with_leading_zero_and_cong_van():
    assert symbols.build(5, type_abbreviation="KH", issuer_abbreviation="LĐLĐ") == "05/KH-LĐLĐ"
    assert symbols.build(704, type_abbreviation="HD", issuer_abbreviation="TLĐ") == "704/HD-TLĐ"
    assert (
        symbols.build(123, type_abbreviation="CV", issuer_abbreviation="LĐLĐ",
                      drafting_abbreviation="VP")
        == "123/LĐLĐ-VP"
    )  # fmt: skip
