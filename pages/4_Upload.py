"""Upload: templates, a check of the file (dry run), a preview of what changes, then one confirmed write.

Thin: metrics.upload.templates makes the templates, metrics.upload checks and writes as
the signed-in user (refusing viewers itself), and this page only renders. Text
from the file (names, notes) goes into tables or through ui.text.plain, never
into Markdown as written.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import streamlit as st

from metrics import settings
from metrics import upload as uploads
from metrics.auth import NotAllowed
from metrics.catalogue import default_catalogue
from metrics.cycle import alerts
from metrics.store import StoreBusy, StoreUnavailable
from metrics.upload import templates
from ui import data, frame, widgets
from ui.text import plain

PAGES = Path(__file__).resolve().parent
INDICATOR_PAGE = PAGES / "2_Indicator.py"
HISTORY_PAGE = "pages/5_Upload_history.py"
VIEWER = (
    "You are signed in as a viewer, so you can browse and export but not upload. If you send "
    "the quarterly figures, ask an admin to add you as an analyst."
)
SUMMARY_LIMIT = 10  # problems listed in the summary at the top; the table below has them all


def table(rows, key: str, **kwargs) -> None:
    """A table in a keyed container (tests and screenshots find it by key); cell text shows as written,
    and Streamlit's own CSV download is never offered (ui.widgets.text_table)."""
    widgets.text_table(rows, key, **kwargs)


def prefilled(make, choice: str) -> templates.Template | None:
    """A pre-filled template, or a note when another load holds the store (the rest of the page still works)."""
    try:
        return make(choice, catalogue=catalogue)
    except StoreBusy:
        st.caption(
            "The pre-filled template is not available while another load is being written. Reload in a moment."
        )
        return None


def check_and_confirm(user, version: int, summary) -> None:
    """Steps 1 to 3: the chosen file checked, then its problems, or what it would change and the one write.

    Returns where the page has said all it can about the file, so the templates still follow.
    """
    st.header("1. Check your file")
    # Streamlit refuses a file over server.maxUploadSize in the browser, with only a red mark and a
    # screen-reader alert. The chooser lets through everything Streamlit accepts, so a file over the
    # setting (kept at or below that) reaches the check and gets its message; the limit is also stated here.
    server_mb = int(st.get_option("server.maxUploadSize"))
    limit_mb = min(settings.max_upload_mb(), float(server_mb))
    attempt = st.session_state.setdefault("upload_attempt", 0)
    chosen = st.file_uploader(
        "Choose a CSV or Excel (.xlsx) file",
        type=["csv", "xlsx"],
        key=f"upload_file_{attempt}",
        max_upload_size=server_mb,
        help="An Excel workbook is read from its first sheet.",
    )
    st.caption(
        f"The largest file accepted is {limit_mb:g} MB. A larger file is refused when you choose it (it shows "
        "a red mark and is not checked): split it into smaller files, for example one per theme."
    )
    if chosen is None:
        st.caption("The file is checked as soon as you choose it. Nothing is written until you confirm.")
        st.session_state.pop("upload_check", None)
        return

    content = chosen.getvalue()
    file_key = (chosen.name, hashlib.sha256(content).hexdigest())
    state = st.session_state.get("upload_check")
    stale = (
        state is None
        or state["file"] != file_key
        # a clean file's preview is compared with the store as it is now; a rejected file's errors do not depend on it
        or (state["report"].status == "dry_run" and state["version"] != version)
    )
    if stale:
        try:
            with st.spinner("Checking the file"):
                report = uploads.check_as(user, content, chosen.name)
        except NotAllowed as exc:
            st.error(plain(exc))
            return
        except StoreBusy:
            st.error(
                "The store is busy with another upload or load, so the file could not be checked yet. Your file "
                "is still chosen: check it again in a moment."
            )
            st.button("Check again", key="upload_check_again")  # any press reruns the page, and the check
            return
        except StoreUnavailable as exc:
            st.error(f"The file could not be checked: {plain(exc)}")
            return
        if report.status == "rejected":
            data.clear()  # the rejected attempt is now in the upload history
        state = {
            "file": file_key,
            "report": report,
            "version": data.version() if report.status == "rejected" else version,
        }
        st.session_state["upload_check"] = state
    report = state["report"]

    if report.status == "rejected":
        show_problems(report, content, chosen.name, summary)
        return
    show_changes(report)
    confirm(report, state, content, chosen.name, attempt)


