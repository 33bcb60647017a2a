"""Which uploads a read counts: now, or as the data stood when a board pack was built.

Every read of current values takes this point (NULL: now), which the SQL macros `upload_counts`
and `current_observation` apply, so there is one query per read, not a copy per snapshot. Its own
module so that the read modules (dashboard, schemes) share it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

Db = str | Path | None


@dataclass(frozen=True)
class AsOf:
    """The data as it stood when a board pack was built, so the pack can be built again later.

    Only uploads up to `upload_id` count, less the ones undone by then (`undone`); an upload
    undone after the pack was built counts again, because the board saw its figures.
    """

    upload_id: int
    undone: tuple[int, ...] = ()

    def params(self) -> dict[str, Any]:
        return {"as_of_upload": self.upload_id, "undone_uploads": list(self.undone)}


NOW = {"as_of_upload": None, "undone_uploads": []}


def read(name: str, params: dict[str, Any], as_of_upload: AsOf | None) -> tuple[str, dict[str, Any]]:
    """A read and its parameters with the as-of point added (None: now), ready for `fetch_dicts`."""
    return name, {**params, **(NOW if as_of_upload is None else as_of_upload.params())}
