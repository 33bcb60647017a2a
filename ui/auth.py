"""Sign-in on the Streamlit side: who is using the app, and the sidebar line that says so.

Where the deployment configures sign-in ([auth] in .streamlit/secrets.toml), every
page asks for it (st.login, OpenID Connect) before showing anything, and the
role comes from the roles file (metrics.auth). With no [auth] section the app
runs as the one local analyst and says so in the sidebar. The role decides what
a page shows; metrics.uploads checks it again in the code path that writes.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from metrics.auth import LOCAL_ANALYST, RoleConfig, RolesError, User, load_roles, roles_path, user_from_claims
from ui.text import plain

ROLE_WORDS = {
    "viewer": "viewer: you can browse and export",
    "analyst": "analyst: you can also upload and undo your uploads",
    "admin": "admin: you can also see every upload and the audit log",
}


def auth_configured() -> bool:
    """Whether the deployment has an [auth] section in its secrets (read at call time, so tests can set it)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all is the embedded default
        return False


def _provider() -> str | None:
    """None for a single provider written straight under [auth]; else the one named [auth.NAME]."""
    section = st.secrets["auth"]
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


def current_user() -> User:
    """The user of this session; shows the sign-in step and stops the page if sign-in is needed."""
    if not auth_configured():
        return LOCAL_ANALYST
    if not st.user.get("is_logged_in", False):
        sign_in()
        st.stop()
    return user_from_claims(st.user.to_dict(), _roles())


def sign_in() -> None:
    st.title("Sign in")
    st.write(
        "This dashboard is for WMCA staff and partners. Sign in with your organisation account to see it."
    )
    if st.button("Sign in", type="primary", key="auth_sign_in"):
        provider = _provider()
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
        st.caption(f"Signed in as {plain(user.id)}, {ROLE_WORDS.get(user.role, plain(user.role))}.")
        if st.button("Sign out", key="auth_sign_out"):
            st.logout()
