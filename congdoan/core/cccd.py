"""Citizen identity numbers (CCCD, 12 digits) and their cross-checks.

Layout (Thông tư 07/2016/TT-BCA, Điều 7):
digits 1–3 the province of birth registration, digit 4 sex and century,
digits 5–6 the last two digits of the birth year, digits 7–12 a sequence.
Sex/century digit: 20th century male 0, female 1; 21st 2/3; 22nd 4/5;
23rd 6/7; 24th 8/9.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Province codes of the 63 provinces (Thông tư 07/2016/TT-BCA, Phụ lục). Numbers
# issued before the 2025 merger keep these codes, so the old list stays valid.
PROVINCES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang",
    "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
    "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}  # fmt: skip

MALE = "M"
FEMALE = "F"


@dataclass(frozen=True)
class CccdInfo:
    number: str
    province_code: str
    province: str
    sex: str  # MALE or FEMALE
    birth_year_from: int  # first year of the century the number encodes
    birth_year_2: int  # the last two digits of the birth year

    def birth_year(self) -> int:
        return self.birth_year_from + self.birth_year_2


def parse_cccd(value: str) -> CccdInfo:
    """Parse a CCCD number; raise ValidationError with a Vietnamese message if invalid."""
    number = "".join(value.split())
    if len(number) != 12 or not number.isdigit():
        raise ValidationError(
            _("A citizen ID (CCCD) has exactly 12 digits; “%(value)s” does not.")
            % {"value": value},
            code="cccd_format",
        )
    province_code = number[:3]
    if province_code not in PROVINCES:
        raise ValidationError(
            _("“%(code)s” is not a province code; the first 3 digits of a CCCD name a province.")
            % {"code": province_code},
            code="cccd_province",
        )
    sex_century = int(number[3])
    century_start = 1900 + (sex_century // 2) * 100
    return CccdInfo(
        number=number,
        province_code=province_code,
        province=PROVINCES[province_code],
        sex=MALE if sex_century % 2 == 0 else FEMALE,
        birth_year_from=century_start,
        birth_year_2=int(number[4:6]),
    )


def validate_cccd(value: str, *, birth_year: int | None = None, sex: str | None = None) -> CccdInfo:
    """Validate a CCCD and cross-check it with the recorded birth year and sex.

    ``sex`` is ``"M"`` or ``"F"``. Each mismatch is reported with what the
    number says and what the record says.
    """
    info = parse_cccd(value)
    errors: list[ValidationError] = []
    if birth_year is not None and info.birth_year() != birth_year:
        errors.append(
            ValidationError(
                _("The CCCD encodes birth year %(cccd)s but the record says %(year)s.")
                % {"cccd": info.birth_year(), "year": birth_year},
                code="cccd_birth_year",
            )
        )
    if sex is not None and sex in (MALE, FEMALE) and info.sex != sex:
        errors.append(
            ValidationError(
                _("The CCCD encodes sex “%(cccd)s” but the record says “%(sex)s”.")
                % {"cccd": _sex_label(info.sex), "sex": _sex_label(sex)},
                code="cccd_sex",
            )
        )
    if errors:
        raise ValidationError(errors)
    return info


def _sex_label(sex: str) -> str:
    return _("male") if sex == MALE else _("female")


def make_cccd(province_code: str, sex: str, birth_year: int, sequence: int) -> str:
    """Build a well-formed CCCD (for demo data and tests)."""
    century_index = (birth_year - 1900) // 100
    digit = century_index * 2 + (0 if sex == MALE else 1)
    return f"{province_code}{digit}{birth_year % 100:02d}{sequence % 1_000_000:06d}"
