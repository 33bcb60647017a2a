"""The checks of a value's confidence interval: the optional columns `lower`, `upper` and `confidence`.

A survey estimate is not exact: the contract lets its bounds travel with it, so a change or a gap can be
called a difference only when the intervals do not overlap. The checks, as upload-format.md states them
and where it is silent (each rule in the README's upload rules):

- only an indicator the catalogue marks as an estimate (`estimate:`) takes an interval: on any other the
  columns must be empty, since an exact count has none and an interval there is a slip of columns;
- a value given as a missing-value symbol (c, x, z) takes none;
- `lower` and `upper` come together or not at all, and `confidence` comes with them and only with them;
- each bound is read as a value is and obeys its unit's checks (a percentage between 0 and 100, a score
  within its range); `confidence` lies above 0 and below 100 (80, 90, 95, 99);
- `lower` <= `upper`, and `lower` <= the value <= `upper`.

The set checks (sql/checks/upload_check_values.sql) pass a row only when these find nothing.
"""

from __future__ import annotations

from metrics.catalogue import Indicator
from metrics.upload.numbers import read_number, unit_problem
from metrics.upload.report import Problem, Report

BOUND_COLUMNS = ("lower", "upper", "confidence")
Bounds = tuple[float | None, float | None, float | None]
NO_BOUNDS: Bounds = (None, None, None)


def check_bounds(
    texts: tuple[str, str, str],
    value: float | None,
    missing: str | None,
    indicator: Indicator,
    line: int,
    report: Report,
) -> Bounds:
    """The row's lower bound, upper bound and confidence level, with every problem added to the report.

    `value` is the row's value as checked (worked out from a share's pair where it was left empty; None
    where the value has a problem of its own, and then it is not compared with the bounds).
    """
    errors = report.errors
    first = next(column for column, text in zip(BOUND_COLUMNS, texts, strict=True) if text)
    written = dict(zip(BOUND_COLUMNS, texts, strict=True))
    if not indicator.is_estimate:
        errors.append(
            Problem(
                line,
                first,
                written[first],
                f"Leave lower, upper and confidence empty: {indicator.id} is not an estimate from a survey, so "
                "its figures have no confidence interval.",
            )
        )
        return NO_BOUNDS
    if missing is not None:
        errors.append(
            Problem(
                line,
                first,
                written[first],
                "Leave lower, upper and confidence empty when the value is a missing-value symbol.",
            )
        )
        return NO_BOUNDS
    lower_text, upper_text, confidence_text = texts
    before = errors.total
    _check_presence(texts, line, report)
    lower = _bound(lower_text, "lower", indicator, line, report)
    upper = _bound(upper_text, "upper", indicator, line, report)
    confidence = (
        read_number(confidence_text, "confidence", line, indicator, report) if confidence_text else None
    )
    if confidence is not None and not 0 < confidence < 100:
        errors.append(
            Problem(
                line,
                "confidence",
                confidence_text,
                "Enter the confidence level as a percentage above 0 and below 100, for example 95.",
            )
        )
    if lower is not None and upper is not None:
        _check_order(lower, upper, value, texts, line, report)
    if errors.total > before:
        return NO_BOUNDS
    return lower, upper, confidence


def _check_presence(texts: tuple[str, str, str], line: int, report: Report) -> None:
    """Both bounds or neither; the level with them and only with them."""
    lower_text, upper_text, confidence_text = texts
    errors = report.errors
    if bool(lower_text) != bool(upper_text):
        empty = "upper" if lower_text else "lower"
        errors.append(
            Problem(
                line,
                empty,
                "",
                "Enter both lower and upper (the bounds of the confidence interval), or neither.",
            )
        )
    elif lower_text and not confidence_text:
        errors.append(
            Problem(
                line,
                "confidence",
                "",
                "Enter the confidence level of the interval in percent, for example 95.",
            )
        )
    elif confidence_text and not lower_text:
        errors.append(
            Problem(
                line,
                "confidence",
                confidence_text,
                "Leave confidence empty, or enter lower and upper too: the level belongs to an interval.",
            )
        )


def _bound(text: str, column: str, indicator: Indicator, line: int, report: Report) -> float | None:
    """One bound read as a value is read, and held to the value's unit; None if empty or wrong."""
    if not text:
        return None
    bound = read_number(text, column, line, indicator, report)
    if bound is None:
        return None
    problem = unit_problem(indicator, column, bound)
    if problem:
        report.errors.append(Problem(line, column, text, problem))
        return None
    return bound


def _check_order(
    lower: float, upper: float, value: float | None, texts: tuple[str, str, str], line: int, report: Report
) -> None:
    """lower <= upper, and the value inside the interval."""
    lower_text, upper_text, _ = texts
    if lower > upper:
        report.errors.append(
            Problem(
                line,
                "lower",
                lower_text,
                f"The lower bound ({lower_text}) is above the upper bound ({upper_text}). Check the two are "
                "not swapped.",
            )
        )
    elif value is not None and value < lower:
        report.errors.append(
            Problem(
                line,
                "lower",
                lower_text,
                f"The lower bound ({lower_text}) is above the value ({value:.15g}). The interval must hold the "
                "value: lower, then value, then upper. Check the columns are not shifted.",
            )
        )
    elif value is not None and value > upper:
        report.errors.append(
            Problem(
                line,
                "upper",
                upper_text,
                f"The upper bound ({upper_text}) is below the value ({value:.15g}). The interval must hold the "
                "value: lower, then value, then upper. Check the columns are not shifted.",
            )
        )
