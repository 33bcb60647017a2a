"""Sign-in on the Streamlit side: who is using the app, and the sidebar line that says so.

How the app runs is decided on every page, before anything else shows, by
metrics.auth.deployment from the secrets files Streamlit reads and the address it
listens on (fail closed):

- a secrets file that cannot be read, or an [auth] section with a setting missing:
  the page shows what to fix and stops; nothing of the dashboard shows;
- an [auth] section: every page asks for sign-in (st.login, OpenID Connect) and the
  role comes from the roles file (metrics.auth);
- no [auth], listening on the loopback address only: the one local analyst;
- no [auth], reachable from other machines: read-only (metrics.auth.PUBLIC_VIEWER),
  with no upload pages, and the write path refuses anyway.

The role decides what a page shows; metrics.upload checks it again in the code path that writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from metrics import log
from metrics.auth import (
    LOCAL_ANALYST,
    PUBLIC_VIEWER,
    RoleConfig,
    RolesError,
    SetupProblem,
    User,
    deployment,
    load_roles,
    read_secrets,
    roles_path,
    user_from_claims,
)
from ui.text import plain

ROLE_WORDS = {
    "viewer": "viewer: you can browse and export",
    "analyst": "analyst: you can also upload and undo your uploads",
    "admin": "admin: you can also see every upload and the audit log",
}
READ_ONLY_SIDEBAR = (
    "**Read-only:** no sign-in is set up and the dashboard is served beyond this machine, so nobody can "
    "upload or undo here. To upload, set up sign-in or run the dashboard on your own machine."
)
READ_ONLY_PAGE = (
    "This dashboard is read-only: no sign-in is set up and it is served beyond this machine, so uploads "
    "and the upload history are switched off. You can browse and export. To upload, ask whoever runs the "
    "dashboard to set up sign-in, or run it on your own machine with `bash scripts/run`."
)
_logged_problems: set[str] = set()


def _streamlit_secrets() -> dict[str, Any]:
    """What st.secrets holds (secret directories, secrets set in code, or a test's secrets), or nothing."""
    try:
        return st.secrets.to_dict()
    except StreamlitSecretNotFoundError as exc:
        paths = [Path(p) for p in st.get_option("secrets.files")]
        folders = [p for p in paths if p.is_dir()]
        if folders:  # a secrets folder that cannot be read: fail closed, as for a file
            raise SetupProblem(
                f"The secrets folder {folders[0]} cannot be read, so sign-in cannot be set up and the dashboard "
                "will not start. Correct it, or remove it to run on this machine only."
            ) from exc
        return {}


def deployment_secrets() -> dict[str, Any]:
    """The secrets this deployment runs with: every secrets file Streamlit reads, read strictly.

    Streamlit treats a secrets file it cannot parse like a missing one, which would turn a deployment
    meant to require sign-in into one without it; metrics.auth.read_secrets raises SetupProblem instead.
    Where the files hold no [auth], what st.secrets holds besides (a secrets folder, secrets set in
    code) is read too, so sign-in that st.login would use is never ignored.
    """
    paths = [Path(p) for p in st.get_option("secrets.files")]
    secrets = read_secrets([p for p in paths if not p.is_dir()])
    if "auth" not in secrets:
        secrets = {**_streamlit_secrets(), **secrets}
    return secrets


def mode(secrets: Mapping[str, Any]) -> str:
    """ "sign_in", "local" or "read_only" (metrics.auth.deployment), for the address Streamlit listens on."""
    return deployment(secrets, st.get_option("server.address"))


def _provider(secrets: Mapping[str, Any]) -> str | None:
    """None for a single provider written straight under [auth]; else the one named [auth.NAME]."""
    section = secrets["auth"]
    if "client_id" in section:
        return None
    named = [k for k, v in section.items() if isinstance(v, Mapping)]
    return named[0] if len(named) == 1 else None


def _roles() -> RoleConfig:
    try:
        return load_roles()
    except RolesError as exc:
        st.error(
            f"The roles file {plain(roles_path())} cannot be used: {plain(exc)} Until it is fixed, everyone is a viewer."
        )
        return RoleConfig()


def setup_problem(problem: SetupProblem) -> None:
    """Say what to fix and stop the page: nothing else of the dashboard shows (logged once per problem)."""
    message = str(problem)
    if message not in _logged_problems:
        _logged_problems.add(message)
        log.event("sign_in_setup", "failed", user="", problem=message)
    st.title("The dashboard cannot start")
    st.error(plain(message))
    st.stop()


def current_user() -> User:
    """The user of this session; shows the sign-in step, or what to fix, and stops the page when needed."""
    try:
        secrets = deployment_secrets()
        how = mode(secrets)
    except SetupProblem as problem:
        setup_problem(problem)
        raise  # not reached: st.stop() ends the run
    if how == "local":
        return LOCAL_ANALYST
    if how == "read_only":
        return PUBLIC_VIEWER
    if not st.user.get("is_logged_in", False):
        sign_in(secrets)
        st.stop()
    return user_from_claims(st.user.to_dict(), _roles())


def is_read_only(user: User) -> bool:
    """Whether this is the read-only deployment (no sign-in, served beyond this machine)."""
    return user == PUBLIC_VIEWER


def sign_in(secrets: Mapping[str, Any]) -> None:
    st.title("Sign in")
    st.write(
        "This dashboard is for WMCA staff and partners. Sign in with your organisation account to see it."
    )
    if st.button("Sign in", type="primary", key="auth_sign_in"):
        provider = _provider(secrets)
        if provider is None:
            st.login()
        else:
            st.login(provider)


def sidebar(user: User) -> None:
    """Says who is using the app and what they may do (on every page, through ui.frame.start)."""
    with st.sidebar:
        if user.local:
            st.caption(
                "Working as the local analyst: no sign-in is set up on this machine, so the app runs as one "
                "analyst and records uploads as 'local analyst'."
            )
            return
        if is_read_only(user):
            with st.container(key="read_only_notice"):
                st.caption(READ_ONLY_SIDEBAR)
            return
        st.caption(f"Signed in as {plain(user.id)}, {ROLE_WORDS.get(user.role, plain(user.role))}.")
        if st.button("Sign out", key="auth_sign_out"):
            st.logout()
