"""Download buttons for board papers: a chart as PNG or SVG, the data behind it as CSV or Excel.

The files come from metrics.export, the same code as `kpi export`, so a file taken
from a page is the file the command writes. Charts are drawn only when a button is
pressed (the button's data is a function), by one kaleido process that the first export
starts and that closes once exports stop. Without Chromium the chart buttons are shown switched off
with the reason in words, and the data buttons still work.

A page's own table becomes a data file through metrics.export.frame_table (it needs no
streamlit), offered by `data_buttons` here. Every chart's buttons come with its alt text beside them
(`alt_text`), to paste into the picture's alt text in a board paper: where the page already shows those
words as the chart's description, they are not repeated, and a button copies them.

On the Indicator, Theme and Overview pages every file is written only when its button is pressed
(`lazy`): a page offers a dozen files, and writing them all on every run would slow it for nothing.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from metrics import export, schemes
from metrics.catalogue import Catalogue, Geography, Indicator
from metrics.dashboard import Shown
from metrics.export import MIME, ChartFile, DataTable, ViewFiles
from metrics.words import clean_text, dimension_label, upper_first
from ui import widgets
from ui.text import plain


def chart_problem() -> str | None:
    """Why charts cannot be saved as images here (no Chromium), or None. Drawing a page never starts
    Chromium: the first export does, and it closes again when exports stop (metrics.export.renderer)."""
    return export.chromium_problem()


# A table longer than this has its files written when a button is pressed, not on every run of the
# page: writing 25,000 scheme rows as Excel takes seconds that a reader should not wait for on each visit.
EAGER_ROWS = 2_000


def data_buttons(table: DataTable, *, key: str, what: str = "the data", lazy: bool | None = None) -> None:
    """CSV and Excel downloads of a table with its header block; the bytes are exactly what `kpi export data` writes.

    The files are written when a button is pressed if `lazy`, else (None) only for a long table.
    """
    lazy = len(table.rows) > EAGER_ROWS if lazy is None else lazy
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
    is pressed: the page itself reads only the lowest few (metrics.schemes.scheme_view). The files are
    `kpi export data --by schemes`'s (metrics.export.schemes_data)."""

    def every_scheme() -> DataTable:
        frame = schemes.project_shares(indicator, place, latest_only=True)
        return export.schemes_data(indicator, place, frame, header)

    built_data_buttons(
        every_scheme,
        file_stem=export.slug(indicator.id, place.code, "schemes"),
        key="schemes_download",
        what=f"every scheme ({total:,})",
    )


def table_buttons(
    frame: pd.DataFrame,
    title: str,
    *,
    as_at: str,
    key: str,
    sheet_name: str,
    shows: str | None = None,
    lazy: bool | None = None,
) -> None:
    """A page's own table as CSV and Excel (metrics.export.frame_table): formula-safe, unlike Streamlit's.

    The file is named after the title ("Upload history": upload-history.csv), the buttons offer
    "the upload history", and the header block says what it shows (when given) and when it was taken.
    """
    header = [("Shows", upper_first(shows))] if shows else []
    stem = export.slug(title)
    table = export.frame_table(
        frame, title=title, file_stem=stem, header=[*header, ("As at", as_at)], sheet_name=sheet_name
    )
    data_buttons(table, key=key, what=f"the {title.lower()}", lazy=lazy)


def page_table_buttons(
    frame: pd.DataFrame, *, title: str, file_stem: str, header: list[tuple[str, str]], key: str, what: str
) -> None:
    """A table a page shows (a verdict list, a status history, revisions) as formula-safe CSV and Excel,
    written when pressed: uploaded notes and file names in it stay text (metrics.export.frame_table)."""
    table = export.frame_table(frame, title=title, file_stem=file_stem, header=header, sheet_name="Data")
    data_buttons(table, key=key, what=what, lazy=True)


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


ALT_IS_DESCRIPTION = (
    "**Alt text for this chart:** the chart description above, word for word. The PNG and SVG files carry "
    "it too."
)


def alt_text(description: str, *, key: str) -> None:
    """A chart's text alternative, labelled, with a way to copy it, to paste into a paper.

    Where the page already shows it as the chart's description (ui.widgets.chart, the same words), it is
    not shown again: the fold says so and offers a "Copy the alt text" button (the page script copies the
    text and says it did). Elsewhere it is a code block, which shows text exactly as written (no Markdown,
    so a scheme's name cannot become a link) with Streamlit's copy button. Either way the characters a
    document cannot hold are taken out as in the file (metrics.words.clean_text).
    """
    text = clean_text(description)
    with st.container(key=key):
        if widgets.described_as(text):
            st.markdown(ALT_IS_DESCRIPTION)
            st.html(copy_button(text, "Copy the alt text"))
        else:
            st.markdown("**Alt text for this chart:**")
            st.code(text, language=None, wrap_lines=True)


def copy_button(text: str, label: str) -> str:
    """A button that copies `text` (escaped into its data) and a status line that says whether it did;
    the page script (ui.style) does the copying, since a page cannot reach the clipboard from Python."""
    return (
        f'<div class="kpi-copy"><button type="button" class="kpi-copy-button" '
        f'data-kpi-copy="{html.escape(text, quote=True)}">{html.escape(label)}</button>'
        '<span class="kpi-copy-status" role="status"></span></div>'
    )


