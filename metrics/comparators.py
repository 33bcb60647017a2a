"""The places a figure is compared with, declared in data/comparators.yaml and checked on load.

A figure without context cannot be judged (is a rise in NEET local or national?), so England, the
region, the other mayoral combined authorities and each authority's statistical neighbours are data,
reviewed like the catalogue, not code. Uploads may name them (the contract's geography rule); their
figures are context only and never count towards the combined authority's figure or any verdict, which
is why they are kept apart from the eight places (`Catalogue.geographies`) rather than added to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from metrics.schema import (
    COMPARATOR_FIELDS,
    COMPARATORS_FIELDS,
    NEIGHBOURS_FIELDS,
    CatalogueError,
    flag,
    known_keys,
    list_field,
    mappings,
    need,
    read_yaml,
    text_fields,
)

COMPARATOR_KINDS = ("england", "region", "combined_authority", "neighbour")


@dataclass(frozen=True)
class Comparator:
    """One comparator place: its ONS code, name, kind and the other names an upload may use."""

    code: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Neighbours:
    """Each local authority's statistical neighbours (codes in the model's order) and where they come from."""

    model: str
    illustrative: bool
    note: str
    sets: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Comparators:
    """Every declared comparator, with each kind's source and the neighbour sets."""

    places: tuple[Comparator, ...] = ()
    sources: dict[str, str] = field(default_factory=dict)
    neighbours: Neighbours = field(default_factory=lambda: Neighbours("", True, ""))

    def by_kind(self, kind: str) -> tuple[Comparator, ...]:
        return tuple(c for c in self.places if c.kind == kind)

    def get(self, code: str) -> Comparator | None:
        return next((c for c in self.places if c.code == code), None)

    @property
    def england(self) -> Comparator | None:
        return next(iter(self.by_kind("england")), None)

    @property
    def region(self) -> Comparator | None:
        return next(iter(self.by_kind("region")), None)

    def neighbours_of(self, authority_code: str) -> tuple[Comparator, ...]:
        """An authority's statistical neighbours, in the declared order (none for an unknown code)."""
        return tuple(c for code in self.neighbours.sets.get(authority_code, ()) if (c := self.get(code)))

    def resolve(self, text: str) -> Comparator | None:
        """A comparator named by its ONS code, name or an alias, case-insensitive (the upload rule)."""
        key = text.strip().casefold()
        for c in self.places:
            if key in (c.code.casefold(), c.name.casefold(), *(a.casefold() for a in c.aliases)):
                return c
        return None


def load_comparators(path: Path, places: dict[str, list[str]]) -> Comparators:
    """The comparators file, checked: unknown fields, kinds and codes, and clashes with the eight places.

    `places` maps each of the eight places' codes to its names (name and aliases), so a comparator can
    never take a code or a name an upload already uses for one of them.
    """
    if not path.exists():
        return Comparators()
    doc = read_yaml(path)
    known_keys(path.name, doc, COMPARATORS_FIELDS)
    taken = {n.casefold(): code for code, names in places.items() for n in (code, *names)}
    out: list[Comparator] = []
    for n, raw in enumerate(mappings(path.name, doc, "places"), start=1):
        where = f"{path.name}, place {raw.get('code', f'number {n}')}"
        known_keys(where, raw, COMPARATOR_FIELDS)
        text_fields(where, raw, ("code", "name"))
        aliases = list_field(where, raw, "aliases")
        if not all(isinstance(a, str) and a for a in aliases):
            raise CatalogueError(
                f"{where}: the field 'aliases' must be a list of names, like [Greater Manchester]."
            )
        place = Comparator(
            need(where, raw, "code"),
            need(where, raw, "name"),
            need(where, raw, "kind", COMPARATOR_KINDS),
            aliases,
        )
        for name in (place.code, place.name, *place.aliases):
            if name.casefold() in taken:
                raise CatalogueError(
                    f"{where}: '{name}' already names {taken[name.casefold()]}. Give each place its own code and names."
                )
            taken[name.casefold()] = place.code
        out.append(place)
    for kind in ("england", "region"):
        if sum(c.kind == kind for c in out) != 1:
            raise CatalogueError(f"{path.name}: list exactly one place of kind '{kind}'.")
    return Comparators(tuple(out), _sources(path.name, doc), _neighbours(path.name, doc, out, places))


def _sources(where: str, doc: dict[str, Any]) -> dict[str, str]:
    raw = need(where, doc, "sources")
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where}: the field 'sources' must map each kind of place to its source.")
    known_keys(f"{where}, sources", raw, frozenset(COMPARATOR_KINDS))
    text_fields(f"{where}, sources", raw, COMPARATOR_KINDS)
    for kind in COMPARATOR_KINDS:
        need(f"{where}, sources", raw, kind)
    return dict(raw)


def _neighbours(
    where: str, doc: dict[str, Any], declared: list[Comparator], places: dict[str, list[str]]
) -> Neighbours:
    """The neighbour sets: one per local authority, each code a declared neighbour."""
    raw = need(where, doc, "neighbours")
    if not isinstance(raw, dict):
        raise CatalogueError(
            f"{where}: the field 'neighbours' must be a mapping with model, illustrative and sets."
        )
    at = f"{where}, neighbours"
    known_keys(at, raw, NEIGHBOURS_FIELDS)
    text_fields(at, raw, ("model", "note"))
    kinds = {c.code: c.kind for c in declared}
    sets_raw = need(at, raw, "sets")
    if not isinstance(sets_raw, dict):
        raise CatalogueError(f"{at}: the field 'sets' must map each authority's code to a list of codes.")
    sets: dict[str, tuple[str, ...]] = {}
    for authority in sets_raw:
        if authority not in places:
            raise CatalogueError(
                f"{at}: '{authority}' is not one of the eight places. Use an authority's ONS code."
            )
        listed = list_field(f"{at}, {authority}", sets_raw, authority)
        for code in listed:
            if kinds.get(code) != "neighbour":
                raise CatalogueError(
                    f"{at}, {authority}: '{code}' is not a place of kind 'neighbour'. List it under places first."
                )
        if len(set(listed)) != len(listed):
            raise CatalogueError(f"{at}, {authority}: a neighbour is listed twice.")
        sets[str(authority)] = tuple(listed)
    return Neighbours(
        need(at, raw, "model"), flag(at, raw, "illustrative", True), raw.get("note") or "", sets
    )
