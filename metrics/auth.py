"""Who may do what: roles, the roles file, and the check the write path makes.

Pure (no streamlit), so the rule that a viewer cannot write is enforced where the
write happens (metrics.uploads.commit_as / undo_as), not only by hiding buttons:
a request a page did not expect still meets :func:`require`.

Roles, each including the one before:

- viewer: browse and export
- analyst: also upload and undo their own uploads
- admin: also see (and undo) every user's uploads, and the audit log

Where sign-in is configured, a signed-in person's role comes from the roles file
(``KPI_ROLES``, default ``data/roles.toml``): lists of e-mail addresses and of
domains for analysts and for admins; everyone else who signs in is a viewer.
With no sign-in configured the app runs as one local analyst on one machine.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from metrics.paths import DATA_DIR

ROLES = ("viewer", "analyst", "admin")
ROLE_LABELS = {"viewer": "viewer", "analyst": "analyst", "admin": "admin"}
ROLE_CAN = {
    "viewer": frozenset({"browse", "export"}),
    "analyst": frozenset({"browse", "export", "upload", "undo"}),
    "admin": frozenset({"browse", "export", "upload", "undo", "see_all_uploads", "audit_log"}),
}
ACTION_WORDS = {
    "browse": "browse the dashboard",
    "export": "export figures",
    "upload": "upload files",
    "undo": "undo uploads",
    "see_all_uploads": "see every user's uploads",
    "audit_log": "see the audit log",
}
DEFAULT_ROLES_FILE = DATA_DIR / "roles.toml"
LOCAL_USER_ID = "local analyst"


class NotAllowed(PermissionError):
    """The user's role does not allow the action; the message says who can and how to get it."""


class RolesError(ValueError):
    """The roles file cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class User:
    """The person using the app. ``id`` is what every write records (an e-mail address when signed in)."""

    id: str
    name: str
    role: str
    local: bool = False

    def can(self, action: str) -> bool:
        return action in ROLE_CAN.get(self.role, frozenset())

    @property
    def sees_all_uploads(self) -> bool:
        """Admins see everyone's uploads; so does the one local analyst, whose machine the store is on."""
        return self.local or self.can("see_all_uploads")

    def owns(self, upload_user: str | None) -> bool:
        return (upload_user or "").strip().casefold() == self.id.strip().casefold()


LOCAL_ANALYST = User(id=LOCAL_USER_ID, name="Local analyst", role="analyst", local=True)


def require(user: User, action: str) -> None:
    """Raise NotAllowed unless the user's role allows the action."""
    if action not in ACTION_WORDS:
        raise ValueError(f"Unknown action {action!r}: expected one of {', '.join(ACTION_WORDS)}.")
    if user.can(action):
        return
    who = "analysts and admins" if action in ("upload", "undo") else "admins"
    raise NotAllowed(
        f"You are signed in as {user.id}, a {ROLE_LABELS.get(user.role, user.role)}, so you cannot "
        f"{ACTION_WORDS[action]}. Only {who} can. Ask an admin to add you to the roles file if you need to."
    )


def require_owner_or_admin(user: User, upload_user: str | None, upload_id: int) -> None:
    """Analysts undo their own uploads; admins (and the local analyst) anyone's."""
    require(user, "undo")
    if user.sees_all_uploads or user.owns(upload_user):
        return
    raise NotAllowed(
        f"Upload {upload_id} was made by someone else, so you cannot undo it. Ask them or an admin to undo it."
    )


# ---------------------------------------------------------------- the roles file


@dataclass(frozen=True)
class RoleList:
    emails: frozenset[str] = field(default_factory=frozenset)
    domains: frozenset[str] = field(default_factory=frozenset)

    def matches(self, email: str) -> bool:
        email = email.strip().casefold()
        if email in self.emails:
            return True
        _, at, domain = email.rpartition("@")
        return bool(at) and domain in self.domains


@dataclass(frozen=True)
class RoleConfig:
    analysts: RoleList = field(default_factory=RoleList)
    admins: RoleList = field(default_factory=RoleList)
    source: str = ""


def roles_path() -> Path:
    """The roles file: KPI_ROLES, else data/roles.toml."""
    env = os.environ.get("KPI_ROLES")
    return Path(env) if env else DEFAULT_ROLES_FILE


def _role_list(doc: Mapping[str, Any], section: str, where: str) -> RoleList:
    raw = doc.get(section, {})
    if not isinstance(raw, Mapping):
        raise RolesError(f"{where}: [{section}] must be a table with 'emails' and 'domains' lists.")
    out = {}
    for key in ("emails", "domains"):
        values = raw.get(key, [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise RolesError(f"{where}: '{section}.{key}' must be a list of text, like [\"a@example.org\"].")
        cleaned = {v.strip().casefold().lstrip("@") for v in values if v.strip()}
        if key == "emails":
            bad = sorted(v for v in cleaned if "@" not in v)
            if bad:
                raise RolesError(
                    f"{where}: '{section}.emails' has '{bad[0]}', which is not an e-mail address."
                )
        else:
            bad = sorted(v for v in cleaned if "@" in v or "." not in v)
            if bad:
                raise RolesError(
                    f"{where}: '{section}.domains' has '{bad[0]}'. Write a domain like example.org, "
                    "without a name or @."
                )
        out[key] = frozenset(cleaned)
    return RoleList(**out)


def parse_roles(text: str, where: str = "roles file") -> RoleConfig:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RolesError(f"{where} cannot be read as TOML: {exc}.") from exc
    unknown = sorted(set(doc) - {"analysts", "admins"})
    if unknown:
        raise RolesError(f"{where}: [{unknown[0]}] is not a role list. Use [analysts] and [admins].")
    return RoleConfig(_role_list(doc, "analysts", where), _role_list(doc, "admins", where), where)


@lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int) -> RoleConfig:
    p = Path(path)
    return parse_roles(p.read_text(encoding="utf-8"), p.name)


def load_roles(path: str | os.PathLike[str] | None = None) -> RoleConfig:
    """The roles file, re-read when it changes. A missing file means everyone who signs in is a viewer."""
    p = Path(path) if path else roles_path()
    try:
        mtime = p.stat().st_mtime_ns
    except FileNotFoundError:
        return RoleConfig(source=f"{p.name} (not found)")
    return _load(str(p), mtime)


def role_for(email: str | None, config: RoleConfig) -> str:
    if not email:
        return "viewer"
    if config.admins.matches(email):
        return "admin"
    if config.analysts.matches(email):
        return "analyst"
    return "viewer"


def user_from_claims(claims: Mapping[str, Any], config: RoleConfig) -> User:
    """A signed-in person from their identity-token claims. An unverified e-mail address earns no role."""
    email = str(claims.get("email") or "").strip()
    ident = email or str(claims.get("sub") or "").strip() or "unknown user"
    name = str(claims.get("name") or email or ident)
    verified = claims.get("email_verified")
    unverified = verified is False or str(verified).strip().casefold() == "false"
    role = "viewer" if unverified else role_for(email, config)
    return User(id=ident, name=name, role=role)