def show_problems(report, content: bytes, file_name: str, summary) -> None:
    """A rejected file: the error summary at the top, every problem, and the file back with an error column."""
    n = len(report.errors)
    listed = [
        f"- {'Line ' + str(p.line) if p.line is not None else 'The whole file'}"
        f"{', ' + plain(p.column) if p.column else ''}: {plain(p.message)}"
        for p in report.errors[:SUMMARY_LIMIT]
    ]
    if n > SUMMARY_LIMIT:
        listed.append(f"- and {n - SUMMARY_LIMIT} more in the table below")
    frame.title("Upload quarterly figures", error=True)  # GOV.UK: "Error: " in the title while it reports
    with summary:
        frame.focus_here("upload_summary", f"rejected{report.upload_id}")  # the error summary gets focus
        st.error(
            f"**There {'is 1 problem' if n == 1 else f'are {n} problems'} with this file.** Nothing was "
            "written. Change what the list says and choose the file again; your file stays chosen until you "
            "do.\n\n" + "\n".join(listed)
        )
    st.subheader(f"Problems to fix ({n})")
    widgets.problem_table(uploads.problems_table(report.errors), "upload_errors", f"Problems to fix ({n})")
    annotated = uploads.annotated_file(content, file_name, report.errors)
    if annotated:
        blob, name, mime = annotated
        st.download_button(
            "Download your file with an error column",
            blob,
            file_name=name,
            mime=mime,
            key="upload_errors_file",
            on_click="ignore",
            help="Your own rows with each problem next to the row. Fix them in Excel, delete the error column, "
            "save and choose the file again.",
        )
    if report.warnings:
        st.subheader(f"Also worth checking ({len(report.warnings)})")
        widgets.problem_table(
            uploads.problems_table(report.warnings),
            "upload_warnings_rejected",
            f"Also worth checking ({len(report.warnings)})",
        )
    st.caption(f"This attempt is recorded as upload {report.upload_id} (rejected) in the upload history.")


def show_changes(report) -> None:
    """A clean file: what it would add, revise and leave unchanged, and what to look at before confirming."""

    with st.container(key="upload_result"):
        frame.focus_here("upload_result", f"checked{id(report)}")  # focus goes to the result of the check
        st.header("2. Check what will change")
        st.write(
            f"The file has {report.rows} row{'s' if report.rows != 1 else ''}: {report.inserted} to add, "
            f"{report.revised} to revise and {report.unchanged} unchanged. Nothing has been written yet."
        )
    to_check = report.warnings + report.notices
    if to_check:
        st.warning(
            f"**{len(to_check)} thing{'s' if len(to_check) != 1 else ''} to check before you confirm.** "
            "These are not errors: the file can be uploaded as it is."
        )
        widgets.problem_table(
            uploads.problems_table(to_check),
            "upload_warnings",
            f"Things to check before you confirm ({len(to_check)})",
        )
    tables = uploads.preview_tables(report, catalogue)
    labels = [
        f"To add ({report.inserted})",
        f"To revise ({report.revised})",
        f"Unchanged ({report.unchanged})",
    ]
    counts = (report.inserted, report.revised, report.unchanged)
    # Open on the first tab with rows: a file of revisions only opened on an empty "To add (0)", which read
    # as if the file held nothing.
    opened = next((label for label, n in zip(labels, counts, strict=True) if n), labels[0])
    added_tab, revised_tab, unchanged_tab = st.tabs(labels, default=opened)
    for tab, key, empty_text in (
        (added_tab, "inserted", "No new values."),
        (revised_tab, "revised", "No values change."),
        (unchanged_tab, "unchanged", "Every row changes something."),
    ):
        with tab:
            if tables[key].empty:
                st.caption(empty_text)
            else:
                table(tables[key], f"upload_preview_{key}")


