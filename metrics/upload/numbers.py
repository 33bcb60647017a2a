"""One number in an upload, read as the contract says: ASCII digits, thousands separators and a trailing %
with a warning, finite and below the largest, and within its indicator's unit.

Shared by the value, numerator and denominator checks (values.py) and the confidence interval's
(bounds.py), so a bound is read exactly as a value is.
"""

from __future__ import annotations

import math
import re

from metrics.catalogue import Indicator
from metrics.upload.report import Problem, Report

LARGEST_VALUE = 1e15  # no indicator comes near it: larger is a slip (or 400 digits meant to overflow)
# The columns that hold a figure in the value's unit, so its unit's checks and a trailing % apply.
IN_VALUE_UNIT = ("value", "lower", "upper")

# ASCII digits only: \d would also take full-width (１２), Arabic-Indic and superscript digits.
_PLAIN_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_GROUPED_NUMBER = re.compile(r"^-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")

DIGITS_ONLY = (
    "Write '{}' with the digits 0 to 9 only: it has characters that look like digits but are not "
    "(full-width, superscript or other scripts' digits)."
)


def foreign_digits(text: str) -> bool:
    """Characters that look like digits but are not 0 to 9 (full-width, superscript, other scripts)."""
    return not text.isascii() and any(ch.isdigit() or ch.isnumeric() for ch in text)


def read_number(text: str, column: str, line: int, indicator: Indicator, report: Report) -> float | None:
    """A plain number, tolerating thousands separators and a trailing % (with a warning)."""
    if text.isascii() and text.isdigit():
        return finite(float(text), text, column, line, report)
    raw = text
    if foreign_digits(text):
        report.errors.append(Problem(line, column, raw, DIGITS_ONLY.format(raw)))
        return None
    t = text.strip()
    normalised = False
    if t.endswith("%"):
        if not (column == "confidence" or (indicator.unit == "percent" and column in IN_VALUE_UNIT)):
            report.errors.append(
                Problem(
                    line,
                    column,
                    raw,
                    f"Enter {column} as a number without a % sign: {indicator.id} is measured as "
                    f"{indicator.unit_label}.",
                )
            )
            return None
        t = t[:-1].strip()
        normalised = True
    if _GROUPED_NUMBER.match(t):
        t = t.replace(",", "")
        normalised = True
    if not _PLAIN_NUMBER.match(t):
        return not_a_number(raw, column, line, indicator, report)
    if normalised:
        report.warnings.append(
            Problem(line, column, raw, f"Read '{raw}' as {t}. Write plain numbers, like {t}, to avoid this.")
        )
    return finite(float(t), raw, column, line, report)


def finite(v: float, raw: str, column: str, line: int, report: Report) -> float | None:
    """A number no indicator could hold (it would print as infinity) is refused with its line."""
    if math.isfinite(v) and abs(v) < LARGEST_VALUE:
        return v
    report.errors.append(
        Problem(
            line,
            column,
            raw,
            f"The {column} is far too large: enter a number below {LARGEST_VALUE:,.0f}. Check for extra "
            "digits.",
        )
    )
    return None


def not_a_number(raw: str, column: str, line: int, indicator: Indicator, report: Report) -> None:
    if column == "value":
        hint = (
            "Enter a number, like 1234 or 23.5, or a missing-value symbol: c (confidential), "
            "x (not available) or z (not applicable)."
        )
    elif column in ("numerator", "denominator"):
        hint = "Enter a whole number, like 120."
    elif column == "confidence":
        hint = "Enter the confidence level in percent, like 95."
    else:
        hint = f"Enter the {column} bound of the confidence interval as a number, like 72.5."
    report.errors.append(Problem(line, column, raw, f"'{raw}' is not a number. {hint}"))
    return None


def unit_problem(indicator: Indicator, column: str, v: float) -> str | None:
    """What is wrong with a figure for its indicator's unit (a value, a bound, a numerator or denominator)."""
    unit = indicator.unit
    if column in ("numerator", "denominator"):
        if v < 0 or not float(v).is_integer():
            return f"Enter the {column} as a whole number of 0 or more."
        return None
    if unit == "count" and (v < 0 or not float(v).is_integer()):
        return f"Enter a whole number of 0 or more: {indicator.id} is a count."
    if unit == "money" and v < 0:
        return f"Enter an amount of 0 or more: {indicator.id} is money."
    if unit == "percent" and not 0 <= v <= 100:
        return (
            f"Enter a percentage between 0 and 100, written as percent (23.5 means 23.5%), not as a "
            f"fraction: {indicator.id} is a percentage."
        )
    if unit == "rate_per_100k" and v < 0:
        return f"Enter a rate of 0 or more: {indicator.id} is a rate per 100,000."
    if indicator.value_range is not None and column in IN_VALUE_UNIT:
        low, high = indicator.value_range
        if not low <= v <= high:
            return (
                f"Enter a {'value' if column == 'value' else 'bound'} from {low:g} to {high:g}: {indicator.id} "
                f"is a {indicator.unit_label}, "
                "so nothing outside that range can be right."
            )
    return None
