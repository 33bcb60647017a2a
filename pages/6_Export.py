"""Export: a board pack for one theme or the whole objective, the packs as presented, and any chart's files.

Thin: metrics.export.build builds the pack (the same code as `kpi export pack`),
metrics.export.archive keeps it in the "as presented" archive when asked and rebuilds
a kept pack from the data as it then stood. Any view the Indicator page shows (a place, a breakdown,
the seven authorities, the tile map, the SCF schemes) comes from metrics.export.view_files, as `kpi export
chart|data --by VIEW` writes it. Without Chromium the pack and chart buttons say so and
are switched off; the data downloads still work.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from metrics import clock, export
from metrics.auth import NotAllowed
from metrics.catalogue import default_catalogue
from metrics.export.archive import archive, keep_as, rebuild
from metrics.export.build import build_pack
from metrics.export.pack import PackRefused
from metrics.store import StoreBusy, StoreUnavailable
from ui import auth, data, frame, widgets
from ui.exports import any_view, chart_problem, export_buttons, file_button
from ui.text import plain

FORMATS = {"pptx": "PowerPoint (.pptx): slides", "docx": "Word (.docx): an accessible document"}
WHOLE = ""

with frame.guard("Export"):
    version = frame.start("Export")
    user = frame.user()
    catalogue = default_catalogue()
    themes = {t.id: t.name for t in catalogue.themes}
    fresh = data.freshness(version)

    st.title("Export for board papers")
    st.markdown(
        "Take the dashboard's figures into a board paper: a board pack of slides or a Word document, or one "
        "indicator's chart and the data behind it. Every file says where its figures come from, when the data "
        "is as at, and which uploads it was built from, so it can be built again from the same data."
    )
    problem = chart_problem()

    # --- the board pack -----------------------------------------------------------------------------------

    st.header("Board pack")
    st.markdown(
        "A cover, a summary of every theme's status, then for each theme its actions and a page for each "
        "headline indicator (those with a target, else the theme's first two) with its chart and a short "
        "commentary worked out from the figures. The Word version has real headings, alt text on every chart "
        "and each chart's data as a table."
    )
    if problem is not None:
        st.warning(
            plain(problem.replace("Charts cannot be saved as PNG or SVG", "The board pack cannot be built")),
            icon="⚠️",
        )

    with st.form("pack_form", border=True):
        theme_id = st.selectbox(
            "What the pack covers",
            [WHOLE, *themes],
            format_func=lambda t: (
                "The whole objective (every theme)" if t == WHOLE else f"Theme: {themes[t]}"
            ),
            key="pack_theme",
        )
        fmt = st.radio("Format", list(FORMATS), format_func=FORMATS.get, key="pack_format", horizontal=True)
        # Keeping a pack writes to the store: not where the dashboard is read-only (no sign-in, served
        # beyond this machine).
        keep, board, presented_on = False, "", None
        if auth.is_read_only(user):
            st.caption(
                "Keeping a pack in the archive is switched off: this dashboard is read-only because no "
                "sign-in is set up."
            )
        elif not user.can("upload"):
            st.caption(
                "Keeping a pack in the archive is for analysts and admins: you are signed in as a viewer, so "
                "you can build and download packs."
            )
        else:
            keep = st.checkbox(
                "Keep it in the archive as presented to a board",
                key="pack_keep",
                help="The archive lists what was presented on which date, and can build any of them again.",
            )
            board = st.text_input(
                "Board or meeting (when kept)", key="pack_board", placeholder="For example, WMCA Board"
            )
            presented_on = st.date_input(
                "Date presented (when kept)",
                value=clock.today(),
                key="pack_presented_on",
                format="DD/MM/YYYY",
            )
        build = st.form_submit_button("Build the board pack", type="primary", disabled=problem is not None)

    if build:
        if keep and not board.strip():
            st.error(
                "Enter the board or meeting the pack is presented to, or untick 'Keep it in the archive'."
            )
        else:
            try:
                with st.spinner("Building the board pack: drawing each chart takes a moment."):
                    pack = build_pack(theme_id or None, fmt)
                kept = None
                if keep and not auth.is_read_only(user):
                    kept = keep_as(user, pack, board=board, presented_on=presented_on or clock.today())
                st.session_state["export_pack"] = {
                    "file_name": pack.file_name,
                    "data": pack.data,
                    "fmt": pack.fmt,
                    "title": pack.title,
                    "footer": pack.provenance.footer(pack.fmt),
                    "kept": kept,
                    "board": board.strip(),
                    "presented_on": presented_on,
                }
            except (export.NoChromium, export.RenderFailed, PackRefused) as exc:
                st.error(plain(exc))
            except (StoreBusy, StoreUnavailable, NotAllowed) as exc:
                st.error(plain(exc))

    built = st.session_state.get("export_pack")
    if built:
        with st.container(border=True, key="pack_result"):
            kept_text = ""
            if built["kept"]:
                when = built["presented_on"]
                when_text = clock.long_date(when) if isinstance(when, dt.date) else str(when)
                kept_text = (
                    f" It is kept in the archive as presented to {plain(built['board'])} on {when_text}."
                )
            st.success(f"The board pack '{plain(built['title'])}' is ready.{kept_text}")
            st.caption(plain(built["footer"]))
            file_button(f"Download the board pack ({built['fmt']})", built, key="pack_download", primary=True)

    # --- the archive --------------------------------------------------------------------------------------

    st.header("Packs as presented")
    try:
        kept_packs = archive()
    except StoreUnavailable as exc:
        kept_packs = []
        st.error(plain(exc))
    if not kept_packs:
        st.info(
            "No packs have been kept yet. Tick 'Keep it in the archive' when you build a pack for a board."
        )
    else:
        rows = [
            {
                "Pack": r["id"],
                "Presented on": clock.long_date(r["presented_on"]),
                "Board or meeting": r["board"],
                "Covers": themes.get(r["theme_id"], "The whole objective")
                if r["theme_id"]
                else "The whole objective",
                "Format": r["format"],
                "Data as at upload": r["as_of_upload"],
                "Statuses judged at": clock.long_date(r["status_date"]),
                "Kept by": r["built_by"],
            }
            for r in kept_packs
        ]
        widgets.text_table(rows, "archive_table")  # board names are typed in: no unescaped CSV
        labels = {
            r["id"]: f"Pack {r['id']}: {r['board']}, {clock.long_date(r['presented_on'])} ({r['format']})"
            for r in kept_packs
        }
        chosen = st.selectbox(
            "Pack to build again", list(labels), format_func=labels.get, key="rebuild_choice"
        )
        if st.button("Build it again from the same data", key="rebuild", disabled=problem is not None):
            try:
                with st.spinner("Building the pack again from the data as it stood."):
                    again, rec = rebuild(chosen)
                st.session_state["export_rebuilt"] = {
                    "id": chosen,
                    "file_name": again.file_name,
                    "data": again.data,
                    "fmt": again.fmt,
                    "same": again.sha256 == rec["sha256"],
                }
            except (export.NoChromium, export.RenderFailed, PackRefused) as exc:
                st.error(plain(exc))
        rebuilt = st.session_state.get("export_rebuilt")
        if rebuilt:
            with st.container(border=True, key="rebuild_result"):
                if rebuilt["same"]:
                    st.success(
                        f"Pack {rebuilt['id']} is built again: it is identical to the file kept on the day."
                    )
                else:
                    st.warning(
                        f"Pack {rebuilt['id']} is built again from the same uploads, but the file differs from the "
                        "one kept on the day: the indicator catalogue or the dashboard's software has changed since."
                    )
                file_button(
                    f"Download pack {rebuilt['id']} ({rebuilt['fmt']})", rebuilt, key="rebuild_download"
                )

    # --- one indicator ------------------------------------------------------------------------------------

    st.header("One indicator's chart and data")
    st.markdown(
        "Any chart the Indicator page draws, for any place and breakdown, as an image for a paper with its alt "
        "text, and the numbers behind it. The `kpi export chart` and `kpi export data` commands write the same "
        "files (with --geography, --breakdown and --by)."
    )
    chart, table = any_view(catalogue, version, clock.today().isoformat(), key="export")
    export_buttons(chart, table, key="indicator_export")

    frame.footer()
