"""Checks of one member's data, shared by the forms, the API, the services and the import.

Each check returns the clean value or raises ``ValidationError`` with a Vietnamese message;
``clean_member`` runs them all and reports every bad field at once.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.core.cccd import validate_cccd
from congdoan.core.text import fold, nfc
from congdoan.members.models import MAJORITY_ETHNICITY, Sex

MIN_AGE_AT_JOINING = 15  # Bộ luật Lao động 2019: a worker is at least 15 years old
MAX_AGE = 120

_SEX_WORDS = {
    "nam": Sex.MALE,
    "m": Sex.MALE,
    "male": Sex.MALE,
    "trai": Sex.MALE,
    "nu": Sex.FEMALE,
    "f": Sex.FEMALE,
    "female": Sex.FEMALE,
    "gai": Sex.FEMALE,
}
_PHONE = re.compile(r"^0\d{9,10}$")


def parse_sex(value: Any) -> str:
    word = fold(str(value or ""))
    if word not in _SEX_WORDS:
        raise ValidationError(_("Write “Nam” or “Nữ”, not “%(value)s”.") % {"value": value or ""})
    return _SEX_WORDS[word]


def sex_label(sex: str) -> str:
    return "Nữ" if sex == Sex.FEMALE else "Nam"


def clean_phone(value: Any) -> str:
    """A Vietnamese phone number as 0 followed by 9 or 10 digits (+84 accepted)."""
    text = re.sub(r"[\s.\-()]", "", str(value or ""))
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = "0" + str(int(value))  # Excel drops the leading zero of a number cell
    if text.startswith("+84"):
        text = "0" + text[3:]
    elif text.startswith("84") and len(text) == 11:
        text = "0" + text[2:]
    if not text:
        return ""
    if not _PHONE.match(text):
        raise ValidationError(
            _("“%(value)s” is not a phone number (10 digits starting with 0).") % {"value": value}
        )
    return text


def clean_ethnicity(value: Any) -> str:
    text = nfc(str(value or ""))
    if not text or fold(text) == fold(MAJORITY_ETHNICITY):
        return MAJORITY_ETHNICITY
    return text[:1].upper() + text[1:]


def clean_cccd_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = "".join(str(value).split())
    if text.isdigit() and len(text) == 11:
        text = "0" + text  # a CCCD typed into a number cell loses its leading zero
    return text


def clean_member(data: dict[str, Any], *, today: dt.date | None = None) -> dict[str, Any]:
    """Normalise and check one member's fields. Raises ValidationError keyed by field.

    ``data`` holds the model's field names; ``birth_year_only`` tells that only the year of
    birth is known (the date is then 1 January).
    """
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for field in (
        "full_name",
        "religion",
        "hometown",
        "education",
        "qualification",
        "job",
        "workplace",
        "card_number",
        "email",
    ):
        if field in data:
            clean[field] = nfc(str(data.get(field) or ""))
    if "full_name" in data:
        name = " ".join(clean["full_name"].split())
        clean["full_name"] = name
        if not name:
            fail("full_name", _("The full name is empty."))
        elif len(name) > 120:
            fail("full_name", _("The full name is longer than 120 characters."))
        elif any(ch.isdigit() for ch in name):
            fail("full_name", _("A name has no digits."))
    if clean.get("email"):
        try:
            validate_email(clean["email"])
        except ValidationError:
            fail("email", _("“%(value)s” is not an e-mail address.") % {"value": clean["email"]})
    if len(clean.get("card_number", "")) > 20:
        fail("card_number", _("The card number is longer than 20 characters."))
    if "ethnicity" in data:
        clean["ethnicity"] = clean_ethnicity(data.get("ethnicity"))
    if "sex" in data:
        try:
            clean["sex"] = parse_sex(data.get("sex"))
        except ValidationError as exc:
            fail("sex", exc.messages[0])
    if "phone" in data:
        try:
            clean["phone"] = clean_phone(data.get("phone"))
        except ValidationError as exc:
            fail("phone", exc.messages[0])
    birth = data.get("birth_date")
    if "birth_date" in data:
        clean["birth_year_only"] = bool(data.get("birth_year_only"))
        if not isinstance(birth, dt.date):
            fail("birth_date", _("The date of birth is missing."))
            birth = None
        elif birth > today:
            fail("birth_date", _("The date of birth is in the future."))
            birth = None
        elif today.year - birth.year > MAX_AGE:
            fail("birth_date", _("The date of birth is more than 120 years ago."))
            birth = None
        clean["birth_date"] = birth
    joined = data.get("joined_on")
    if "joined_on" in data:
        if not isinstance(joined, dt.date):
            fail("joined_on", _("The date of joining the union is missing."))
        elif joined > today:
            fail("joined_on", _("The date of joining the union is in the future."))
        elif birth is not None:
            age = joined.year - birth.year - ((joined.month, joined.day) < (birth.month, birth.day))
            if age < MIN_AGE_AT_JOINING:
                fail(
                    "joined_on",
                    _("The member would have joined at %(age)s; the minimum age is %(min)s.")
                    % {"age": age, "min": MIN_AGE_AT_JOINING},
                )
        clean["joined_on"] = joined
    if "cccd" in data:
        number = clean_cccd_text(data.get("cccd"))
        clean["cccd"] = number
        if number:
            try:
                validate_cccd(
                    number,
                    birth_year=birth.year if birth else None,
                    sex=clean.get("sex"),
                )
            except ValidationError as exc:
                fail("cccd", " ".join(exc.messages))
    if errors:
        raise ValidationError(errors)
    return clean
