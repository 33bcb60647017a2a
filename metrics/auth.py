"""Who may do what: roles, the roles file, and the check the write path makes.

Pure (no streamlit), so the rule that a viewer cannot write is enforced where the
write happens (metrics.upload.service.commit_as / undo_as), not only by hiding buttons:
a request a page did not expect still meets :func:`require`.

Roles, each including the one before:

- viewer: browse and export
- analyst: also upload and undo their own uploads
- admin: also see (and undo) every user's uploads, and the audit log

Where sign-in is configured, a signed-in person's role comes from the roles file
(``KPI_ROLES``, default ``data/roles.toml``): lists of e-mail addresses and of
domains for analysts and for admins; everyone else who signs in is a viewer. A
person is known by their identity provider and subject (``iss`` and ``sub``),
not by an e-mail address, and an address earns a role only when the provider
says it is verified.

Sign-in fails closed (:func:`deployment`): a secrets file that cannot be read,
or an ``[auth]`` section with a setting missing, stops the app with a message.
With no sign-in configured the app runs as one local analyst only when the
server listens on the loopback address (this machine alone); anywhere else it
is read-only.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from metrics.errors import KpiError
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


class NotAllowed(KpiError, PermissionError):
    """The user's role does not allow the action; the message says who can and how to get it."""


class RolesError(KpiError, ValueError):
    """The roles file cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class User:
    """The person using the app.

    ``id`` is what every write shows people (an e-mail address when signed in); ``key`` is who
    they are (identity provider and subject), which ownership is checked against.
    """

    id: str
    name: str
    role: str
    local: bool = False
    key: str = ""

    def can(self, action: str) -> bool:
        return action in ROLE_CAN.get(self.role, frozenset())

    @property
    def sees_all_uploads(self) -> bool:
        """Admins see everyone's uploads; so does the one local analyst, whose machine the store is on."""
        return self.local or self.can("see_all_uploads")

    def owns(self, upload_user: str | None, upload_key: str | None = None) -> bool:
        """Whether an upload is this person's: by their provider and subject where it was recorded
        (an e-mail address can move between people), by the name for uploads from before that."""
        if upload_key:
            return bool(self.key) and upload_key == self.key
        return (upload_user or "").strip().casefold() == self.id.strip().casefold()


LOCAL_ANALYST = User(id=LOCAL_USER_ID, name="Local analyst", role="analyst", local=True, key="local")
# Who uses a deployment that has no sign-in and is reachable from other machines: read-only.
PUBLIC_VIEWER = User(id="viewer (no sign-in)", name="Viewer", role="viewer", key="public")


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


def require_owner_or_admin(
    user: User, upload_user: str | None, upload_id: int, upload_key: str | None = None
) -> None:
    """Analysts undo their own uploads; admins (and the local analyst) anyone's."""
    require(user, "undo")
    if user.sees_all_uploads or user.owns(upload_user, upload_key):
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
    # The reporting cycle: who is in each owning team (an owner is a person's address or a team's
    # name), who besides admins may approve commentary, and who gets every alert.
    teams: Mapping[str, frozenset[str]] = field(default_factory=dict)
    approvers: frozenset[str] = field(default_factory=frozenset)
    subscribers: frozenset[str] = field(default_factory=frozenset)

    def people(self, owner: str) -> frozenset[str]:
        """The e-mail addresses an owner stands for: the address itself, or the team's members."""
        owner = owner.strip()
        if "@" in owner:
            return frozenset({owner.casefold()})
        return self.teams.get(owner, frozenset())


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


