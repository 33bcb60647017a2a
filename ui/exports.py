"""Download buttons for board papers: a chart as PNG or SVG, the data behind it as CSV or Excel.

The files come from metrics.export, the same code as `kpi export`, so a file taken
from a page is the file the command writes. Charts are drawn only when a button is
pressed (the button's data is a function), by one kaleido process that the first export
starts and that closes once exports stop. Without Chromium the chart buttons are shown switched off
with the reason in words, and the data buttons still work.

A page's own table becomes a data file through metrics.export.frame_table (it needs no
streamlit), offered by `data_buttons` here.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from metrics import charts, export, schemes
from metrics.catalogue import Geography, Indicator
from metrics.dashboard import Shown
from metrics.export import MIME, DataTable
from metrics.words import upper_first
from ui.text import plain


def chart_problem() -> str | None:
    """Why charts cannot be saved as images here (no Chromium), or None. Drawing a page never starts
    Chromium: the first export does, and it closes again when exports stop (metrics.export.renderer)."""
    return export.chromium_problem()


def _chart_bytes(shown: Shown, fmt: str, size: str, as_at: dt.date | None):
    def build() -> bytes:
        return export.chart_image(shown, fmt, size, as_at)

    return build


# A table longer than this has its files written when a button is pressed, not on every run of the
# page: writing 25,000 scheme rows as Excel takes seconds that a reader should not wait for on each visit.
EAGER_ROWS = 2_000


def data_buttons(table: DataTable, *, key: str, what: str = "the data") -> None:
    """CSV and Excel downloads of a table with its header block; the bytes are exactly what `kpi export data` writes."""
    lazy = len(table.rows) > EAGER_ROWS
    _buttons(
        table.file_stem,
        lambda write: functools.partial(write, table) if lazy else write(table),
        key=key,
        what=what,
    )


def built_data_buttons(build: Callable[[], DataTable], *, file_stem: str, key: str, what: str) -> None:
    """CSV and Excel downloads of a table that is read and built only when a button is pressed: a list
    too long to read on every run of the page (every scheme of a period, 25,000 on a large store)."""
    _buttons(file_stem, lambda write: functools.partial(_write_built, build, write), key=key, what=what)


def _write_built(build: Callable[[], DataTable], write: Callable[[DataTable], bytes]) -> bytes:
    return write(build())


def _buttons(
    file_stem: str, data: Callable[[Callable[[DataTable], bytes]], Any], *, key: str, what: str
) -> None:
    """The CSV and Excel buttons side by side; `data` gives each button's bytes (or the function that
    makes them) from its writer."""
    files = (("csv", "CSV", export.to_csv), ("xlsx", "Excel", export.to_xlsx))
    for column, (fmt, name, write) in zip(st.columns(2), files, strict=True):
        with column:
            st.download_button(
                f"Download {what} as {name}",
                data=data(write),
                file_name=f"{file_stem}.{fmt}",
                mime=MIME[fmt],
                key=f"{key}_{fmt}",
                on_click="ignore",
            )


def scheme_buttons(
    indicator: Indicator, place: Geography, *, header: list[tuple[str, str]], total: int
) -> None:
    """Every scheme of the newest period as CSV and Excel, read from the store and written when a button
    is pressed: the page itself reads only the lowest few (metrics.schemes.scheme_view)."""

    def every_scheme() -> DataTable:
        frame = schemes.project_shares(indicator, place, latest_only=True)
        return export.frame_table(
            charts.project_table(indicator, frame),
            title=f"{indicator.name}: every scheme, latest period",
            file_stem=export.slug(indicator.id, place.code, "schemes"),
            header=header,
            sheet_name="Schemes",
        )

    built_data_buttons(
        every_scheme,
        file_stem=export.slug(indicator.id, place.code, "schemes"),
        key="schemes_download",
        what=f"every scheme ({total:,})",
    )


def table_buttons(
    frame: pd.DataFrame, title: str, *, as_at: str, key: str, sheet_name: str, shows: str | None = None
) -> None:
    """A page's own table as CSV and Excel (metrics.export.frame_table): formula-safe, unlike Streamlit's.

    The file is named after the title ("Upload history": upload-history.csv), the buttons offer
    "the upload history", and the header block says what it shows (when given) and when it was taken.
    """
    header = [("Shows", upper_first(shows))] if shows else []
    stem = title.lower().replace(" ", "-")
    table = export.frame_table(
        frame, title=title, file_stem=stem, header=[*header, ("As at", as_at)], sheet_name=sheet_name
    )
    data_buttons(table, key=key, what=f"the {title.lower()}")


def file_button(label: str, built: dict, *, key: str, primary: bool = False) -> None:
    """The download of a file a page built and kept in the session: {"data", "file_name", "fmt"}."""
    st.download_button(
        label,
        data=built["data"],
        file_name=built["file_name"],
        mime=MIME[built["fmt"]],
        key=key,
        type="primary" if primary else "secondary",
        on_click="ignore",
    )


def export_buttons(shown: Shown, *, as_at: dt.date | None, key: str = "export") -> None:
    """Downloads for a board paper under an indicator's chart: PNG (full and half page width), SVG, CSV, Excel.

    `as_at` is the data's "as at" date (ui.data.freshness(version).data_as_at), printed
    on the chart and in the data file's header block. Keys start with `key`:
    `{key}_png_full`, `{key}_png_half`, `{key}_svg`, `{key}_csv`, `{key}_xlsx`.
    """
    with st.container(key=f"{key}_buttons"):
        st.markdown("**For a board paper**")
        problem = chart_problem()
        columns = st.columns(3)
        charts = (
            ("png", "full", "Chart as PNG, full page width", f"{key}_png_full"),
            ("png", "half", "Chart as PNG, half page width", f"{key}_png_half"),
            ("svg", "full", "Chart as SVG", f"{key}_svg"),
        )
        for column, (fmt, size, label, button_key) in zip(columns, charts, strict=True):
            with column:
                pixels = export.CHART_SIZES[size].pixels
                st.download_button(
                    label,
                    data=_chart_bytes(shown, fmt, size, as_at) if problem is None else b"",
                    file_name=export.chart_file_name(shown, fmt, size),
                    mime=MIME[fmt],
                    key=button_key,
                    on_click="ignore",
                    disabled=problem is not None,
                    help=(
                        f"{pixels[0]:,} by {pixels[1]:,} pixels, sharp in print"
                        if fmt == "png"
                        else "A vector image: sharp at any size"
                    ),
                )
        if problem is not None:
            st.info(plain(problem), icon="ℹ️")
        data_buttons(export.series_table(shown, as_at), key=key, what="the chart's data")
