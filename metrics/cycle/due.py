"""What each owner owes for the quarter being reported: figures, action statuses, commentary, and which are late.

The quarter is the newest financial quarter that has ended (metrics.cycle.rules); its updates are due
`due_days` after it ends. For an indicator: figures are due when a whole period after its latest has
ended (the upload templates' rule, metrics.upload.templates.due_period), and commentary for the
quarter (required in full where the verdict is at risk, off track or missed). For an action: a status
for the quarter, and commentary. Done means approved commentary, and figures or a status in hand.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from metrics import clock
from metrics.asof import Db
from metrics.auth import RoleConfig
from metrics.catalogue import Catalogue, default_catalogue
from metrics.cycle import commentary as notes
from metrics.cycle.owners import Subject, current_owners, subjects
from metrics.cycle.rules import CycleRules, cycle_rules
from metrics.periods import Period, period_for_date
from metrics.store import connect, fetch_dicts
from metrics.upload.templates import due_period

COMMENTARY_WORDS = {
    "approved": "Approved",
    "submitted": "Submitted, awaiting approval",
    "draft": "Draft",
    "returned": "Returned for changes",
    None: "Not started",
}


@dataclass(frozen=True)
class DueItem:
    subject: Subject
    owner: str
    verdict: str | None
    figures: str  # "in hand", "due: 2026-27 Q2", or "not expected"
    figures_due: bool
    commentary: str | None  # the latest state, None when nothing is written
    commentary_required: bool

    @property
    def done(self) -> bool:
        return self.commentary == "approved" and not self.figures_due


@dataclass(frozen=True)
class Quarter:
    period: Period
    due: dt.date
    late: bool  # today is after the due date
    items: list[DueItem]


def quarter_items(
    *,
    db: Db = None,
    catalogue: Catalogue | None = None,
    today: dt.date | None = None,
    rules: CycleRules | None = None,
    verdicts: dict[str, str] | None = None,
) -> Quarter:
    """Every indicator's and action's updates for the quarter being reported on `today`. `verdicts`: each
    indicator's verdict where the caller has them already (the dashboard assesses them once per data
    version, ui.data.verdicts); otherwise they are assessed here."""
    from metrics.dashboard import action_statuses, all_progress

    catalogue = catalogue or default_catalogue()
    rules = rules or cycle_rules()
    today = today or clock.today()
    quarter = rules.quarter(today)
    owners = current_owners(db=db, catalogue=catalogue, rules=rules)
    written = notes.latest(quarter, db=db)
    with connect(db, read_only=True) as con:
        held = {r["indicator_id"]: r["latest_end"] for r in fetch_dicts(con, "indicators_with_data", {})}
    verdicts = {
        k: s.progress.verdict for k, s in all_progress(db=db, today=today, catalogue=catalogue).items()
    }
    statuses = action_statuses(db=db)
    items = []
    for s in subjects(catalogue):
        c = written.get((s.kind, s.id))
        if s.kind == "indicator":
            ind = catalogue.indicator(s.id)
            latest = held.get(s.id)
            latest_period = period_for_date(latest, ind.frequency, ind.year_type) if latest else None
            due = due_period(ind.frequency, ind.year_type, latest_period, today)
            ended = ind.ends is not None and due is not None and due.start > ind.ends
            figures_due = due is not None and not ended
            figures = f"due: {due.label}" if figures_due else "in hand"
            verdict = verdicts.get(s.id)
        else:
            history = statuses.get(s.id) or []
            figures_due = not any(h["period_start"] == quarter.start for h in history)
            figures = f"status due: {quarter.label}" if figures_due else "status in hand"
            verdict = None
        items.append(
            DueItem(
                s,
                owners[(s.kind, s.id)],
                verdict,
                figures,
                figures_due,
                c.state if c else None,
                verdict in rules.required_for,
            )  # fmt: skip
        )
    return Quarter(quarter, rules.due(quarter), today > rules.due(quarter), items)


def mine(q: Quarter, user, roles: RoleConfig) -> list[DueItem]:
    """The items a signed-in person owns (or whose team they are in); everything for the local analyst."""
    from metrics.cycle.owners import owns

    return [i for i in q.items if owns(user, i.owner, roles)]


def completion(q: Quarter, catalogue: Catalogue) -> list[dict]:
    """Per theme and owner: how many items, how many done, commentary approved and awaiting, figures due."""
    groups: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for i in q.items:
        c = groups[(i.subject.theme, i.owner)]
        c["items"] += 1
        c["done"] += i.done
        c["approved"] += i.commentary == "approved"
        c["awaiting"] += i.commentary == "submitted"
        c["figures due"] += i.figures_due
    names = {t.id: t.name for t in catalogue.themes}
    return [
        {"Theme": names[theme], "Owner": owner, "Items": c["items"], "Done": c["done"],
         "Commentary approved": c["approved"], "Awaiting approval": c["awaiting"], "Figures or statuses due": c["figures due"]}
        for (theme, owner), c in groups.items()
    ]  # fmt: skip


def digest_text(q: Quarter, items: list[DueItem]) -> tuple[str, str]:
    """The weekly digest for one person: what is due or late, item by item."""
    open_items = [i for i in items if not i.done]
    when = f"late: they were due on {q.due:%d %B %Y}" if q.late else f"due by {q.due:%d %B %Y}"
    subject = f"{len(open_items)} update{'s' if len(open_items) != 1 else ''} for {q.period.label} {when.split(':')[0]}"
    lines = [f"Your updates for {q.period.label} are {when}.", ""]
    for i in open_items:
        state = COMMENTARY_WORDS.get(i.commentary, i.commentary)
        need = (
            " (required in full: the verdict needs it)"
            if i.commentary_required and i.commentary != "approved"
            else ""
        )
        lines.append(f"- {i.subject.name}: commentary {state.lower()}{need}; {i.figures}.")
    if not open_items:
        lines.append("Nothing is outstanding.")
    return subject, "\n".join(lines)
