"""Shared member fixtures: ``make_member`` builds a valid member through the service."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from congdoan.core.cccd import make_cccd
from congdoan.members import services
from congdoan.members.models import PROFILE_FIELDS, Member, Membership

_sequence = itertools.count(1)


def make_member(unit: Any, actor: Any = None, **overrides: Any) -> Member:
    """A member of the grassroots union ``unit``, created by ``services.create_member``.

    Defaults: a woman born 15/03/1990 who joined on 01/09/2012, with a CCCD that agrees
    with her sex and year of birth (unique per call). Any member field can be overridden;
    ``cccd=""`` leaves the CCCD out, and a new ``sex`` or ``birth_date`` gets a matching CCCD.
    """
    number = next(_sequence)
    data: dict[str, Any] = {
        "full_name": "Nguyễn Thị Hoa",
        "birth_date": dt.date(1990, 3, 15),
        "sex": "F",
        "ethnicity": "Kinh",
        "joined_on": dt.date(2012, 9, 1),
    }
    data.update(overrides)
    if "cccd" not in overrides:
        data["cccd"] = make_cccd("010", data["sex"], data["birth_date"].year, 900000 + number)
    return services.create_member(actor, unit, data)


def assert_periods_carry_profiles() -> int:
    """Every membership period carries its member's statistics figures; returns the count."""
    periods = list(Membership.objects.select_related("member"))
    for period in periods:
        carried = {name: getattr(period, name) for name in PROFILE_FIELDS}
        assert carried == period.member.profile(), period
    return len(periods)
