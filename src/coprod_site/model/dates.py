"""Date arithmetic shared by the loader and the views."""

from __future__ import annotations

import calendar
from datetime import date

_MONTHS = ("", "January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def long_date(value: date) -> str:
    """A date as readers in the UK write it: 27 October 2022 (in English whatever the machine's
    locale, which `strftime`'s month names would follow)."""
    return f"{value.day} {_MONTHS[value.month]} {value.year}"


def add_months(start: date, months: int) -> date:
    """The same day `months` later, clamped to the end of a shorter month."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
