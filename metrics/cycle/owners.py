"""Who owns each indicator and action: declared in data/, changed by admins in the app, every change kept.

An owner is a person's e-mail address or a team's name (the roles file's [teams] says who is in each
team). The declared owner is the indicator's `owner` (indicators.yaml) or, for an action, its own
`owner` in plan.yaml where given, else the cycle's `action_owner` (cycle.yaml); an admin's change in the app overrides it and is recorded with who and
when (table owner_change, shown in the audit log).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from metrics import clock
from metrics.asof import Db
from metrics.auth import NotAllowed, RoleConfig, User
from metrics.catalogue import Catalogue, default_catalogue
from metrics.cycle.rules import CycleRules, cycle_rules
from metrics.store import connect, execute, fetch_dicts, transaction
from metrics.words import clean_text

KINDS = ("indicator", "action")
OWNER_LIMIT = 200


class OwnerRefused(Exception):
    """An owner change that cannot be made; the message says what to change."""


@dataclass(frozen=True)
class Subject:
    """An indicator or action someone reports on."""

    kind: str
    id: str
    name: str
    theme: str


def subjects(catalogue: Catalogue | None = None) -> list[Subject]:
    """Every indicator and action, theme by theme, as the cycle lists them."""
    catalogue = catalogue or default_catalogue()
    out = []
    for t in catalogue.themes:
        out += [Subject("indicator", i.id, i.short_name, t.id) for i in catalogue.indicators_for_theme(t.id)]
        out += [Subject("action", a.id, f"{a.id}: {a.text}", t.id) for a in t.actions]
    return out


def current_owners(
    *, db: Db = None, catalogue: Catalogue | None = None, rules: CycleRules | None = None
) -> dict[tuple[str, str], str]:
    """Each subject's owner now: the newest change made in the app, else the declared one."""
    catalogue = catalogue or default_catalogue()
    rules = rules or cycle_rules()
    owners = {("indicator", i.id): i.owner for i in catalogue.indicators}
    owners |= {("action", a.id): a.owner or rules.action_owner for a in catalogue.actions}
    with connect(db, read_only=True) as con:
        for r in fetch_dicts(con, "owner_changes", {}):
            if (r["subject_kind"], r["subject_id"]) in owners:
                owners[(r["subject_kind"], r["subject_id"])] = r["owner"]
    return owners


def owns(user: User, owner: str, roles: RoleConfig) -> bool:
    """Whether `user` is the owner or in the owning team. The one local analyst owns everything."""
    if user.local:
        return True
    return user.id.strip().casefold() in roles.people(owner)


def owned_by(owner: str, name: str, roles: RoleConfig) -> bool:
    """Whether `name` (a person's address or a team's name, as `kpi due --owner` is given it) is the owner
    or one of the owning team's members."""
    name = name.strip().casefold()
    return owner.strip().casefold() == name or name in roles.people(owner)


def set_owner(
    user: User,
    kind: str,
    subject_id: str,
    owner: str,
    *,
    db: Db = None,
    catalogue: Catalogue | None = None,
    now: dt.datetime | None = None,
) -> None:
    """An admin gives an indicator or action a new owner; the change is kept with who and when."""
    if not (user.local or user.role == "admin"):
        raise NotAllowed(f"You are signed in as {user.id}, so you cannot change owners. Only admins can.")
    catalogue = catalogue or default_catalogue()
    known = {(s.kind, s.id) for s in subjects(catalogue)}
    if (kind, subject_id) not in known:
        raise OwnerRefused(f"There is no {kind} '{subject_id}'. Choose one from the list.")
    owner = " ".join(clean_text(owner).split())
    if not owner:
        raise OwnerRefused("Enter the owner: a person's e-mail address or a team's name.")
    if len(owner) > OWNER_LIMIT:
        raise OwnerRefused(f"The owner must be {OWNER_LIMIT} characters or fewer. Shorten it.")
    with connect(db) as con, transaction(con):
        execute(
            con,
            "insert_owner_change",
            {
                "subject_kind": kind,
                "subject_id": subject_id,
                "owner": owner,
                "changed_at": now or clock.now(),
                "changed_by": user.id,
                "changed_by_key": user.key or None,
            },
        )
