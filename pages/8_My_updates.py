"""My updates: what a signed-in owner owes for the quarter, their commentary, and the admins' sign-off.

Owners see their indicators and actions for the quarter being reported (figures, statuses, commentary,
and which are late), write commentary from a draft made from the data, and submit it. Admins and named
approvers approve or return what is submitted, see the completion table by theme and owner, change
owners, and read the alerts the dashboard has sent. Every rule is in metrics.cycle; this page reads,
calls and shows.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics import clock
from metrics.auth import NotAllowed, load_roles
from metrics.catalogue import default_catalogue
from metrics.cycle import alerts, due
from metrics.cycle import commentary as notes
from metrics.cycle.draft import action_draft, draft
from metrics.cycle.locks import quarter_lock
from metrics.cycle.owners import OwnerRefused, owns, set_owner, subjects
from metrics.store import StoreBusy
from metrics.words import verdict_label
from ui import data, frame, widgets
from ui.text import plain

VIEWER = (
    "My updates is for the owners of indicators and actions, and for admins. You are signed in as a viewer, "
    "so you can browse and export; ask an admin if you own an indicator or action."
)

with frame.guard("My updates"):
    version = frame.start("My updates")
    user = frame.user()
    catalogue = default_catalogue()
    roles = load_roles()
    st.title("My updates")
    frame.require(user, "upload", viewer=VIEWER)
    q = data.quarter_items(version, clock.today().isoformat())
    when = "were due" if q.late else "are due"
    st.write(
        f"Updates for **{q.period.label}** ({clock.long_date(q.period.start)} to {clock.long_date(q.period.end)}) "
        f"{when} by {clock.long_date(q.due)}: figures or statuses, and commentary on what happened, why, and what "
        "happens next. Commentary is needed in full where the verdict is at risk, off track or missed."
    )
    done = st.session_state.pop("cycle_done", None)
    if done:
        st.success(done)

    mine = due.mine(q, user, roles)
    st.header("What you own")
    if not mine:
        st.info("You own no indicator or action this quarter. An admin can make you an owner below.")
    else:
        rows = pd.DataFrame(
            [
                {  # the state first, so a phone shows it without scrolling sideways
                    "Done": "Yes" if i.done else ("Late" if q.late else "Not yet"),
                    "Commentary": due.COMMENTARY_WORDS.get(i.commentary, i.commentary),
                    "Verdict": verdict_label(i.verdict) if i.verdict else "",
                    "Indicator or action": i.subject.name,
                    "Figures": i.figures,
                    "Needed in full": "Yes" if i.commentary_required else "",
                }
                for i in mine
            ]
        )
        widgets.text_table(
            rows,
            "my_items",
            # Wide enough for "Submitted, awaiting approval" and an action's opening words.
            column_config={
                "Commentary": st.column_config.TextColumn(width="medium"),
                "Indicator or action": st.column_config.TextColumn(width="large"),
            },
        )

        st.header("Write commentary")
        labels = {f"{i.subject.kind}:{i.subject.id}": i.subject.name for i in mine}
        chosen = st.selectbox(
            "Indicator or action", list(labels), format_func=lambda k: plain(labels[k]), key="cycle_subject"
        )
        item = next(i for i in mine if f"{i.subject.kind}:{i.subject.id}" == chosen)
        kind, sid = item.subject.kind, item.subject.id
        history = notes.versions(kind, sid, q.period)
        lock = quarter_lock(q.period.start)
        if lock:
            st.warning(
                f"{q.period.label} was presented to the {plain(lock.board)} on {clock.long_date(lock.presented_on)}. "
                "You can still change its commentary; the new version is marked as revised since it was presented."
            )
        if history:
            start = history[-1]
            texts = (start.happened, start.why, start.next_steps)
            if start.state == "returned" and start.note:
                st.info(f"Returned for changes: {plain(start.note)}")
        elif kind == "indicator":
            d = draft(data.show(catalogue.indicator(sid), None, None, version, clock.today().isoformat()))
            texts = (d.happened, d.why, d.next_steps)
            st.caption("A draft written from the figures: check it and say what happens next.")
        else:
            d = action_draft(data.action_statuses(version).get(sid, []), q.period.label)
            texts = (d.happened, d.why, d.next_steps)
            st.caption("A draft written from the latest status: check it and say why and what happens next.")
        with st.form("commentary_form"):
            happened = st.text_area("What happened", value=texts[0], max_chars=1000)
            why = st.text_area("Why", value=texts[1], max_chars=1000)
            next_steps = st.text_area("What happens next", value=texts[2], max_chars=1000)
            save = st.form_submit_button("Save draft")
            submit = st.form_submit_button("Submit for approval", type="primary")
        if save or submit:
            try:
                saved = notes.write(
                    user, kind, sid, q.period, happened=happened, why=why, next_steps=next_steps, submit=submit,
                    verdict=item.verdict, may_write=owns(user, item.owner, roles) or user.role == "admin",
                    locked_by_pack=lock.board_pack_id if lock else None,
                )  # fmt: skip
            except (notes.CommentaryRefused, NotAllowed) as exc:
                st.error(str(exc))
            except StoreBusy:
                st.warning("The store is busy: another upload is being written. Try again in a moment.")
            else:
                data.clear()
                st.session_state["cycle_done"] = (
                    f"Version {saved.version} {'submitted for approval' if submit else 'saved as a draft'}."
                )
                st.rerun()
        if history:
            with st.expander(f"Every version ({len(history)})"):
                widgets.text_table(
                    pd.DataFrame(
                        [{"Version": c.version, "State": c.state, "By": c.author,
                          "When": c.written_at.strftime("%d %b %Y %H:%M"), "Note": c.note or ""} for c in history]
                    ),
                    "commentary_versions",
                )  # fmt: skip

    if user.local and any(i.commentary == "submitted" for i in q.items):
        st.info(
            "Commentary waiting for approval needs a second person: an admin or a named approver who did not write "
            "it. This dashboard runs for one person on this machine; set up sign-in (docs/deploy.md) for sign-off."
        )
    if user.role == "admin" or user.id.strip().casefold() in roles.approvers:
        st.header("Awaiting approval")
        waiting = [i for i in q.items if i.commentary == "submitted"]
        if not waiting:
            st.write("Nothing is waiting for approval.")
        for i in waiting:
            latest = notes.versions(i.subject.kind, i.subject.id, q.period)[-1]
            with st.expander(f"{plain(i.subject.name)} (by {plain(latest.author)})"):
                st.markdown(f"**What happened:** {plain(latest.happened)}")
                st.markdown(f"**Why:** {plain(latest.why)}")
                st.markdown(f"**What happens next:** {plain(latest.next_steps)}")
                note = st.text_input(
                    "What to change (to return it)", key=f"note_{i.subject.kind}_{i.subject.id}"
                )
                approve = st.button("Approve", key=f"approve_{i.subject.kind}_{i.subject.id}", type="primary")
                back = st.button("Return for changes", key=f"return_{i.subject.kind}_{i.subject.id}")
                if approve or back:
                    try:
                        notes.decide(
                            user,
                            i.subject.kind,
                            i.subject.id,
                            q.period,
                            approve=approve,
                            note=note,
                            roles=roles,
                        )
                    except (notes.CommentaryRefused, NotAllowed) as exc:
                        st.error(str(exc))
                    else:
                        data.clear()
                        st.session_state["cycle_done"] = (
                            f"{i.subject.name}: {'approved' if approve else 'returned'}."
                        )
                        st.rerun()

    if user.role == "admin" or user.local:
        st.header("Completion by theme and owner")
        widgets.text_table(pd.DataFrame(due.completion(q, catalogue)), "completion_table")
        st.header("Change an owner")
        every = {f"{s.kind}:{s.id}": s.name for s in subjects(catalogue)}
        with st.form("owner_form"):
            which = st.selectbox("Indicator or action", list(every), format_func=lambda k: plain(every[k]))
            owner = st.text_input("New owner: an e-mail address or a team's name")
            change = st.form_submit_button("Change the owner")
        if change:
            kind, sid = which.split(":", 1)
            try:
                set_owner(user, kind, sid, owner)
            except (OwnerRefused, NotAllowed) as exc:
                st.error(str(exc))
            else:
                data.clear()
                st.session_state["cycle_done"] = f"{every[which]} is now owned by {owner.strip()}."
                st.rerun()
        st.header("Alerts")
        sent = alerts.recent()
        if not sent:
            st.write("No alert has been sent yet.")
        else:
            widgets.text_table(
                pd.DataFrame(
                    [{"When": r["created_at"].strftime("%d %b %Y %H:%M"), "What": r["subject"],
                      "To": ", ".join(r["recipients"]), "How": "E-mail" if r["delivery"] == "smtp" else "In the app only",
                      "Problem": r["error"] or ""} for r in sent]
                ),
                "alerts_table",
            )  # fmt: skip
    frame.footer()
