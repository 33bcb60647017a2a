"""AppTest runs the pages in this process: they see the app as `bash scripts/run` serves it.

Fixtures
    served_on (autouse)  Streamlit's server.address is 127.0.0.1 (scripts/run's default), so the app
                         runs as the local analyst, and secrets.files is this test's own
                         tmp_path/secrets.toml (absent unless the test writes it), so a developer's
                         .streamlit/secrets.toml never turns sign-in on here. Returns a setter:
                         served_on(address=None, secrets=None) changes either for the test (secrets
                         is the text of the test's secrets file). Streamlit's own parsed secrets
                         (st.secrets, which st.user reads) are forgotten before and after each test,
                         so one test's secrets file never reaches the next.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit import config
from streamlit.runtime.secrets import secrets_singleton

OPTIONS = ("server.address", "secrets.files")


@pytest.fixture(autouse=True)
def served_on(tmp_path: Path) -> Iterator[Callable[..., Path]]:
    saved = {key: config.get_option(key) for key in OPTIONS}
    secrets_file = tmp_path / "secrets" / "secrets.toml"
    config.set_option("server.address", "127.0.0.1")
    config.set_option("secrets.files", [str(secrets_file)])
    secrets_singleton._reset()

    def serve(address: str | None = None, secrets: str | None = None) -> Path:
        if address is not None:
            config.set_option("server.address", address)
        if secrets is not None:
            secrets_file.parent.mkdir(parents=True, exist_ok=True)
            secrets_file.write_text(secrets, encoding="utf-8")
        return secrets_file

    try:
        yield serve
    finally:
        for key, value in saved.items():
            config.set_option(key, value)
        secrets_singleton._reset()