def _addresses(values: Any, where: str, name: str) -> frozenset[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise RolesError(f"{where}: '{name}' must be a list of e-mail addresses, like [\"a@example.org\"].")
    cleaned = {v.strip().casefold() for v in values if v.strip()}
    bad = sorted(v for v in cleaned if "@" not in v)
    if bad:
        raise RolesError(f"{where}: '{name}' has '{bad[0]}', which is not an e-mail address.")
    return frozenset(cleaned)


def parse_roles(text: str, where: str = "roles file") -> RoleConfig:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RolesError(f"{where} cannot be read as TOML: {exc}.") from exc
    unknown = sorted(set(doc) - {"analysts", "admins", "teams", "alerts"})
    if unknown:
        raise RolesError(
            f"{where}: [{unknown[0]}] is not a section the roles file has. Use [analysts], [admins], [teams] "
            "and [alerts]."
        )
    teams = doc.get("teams", {})
    if not isinstance(teams, Mapping):
        raise RolesError(
            f'{where}: [teams] must list each team\'s members, like "Housing team" = ["a@example.org"].'
        )
    alerts = doc.get("alerts", {})
    if not isinstance(alerts, Mapping) or sorted(set(alerts) - {"approvers", "subscribers"}):
        raise RolesError(
            f"{where}: [alerts] takes 'approvers' and 'subscribers', each a list of e-mail addresses."
        )
    return RoleConfig(
        _role_list(doc, "analysts", where),
        _role_list(doc, "admins", where),
        where,
        teams={str(name).strip(): _addresses(v, where, f"teams.{name}") for name, v in teams.items()},
        approvers=_addresses(alerts.get("approvers", []), where, "alerts.approvers"),
        subscribers=_addresses(alerts.get("subscribers", []), where, "alerts.subscribers"),
    )


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
    """A signed-in person from their identity-token claims.

    Keyed on issuer and subject, which the provider never reuses; the e-mail address is for
    people to read, and earns a role only when the provider says it is verified
    (``email_verified`` true: a missing claim is not taken on trust).
    """
    email = str(claims.get("email") or "").strip()
    issuer = str(claims.get("iss") or "").strip()
    subject = str(claims.get("sub") or "").strip()
    key = f"{issuer}|{subject}" if subject else ""
    verified = claims.get("email_verified")
    trusted = verified is True or str(verified).strip().casefold() == "true"
    ident = email or subject or "unknown user"
    name = str(claims.get("name") or email or ident)
    role = role_for(email, config) if trusted and key else "viewer"
    return User(id=ident, name=name, role=role, key=key or f"unknown|{ident}")


# ---------------------------------------------------------------- how the deployment runs

AUTH_KEYS = ("redirect_uri", "cookie_secret")
PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")


class SetupProblem(KpiError, RuntimeError):
    """The deployment's sign-in set-up cannot be used; the message says what to fix. The app stops."""


def read_secrets(paths: list[Path]) -> dict[str, Any]:
    """The secrets files Streamlit reads, merged; a file that cannot be read stops the app.

    Streamlit itself treats an unreadable secrets file like a missing one, which would silently
    turn a deployment that meant to require sign-in into one that does not.
    """
    merged: dict[str, Any] = {}
    for path in paths:
        if not path.is_file():
            continue  # absent, or a folder of secrets files, which Streamlit itself reads
        try:
            merged.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise SetupProblem(
                f"The secrets file {path} cannot be read ({exc}), so sign-in cannot be set up and the "
                "dashboard will not start. Correct the file (check quotes and brackets), or remove it to run "
                "on this machine only."
            ) from exc
    return merged


def auth_problem(auth: Any) -> str | None:
    """What is missing from an [auth] section, or None when sign-in can work."""
    if not isinstance(auth, Mapping):
        return "[auth] must be a table of settings."
    missing = [k for k in AUTH_KEYS if not str(auth.get(k) or "").strip()]
    providers = [v for v in auth.values() if isinstance(v, Mapping)]
    direct = {k: auth.get(k) for k in PROVIDER_KEYS}
    if any(direct.values()) or not providers:
        missing += [f"{k}" for k, v in direct.items() if not str(v or "").strip()]
    else:
        for provider in providers:
            missing += [k for k in PROVIDER_KEYS if not str(provider.get(k) or "").strip()]
    if missing:
        return f"[auth] is missing {', '.join(sorted(set(missing)))}."
    return None


def is_loopback(address: str | None) -> bool:
    """Whether a server address listens on this machine only. Unset or empty means every interface."""
    if not address:
        return False
    if address.strip().casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def deployment(secrets: Mapping[str, Any], server_address: str | None) -> str:
    """How the app runs: "sign_in", "local" (one analyst, this machine only) or "read_only".

    Raises SetupProblem where [auth] is there but incomplete: fail closed, never open.
    """
    if "auth" in secrets:
        problem = auth_problem(secrets["auth"])
        if problem:
            raise SetupProblem(
                f"Sign-in is set up in the secrets file but cannot work: {problem} Add the missing settings "
                "(see .streamlit/secrets.example.toml); the dashboard will not start until then."
            )
        return "sign_in"
    return "local" if is_loopback(server_address) else "read_only"
