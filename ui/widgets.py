"""Page pieces used on more than one page: URL-synced choices, and a chart with its words and table.

The URL is the source of truth for what a page shows, so a link copied from the
address bar opens the same view for someone else, on a fresh server. Each choice
is read from the query string first, then the widget, then a default; a change
writes straight back to the URL.

Every chart comes with a text description and a table of the same numbers
(WCAG 1.1.1), so :func:`chart` draws all three together and a page cannot forget one.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from metrics.charts import headline_text, narrow
from metrics.words import clean_text
from ui.text import plain

# No Plotly toolbar: on a phone it sat over the chart's title, its icons had 1.69:1 contrast, and its
# image has no text alternative. Charts are downloaded with their alt text from the pages' own buttons.
PLOTLY_CONFIG = {"displayModeBar": False, "displaylogo": False, "responsive": True}
STATIC_CONFIG = {"staticPlot": True, "displayModeBar": False, "responsive": True}


def url_value(
    key: str,
    options: Sequence[str],
    *,
    default: str | None = None,
    normalise: Callable[[str], str | None] | None = None,
) -> tuple[str, str | None]:
    """The current choice for `key` (URL first, then the widget's last value, then the default).

    Returns (value, rejected): `rejected` is what the URL asked for when it is not one
    of the options, so the page can say so instead of failing.
    """
    rejected = None
    raw = st.query_params.get(key)
    if raw is not None and raw != "":
        value = normalise(raw) if normalise else raw
        if value in options:
            st.session_state[key] = value
        else:
            rejected = raw
    if st.session_state.get(key) not in options:
        st.session_state[key] = default if default in options else options[0]
    return st.session_state[key], rejected


def url_selectbox(
    label: str,
    options: Sequence[str],
    key: str,
    *,
    format_func: Callable[[str], str] = str,
    resets: Iterable[str] = (),
    help: str | None = None,
) -> str:
    """A selectbox whose value lives in the URL as ?key=value; changing it clears the `resets` choices.

    Call :func:`url_value` for the same key first (it settles the value before the widget is drawn).
    """
    resets = tuple(resets)

    def changed() -> None:
        _write(key, st.session_state[key])
        for other in resets:
            st.query_params.pop(other, None)
            st.session_state.pop(other, None)

    if st.session_state.get(key) not in options:
        st.session_state[key] = options[0]
    value = st.selectbox(label, options, key=key, format_func=format_func, on_change=changed, help=help)
    _write(key, value)
    return value


def _write(key: str, value: str) -> None:
    """Put a choice in the URL; an empty choice (such as no breakdown) is left out rather than written empty."""
    if not value:
        st.query_params.pop(key, None)
    elif st.query_params.get(key) != value:
        st.query_params[key] = value


def show_table(frame: pd.DataFrame, *, key: str | None = None) -> None:
    """A real HTML table (readable by screen readers, printable); cell text shown as written.

    st.table renders Markdown in cells, and some cells come from uploads (scheme
    names, notes, file names), so every cell goes through ui.text.plain.
    """
    shown = frame.copy()
    shown.columns = [plain(c) for c in shown.columns]
    for column in shown.columns:
        shown[column] = [
            ("" if v is None or (isinstance(v, float) and pd.isna(v)) else plain(v)) for v in shown[column]
        ]
    if key:
        with st.container(key=key):
            st.table(shown, hide_index=True)
    else:
        st.table(shown, hide_index=True)


def text_table(rows, key: str, **kwargs) -> None:
    """A table of text people wrote (file names, notes, scheme names), in a container keyed `key`.

    Never with Streamlit's own "Download as CSV" or copy to the clipboard: they write "=HYPERLINK(...)"
    or "@SUM(...)" as it is, and a spreadsheet runs it. .streamlit/config.toml sets
    client.disableDataExport, which turns both off for every interactive table; where a deployment
    turns it back on, the table is drawn as a plain HTML table (no toolbar) instead. A download of
    such a table is offered through ui.exports.data_buttons, whose files are formula-safe.
    """
    with st.container(key=key):
        if st.get_option("client.disableDataExport"):
            st.dataframe(rows, hide_index=True, **kwargs)
        else:
            show_table(pd.DataFrame(rows))


def html_table(
    frame: pd.DataFrame, key: str, caption: str, *, raw: Iterable[str] = (), row_header: bool = False
) -> str:
    """`frame` as a plain HTML table, every header and cell escaped: the markup problem_table draws.

    The cells hold uploaded text, so each goes through html.escape (a "<script>" or "=HYPERLINK(...)"
    is shown as written, never run; HTML is never a spreadsheet, so a formula stays text). The table
    is named by its caption, headed by `th scope="col"`, and sits in a region named by the same caption
    (ui.style wraps its text; the page script gives the region a Tab stop only while it scrolls). The
    `raw` columns hold text as written rather than sentences: they may break anywhere on a narrow screen.
    With `row_header`, each row's first cell names the row (`th scope="row"`), as in a list of facts.
    """
    safe_key = "".join(c for c in key if c.isalnum() or c in "_-")
    caption_id = f"kpi-table-{safe_key}-caption"
    loose = [c in set(raw) for c in frame.columns]
    head = "".join(f'<th scope="col">{_cell(c)}</th>' for c in frame.columns)

    def cell(i: int, value: object) -> str:
        if row_header and i == 0:
            return f'<th scope="row">{_cell(value)}</th>'
        return f'<td class="kpi-raw">{_cell(value)}</td>' if loose[i] else f"<td>{_cell(value)}</td>"

    body = "".join(
        "<tr>" + "".join(cell(i, v) for i, v in enumerate(row)) + "</tr>"
        for row in frame.itertuples(index=False, name=None)
    )
    return (
        f'<div class="kpi-table-scroll" role="region" aria-labelledby="{caption_id}">'
        f'<table class="kpi-table"><caption id="{caption_id}" class="kpi-visually-hidden">{_cell(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


# A word longer than this (a pasted address, a run of letters) gets a place it may break every CHUNK
# characters (<wbr>, which adds no character to what is read or copied), so it wraps in a narrow column
# while ordinary words, "geography" or "Wolverhampton", are never broken in the middle.
LONG_WORD = 16
CHUNK = 8
_LONG = re.compile(rf"\S{{{LONG_WORD + 1},}}")


def _cell(value: object) -> str:
    """A cell's text, escaped for HTML, long words given places to break; nothing (None, NaN) is empty."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = str(value)
    out, at = [], 0
    for long in _LONG.finditer(text):
        out.append(html.escape(text[at : long.start()], quote=True))
        word = long.group()
        out.append(
            "<wbr>".join(html.escape(word[i : i + CHUNK], quote=True) for i in range(0, len(word), CHUNK))
        )
        at = long.end()
    out.append(html.escape(text[at:], quote=True))
    return "".join(out)


def plain_table(
    frame: pd.DataFrame, key: str, caption: str, *, raw: Iterable[str] = (), row_header: bool = False
) -> None:
    """A short table that must be read in full, as a plain HTML table (html_table) in a container keyed `key`.

    Not a data grid: a grid cannot wrap text, so long cells were cut off, worst on a phone. Here every
    cell wraps, at 320 px too (ui.style, `.kpi-table`). There is no toolbar, so no "Download as CSV"
    of uploaded text either.
    """
    with st.container(key=key):
        st.html(html_table(frame, key, caption, raw=raw, row_header=row_header))


def table_or_cards(frame: pd.DataFrame, key: str, caption: str, *, level: int = 3) -> None:
    """A wide table on a laptop; on a phone the same rows as cards, each headed by its first cell.

    A table of many columns at 320 px either scrolls sideways (a reader loses the row they are on) or
    squeezes every column to a word a line. So the table (show_table, container `tablewide_{key}`) is
    shown above PHONE_MAX_PX and, at or below it, a list (`tablecards_{key}`, named by `caption`) with one
    card a row: the row's first cell as a heading of `level`, then each other column and its value as a
    definition list, one fact a line ("Theme: Affordable housing provision"). ui.style hides one of the
    two with `display: none`, so a screen reader meets the rows once.
    """
    with st.container(key=f"tablewide_{key}"):
        show_table(frame, key=key)
    with st.container(key=f"tablecards_{key}"):
        st.html(cards_html(frame, caption, level=level))


def cards_html(frame: pd.DataFrame, caption: str, *, level: int = 3) -> str:
    """`frame`'s rows as cards (table_or_cards), every heading, name and value escaped."""
    names = [_cell(c) for c in frame.columns[1:]]
    cards = []
    for first, *rest in frame.itertuples(index=False, name=None):
        facts = "".join(
            f"<div><dt>{name}</dt><dd>{_cell(value)}</dd></div>"
            for name, value in zip(names, rest, strict=True)
        )
        cards.append(
            f'<li class="kpi-card"><h{level} class="kpi-card-title">{_cell(first)}</h{level}>'
            f'<dl class="kpi-facts">{facts}</dl></li>'
        )
    # role="list": some screen readers stop calling a list a list once its bullets are styled away.
    return f'<ul class="kpi-cards" role="list" aria-label="{_cell(caption)}">{"".join(cards)}</ul>'


def problem_table(frame: pd.DataFrame, key: str, caption: str) -> None:
    """An upload's problems (metrics.upload.problems_table): every "What to change" read in full (plain_table);
    a report lists at most 200 problems."""
    plain_table(frame, key, caption, raw=("Value as written",))


def template_downloads(
    empty: Any,
    what: str,
    key: str,
    choices: list[tuple[str, str]],
    make: Callable[[str], Any | None],
    *,
    label: str,
    help: str,
    preview: bool = False,
) -> None:
    """An upload template's downloads (metrics.upload.templates): the empty one, then a choice of what to
    pre-fill and the pre-filled one with its notes. `make` returns None where it cannot make one now.

    Keys: `template_{key}_empty`, `template_{key}_choice`, `template_{key}_filled`; with `preview`, the
    periods the rows ask for and the rows themselves (`template_{key}_preview`) under the button.
    """
    _template_button(f"Download the empty {what} (CSV)", empty, f"template_{key}_empty")
    options = dict(choices)
    choice = st.selectbox(
        label, list(options), format_func=options.get, key=f"template_{key}_choice", help=help
    )
    filled = make(choice)
    if filled is None:
        return
    _template_button(
        f"Download the pre-filled {what} ({len(filled.rows)} rows)",
        filled,
        f"template_{key}_filled",
        disabled=filled.rows.empty,
    )
    if preview and not filled.rows.empty:
        st.caption(f"Rows for the next period due: {', '.join(filled.periods)}.")
        with st.expander("See the rows it lists"):
            text_table(filled.rows, f"template_{key}_preview")
    if filled.notes:  # often one per indicator with nothing due: folded, so the page stays short
        with st.expander(f"Indicators with nothing due ({len(filled.notes)})"):
            for note in filled.notes:
                st.caption(note)


def _template_button(label: str, template: Any, key: str, **kwargs: Any) -> None:
    st.download_button(
        label,
        template.data,
        file_name=template.file_name,
        mime="text/csv",
        key=key,
        on_click="ignore",
        **kwargs,
    )


def chart(
    fig: go.Figure,
    description: str,
    data: pd.DataFrame,
    *,
    key: str,
    table_label: str = "Show the data as a table",
) -> None:
    """A chart, its description in visible text, and its numbers as a table in an expander.

    The chart is sent twice, laid out for a laptop (container `wide_{key}`) and for a phone
    (`narrow_{key}`, metrics.charts.narrow), and ui.frame's style shows one of them by the screen's
    width: the server cannot know the width, and Plotly can neither wrap a title nor move labels.
    """
    alt = headline_text(fig) or description[:200]
    with st.container(key=f"chart_{key}"):
        for size, figure in (("wide", fig), ("narrow", _narrow(fig))):
            with st.container(key=f"{size}_{key}"):
                st.plotly_chart(
                    figure,
                    theme=None,  # the house style, not Streamlit's
                    config=PLOTLY_CONFIG,
                    key=f"plot_{key}" if size == "wide" else f"plot_{key}_narrow",
                    alt=alt,
                )
        with st.container(key=f"description_{key}"):
            st.markdown(f"**Chart description:** {plain(description)}")
        if not hasattr(_described, "texts"):
            forget_descriptions()
        _described.texts[clean_text(description)] = f"description_{key}"
        with st.expander(table_label, key=f"table_{key}"):
            show_table(data, key=f"data_{key}")


# The chart descriptions drawn in this run of the page, as the alt text a chart's files carry (metrics.words.
# clean_text), so the alt text offered with the files is not shown a second time (ui.exports.alt_text). Each
# run of a page has its own thread; frame.start empties it at the start of every run.
_described = threading.local()


def forget_descriptions() -> None:
    """Start a run of a page with no chart described yet (ui.frame.start)."""
    _described.texts = {}


def described_as(alt: str) -> str | None:
    """The key of the container where this run drew a chart description that is exactly `alt`, or None."""
    return getattr(_described, "texts", {}).get(alt)


def _narrow(fig: go.Figure) -> go.Figure:
    """The phone's layout of a chart, made once per figure: the wide figures are shared from ui.data's
    cache for a data version, so the narrow one is kept on the figure itself rather than re-made each run."""
    made = getattr(fig, "_kpi_narrow", None)
    if made is None:
        made = narrow(fig)
        fig._kpi_narrow = made
    return made