CHART_BUTTONS = (
    ("png", "full", "Chart as PNG, full page width", "png_full"),
    ("png", "half", "Chart as PNG, half page width", "png_half"),
    ("svg", "full", "Chart as SVG", "svg"),
)


def chart_buttons(chart: ChartFile, *, key: str) -> None:
    """PNG (full and half page width) and SVG downloads of a chart, drawn only when pressed, and its alt text.

    Keys: `{key}_png_full`, `{key}_png_half`, `{key}_svg`, and `{key}_alt` for the alt text.
    """
    problem = chart_problem()
    for column, (fmt, size, label, name) in zip(st.columns(3), CHART_BUTTONS, strict=True):
        with column:
            pixels = export.CHART_SIZES[size].pixels
            st.download_button(
                label,
                data=functools.partial(chart.image, fmt, size) if problem is None else b"",
                file_name=chart.file_name(fmt, size),
                mime=MIME[fmt],
                key=f"{key}_{name}",
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
    alt_text(chart.description, key=f"{key}_alt")


FOLDED_LABEL = "For a board paper: this chart as PNG or SVG, its data, and its alt text"
FOLDED_CHART_LABEL = "For a board paper: this chart as PNG or SVG, and its alt text"


def export_buttons(
    chart: ChartFile,
    table: DataTable | None,
    *,
    key: str = "export",
    folded: bool = False,
    lazy: bool | None = None,
) -> None:
    """Downloads for a board paper beside a chart: PNG (full and half page width), SVG, CSV, Excel, and
    the chart's alt text. `folded` puts them in an expander, so a page of many charts stays short.

    `chart` and `table` (None where the data has buttons of its own) come from metrics.export (series_chart and series_data, view_files, ...), the
    same code as `kpi export chart` and `kpi export data`. Keys start with `key`: `{key}_png_full`,
    `{key}_png_half`, `{key}_svg`, `{key}_csv`, `{key}_xlsx`, `{key}_alt`.
    """
    label = FOLDED_LABEL if table is not None else FOLDED_CHART_LABEL
    box = st.expander(label, key=f"{key}_buttons") if folded else st.container(key=f"{key}_buttons")
    with box:
        if not folded:
            st.markdown("**For a board paper**")
        chart_buttons(chart, key=key)
        if table is not None:
            data_buttons(table, key=key, what="the chart's data", lazy=lazy)


def _choice(
    label: str, options: list[str], key: str, format_func: Callable[[str], str], **kwargs: Any
) -> str:
    """A selectbox whose options change with the choices above it: a value no longer offered (another
    indicator's group) falls back to the first option instead of failing."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = options[0]
    return st.selectbox(label, options, key=key, format_func=format_func, **kwargs)


def any_view(catalogue: Catalogue, version: tuple, today: str, *, key: str = "export") -> ViewFiles:
    """The Export page's chooser: an indicator, a place, a view the Indicator page shows and, for the
    trend, a breakdown group; returns that view's files (metrics.export.view_files, as `kpi export`).

    SCF schemes are a view of their own (the lowest charted, every scheme in the data), never a list of
    thousands of groups. Keys: `{key}_indicator`, `{key}_place`, `{key}_view`, `{key}_breakdown`.
    """
    from ui import data

    themes = {t.id: t.name for t in catalogue.themes}
    names = {i.id: f"{i.name} ({themes[i.theme]})" for i in catalogue.indicators}
    ind = catalogue.indicator(_choice("Indicator", list(names), f"{key}_indicator", names.__getitem__))
    places = {g.code: g for g in catalogue.geographies}
    local = bool(data.place_comparison(ind, version, today)["period"].notna().any())
    left, right = st.columns(2)
    with left:
        place = places[_choice("Place", list(places), f"{key}_place", lambda c: places[c].name)]
    views = export.views_of(ind, local_figures=local, place=place)
    with right:
        view = _choice("View", list(views), f"{key}_view", views.__getitem__)
    breakdown = None
    if view == export.TREND:
        groups = [f"{d}={g}" for d, g in data.breakdown_groups(ind, place, version) if d != "project"]
        if groups:
            chosen = _choice(
                "Breakdown",
                ["", *groups],
                f"{key}_breakdown",
                lambda b: f"{dimension_label(b.split('=', 1)[0])}: {b.split('=', 1)[1]}" if b else "Everyone",
            )
            breakdown = tuple(chosen.split("=", 1)) if chosen else None
    shown = data.show(ind, place, breakdown, version, today)
    return data.drawn(
        ("export", ind.id, place.code, breakdown, view),
        version,
        today,
        lambda: export.view_files(shown, view),
    )


def indicator_files(shown: Shown, version: tuple, today: str) -> ViewFiles:
    """One indicator's combined-authority chart and data (the Theme page's measures, the Overview's
    headline cards), made once per data version: `kpi export chart|data INDICATOR` writes the same.

    A measure with no combined figure (NEET's rate) is charted as the seven authorities, as the command does.
    """
    from ui import data

    def build() -> ViewFiles:
        as_at = data.freshness(version).data_as_at
        no_figure = shown.local_latest and not any(p.value is not None for p in shown.series)
        places = data.place_comparison(shown.indicator, version, today) if no_figure else None
        return ViewFiles(export.series_chart(shown, as_at, places=places), export.series_data(shown, as_at))

    return data.drawn(("indicator_files", shown.indicator.id, shown.geography.code), version, today, build)