def confirm(report, state: dict, content: bytes, file_name: str, attempt: int) -> None:
    """The one confirmed write, checked against the store as it is now."""

    st.header("3. Confirm")
    changes = report.inserted + report.revised
    if changes == 0:
        st.info("Every row matches the current figures, so there is nothing to write.")
        return
    st.write("One write: every row goes in together, or none does. You can undo it from the upload history.")
    if st.button(
        f"Confirm and write {changes} value{'s' if changes != 1 else ''}",
        type="primary",
        key="upload_confirm",
    ):
        try:
            if data.version() != state["version"]:
                # Someone else uploaded since the check: show the preview against the figures as they are now.
                st.session_state.pop("upload_check", None)
                st.rerun()
            with st.spinner("Writing"):
                result = uploads.commit_as(user, content, file_name)
        except NotAllowed as exc:
            st.error(plain(exc))
        except StoreBusy as exc:
            st.error(
                "The store is busy with another upload, so nothing was written. Your file is still chosen: "
                f"confirm again in a moment. ({plain(exc)})"
            )
        except StoreUnavailable as exc:
            st.error(f"Nothing was written: {plain(exc)}")
        else:
            if result.status == "committed":
                data.clear()
                alerts.after_upload_in_background(result.upload_id)  # the verdicts it turned, to their owners
                first = (
                    result.preview.iloc[0]
                    if result.preview is not None and not result.preview.empty
                    else None
                )
                st.session_state["upload_done"] = {
                    "upload_id": result.upload_id,
                    "file_name": result.file_name,
                    "rows": result.rows,
                    "inserted": result.inserted,
                    "revised": result.revised,
                    "unchanged": result.unchanged,
                    "indicator": first["indicator_id"]
                    if first is not None and result.kind == "values"
                    else None,
                    "geography": first["geography_code"]
                    if first is not None and result.kind == "values"
                    else None,
                }
                st.session_state.pop("upload_check", None)
                st.session_state["upload_attempt"] = attempt + 1  # a fresh file chooser for the next file
                st.rerun()
            else:
                st.session_state.pop("upload_check", None)
                st.error(
                    "The file no longer passes the checks, so nothing was written. Choose it again to see why."
                )


with frame.guard("Upload"):
    version = frame.start("Upload")
    user = frame.user()
    catalogue = default_catalogue()

    st.title("Upload quarterly figures")
    # The error summary goes at the top of the page (GOV.UK error summary), and gets focus.
    summary = st.container(key="upload_summary")

    frame.require(user, "upload", viewer=VIEWER)

    done = st.session_state.pop("upload_done", None)
    if done:
        st.success(uploads.committed_text(done, plain(done["file_name"])))
        st.page_link(
            HISTORY_PAGE,
            label=f"See upload {done['upload_id']} in the upload history",
            query_params={"upload": str(done["upload_id"])},
        )
        if done.get("indicator") and INDICATOR_PAGE.exists():
            shown = catalogue.indicator(done["indicator"])
            # A comparator (England...) is not a place the Indicator page shows yet: link to the whole area.
            place = catalogue.resolve_geography(done["geography"]) or catalogue.combined_authority
            st.page_link(
                "pages/2_Indicator.py",
                label=f"See {plain(shown.short_name)} for {plain(place.name)} on the Indicator page",
                query_params={"indicator": done["indicator"], "geography": place.code},
            )

    st.write(
        "Choose your file and it is checked at once; then see what will change and confirm. Nothing is "
        "written until you confirm, and any upload can be undone from the upload history. The templates "
        "are below the check."
    )

    check_and_confirm(user, version, summary)

    # ---------------------------------------------------------------- templates

    st.header("Get a template")
    values_col, status_col = st.columns(2)
    with values_col:
        st.subheader("Indicator values")
        widgets.template_downloads(
            templates.empty_values(),
            "template",
            "values",
            templates.value_choices(catalogue),
            lambda choice: prefilled(templates.prefilled_values, choice),
            label="Pre-fill for a theme or an indicator",
            help="Lists each indicator's places and breakdowns against the next period due, so you fill in numbers only.",
            preview=True,
        )
    with status_col:
        st.subheader("Action status")
        widgets.template_downloads(
            templates.empty_action_status(),
            "action status template",
            "status",
            templates.action_choices(catalogue),
            lambda choice: prefilled(templates.prefilled_action_status, choice),
            label="Pre-fill for a theme",
            help="Lists each action against the next quarter due; write a status for each: "
            "not_started, on_track, at_risk, off_track or complete.",
        )

    frame.footer()
