"""Upload history: every upload (rejected ones too), what each brought, and undo with a confirmation.

Analysts see their own uploads and admins everyone's (the local analyst sees
all: the store is on their machine); admins also see the audit log. Undo goes
through metrics.upload.undo_as, which checks the role and the owner again.
"""

from __future__ import annotations

import streamlit as st

from metrics import clock, dashboard
from metrics import upload as uploads
from metrics.auth import NotAllowed
from metrics.catalogue import default_catalogue
from metrics.store import StoreBusy, StoreUnavailable
from metrics.upload import UndoRefused
from ui import data, exports, frame, widgets
from ui.text import plain


def table(rows, key: str, **kwargs) -> None:
    """A table in a keyed container (tests and screenshots find it by key); cell text shows as written,
    and Streamlit's own CSV download is never offered (ui.widgets.text_table)."""
    widgets.text_table(rows, key, **kwargs)


WHEN = {"When": st.column_config.DatetimeColumn("When", format="D MMM YYYY, HH:mm")}
VIEWER = (
    "The upload history is for analysts and admins. You are signed in as a viewer, so you can "
    "browse and export; ask an admin if you need to see uploads."
)
BUSY = "The store is busy: another upload or load is being written. Reload the page in a moment."


def busy() -> None:
    st.warning(BUSY)
    frame.stop()


with frame.guard("Upload history"):
    version = frame.start("Upload history")
    user = frame.user()
    catalogue = default_catalogue()

    st.title("Upload history")
    frame.require(user, "upload", viewer=VIEWER)

    done = st.session_state.pop("undo_done", None)
    if done:
        st.success(uploads.undone_text(done, plain(done["file_name"])))

    try:
        rows = uploads.uploads_visible_to(user, dashboard.uploads())
    except StoreBusy:
        busy()
    scope = uploads.history_scope(user)
    st.write(
        f"Showing {plain(scope)}: {len(rows)} upload{'s' if len(rows) != 1 else ''}, newest first, "
        "rejected ones included."
    )
    if not rows:
        st.info("There are no uploads to show yet. Upload a file from the Upload page.")
        frame.stop()
    history = uploads.history_table(rows)
    table(history, "history_table", column_config=WHEN)
    # Streamlit's own download would write file names such as "=HYPERLINK(...)" as they are: these
    # files come from metrics.export, which keeps them as text.
    as_at = uploads.when_text(clock.now())  # both downloads (this and the audit log's) say the page's moment
    exports.table_buttons(
        history, "Upload history", as_at=as_at, key="history_download", sheet_name="Uploads", shows=scope
    )

    # ---------------------------------------------------------------- one upload

    st.header("Open an upload")
    by_id = {r["id"]: r for r in rows}
    ids = list(by_id)
    asked = st.query_params.get("upload")
    if asked is not None and (not asked.isdigit() or int(asked) not in by_id):
        st.warning(f"Upload {plain(asked)} is not in the list above. Choose one from the list.")
    index = ids.index(int(asked)) if asked and asked.isdigit() and int(asked) in by_id else 0

    def _label(upload_id: int) -> str:
        # No outcome here: the browser keeps a chosen option's old label when only the label changes.
        r = by_id[upload_id]
        return f"Upload {upload_id}: {r['file_name']} ({clock.long_date(r['uploaded_at'].date())})"

    selected = st.selectbox("Upload", ids, index=index, format_func=_label, key="history_upload")
    if st.query_params.get("upload") != str(selected):
        st.query_params["upload"] = str(selected)

    try:
        up, kind, frame_rows = uploads.upload_values(selected)
    except StoreBusy:
        busy()
    if up is None:
        st.error(f"Upload {selected} is no longer in the store.")
        frame.stop()

    st.subheader(f"Upload {selected}")
    facts = uploads.upload_facts(up)
    # Every fact in view and read in full, at 320 px too (a grid cut the SHA-256 and long file names).
    widgets.plain_table(facts, "history_facts", f"Upload {selected}", raw=("Value",), row_header=True)

    if up["outcome"] == "rejected":
        problems = uploads.stored_problems(up)
        st.write(
            f"This file was rejected with {len(problems)} problem{'s' if len(problems) != 1 else ''}, so nothing from it was written."
        )
        widgets.problem_table(
            uploads.problems_table(problems),
            "history_problems",
            f"Problems in upload {selected} ({len(problems)})",
        )
    else:
        st.write(
            f"The {'statuses' if kind == 'action_status' else 'values'} this upload brought "
            f"({len(frame_rows)}; a row sent again unchanged is kept as a confirmation of the value already held, "
            "so undoing an earlier upload never withdraws it):"
        )
        table(uploads.upload_values_table(kind, frame_rows, catalogue), "history_values")

    # ---------------------------------------------------------------- undo

    if up["outcome"] == "committed":
        st.subheader("Undo this upload")
        pending = st.session_state.get("undo_pending")
        if pending != selected:
            st.write(
                "Undoing withdraws the values this upload brought: each goes back to its value before the upload. "
                "You will see what changes before anything is undone."
            )
            if st.button(f"Undo upload {selected}", key="undo_start"):
                st.session_state["undo_pending"] = selected
                st.rerun()
        else:
            try:
                changes = uploads.undo_changes(selected, catalogue=catalogue)
            except UndoRefused as exc:
                st.session_state.pop("undo_pending", None)
                st.error(plain(exc))
                changes = None
            except StoreBusy:
                st.warning(BUSY)
                changes = None
            if changes is not None:
                moving, same = changes.moving, changes.kept
                also = ""
                if same:
                    one = same == 1
                    also = (
                        f" {same} more {'was' if one else 'were'} only sent again unchanged: "
                        f"{'it keeps its' if one else 'they keep their'} value, from the earlier upload."
                    )
                st.warning(
                    f"**Undo upload {selected}?** {moving} value{'s' if moving != 1 else ''} will go back as the table "
                    f"shows.{also} The upload stays in the history, marked undone."
                )
                table(changes.table, "undo_changes")
                yes, no, _ = st.columns([1, 1, 3])
                if yes.button(f"Yes, undo upload {selected}", type="primary", key="undo_confirm"):
                    try:
                        result = uploads.undo_as(user, selected)
                    except (NotAllowed, UndoRefused) as exc:
                        st.session_state.pop("undo_pending", None)
                        st.error(plain(exc))
                    except StoreBusy:
                        st.error(
                            "The store is busy with another upload, so nothing was undone. Try again in a moment."
                        )
                    except StoreUnavailable as exc:
                        st.error(f"Nothing was undone: {plain(exc)}")
                    else:
                        data.clear()
                        st.session_state.pop("undo_pending", None)
                        st.session_state["undo_done"] = {
                            "upload_id": result["upload_id"],
                            "file_name": result["file_name"],
                            "changed": moving,
                        }
                        st.rerun()
                if no.button("Cancel", key="undo_cancel"):
                    st.session_state.pop("undo_pending", None)
                    st.rerun()
    elif up["outcome"] == "undone":
        st.info(
            f"This upload was undone by {plain(up['undone_by'])}. Its values are kept in the history but no longer shown."
        )

    # ---------------------------------------------------------------- audit log (admins)

    if user.can("audit_log"):
        st.header("Audit log")
        st.write(
            "Every write to the store, newest first: uploads committed or rejected, and undos, with who and when."
        )
        try:
            log = uploads.audit_log(user)
        except StoreBusy:
            busy()
        table(log, "audit_log", column_config=WHEN)
        exports.table_buttons(log, "Audit log", as_at=as_at, key="audit_download", sheet_name="Audit log")

    frame.footer()
