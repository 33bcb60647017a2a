"""Indicator: one measure in full. Its trend against target, places, groups, schemes, definition, revisions.

Every choice is in the URL, so a deep link such as
?indicator=apprenticeship_starts&geography=E08000025&breakdown=sex%3DFemale&from=2022-23&to=2024-25
opens the same view on a fresh server. Thin: numbers from metrics.dashboard
through ui.data; charts, their descriptions and tables from metrics.charts.
"""

from __future__ import annotations

import streamlit as st

from metrics import charts, clock, context, export, revisions, views, words
from metrics.catalogue import default_catalogue
from metrics.words import dimension_label, format_value, verdict_label
from ui import commentary, data, exports, frame, widgets
from ui.text import plain

with frame.guard("Indicator"):
    version = frame.start("Indicator")
    catalogue = default_catalogue()
    today = clock.today().isoformat()
    problems: list[str] = []

    # --- the choices, URL first ---------------------------------------------------------------------------

    indicator_ids = [i.id for i in catalogue.indicators]
    indicator_id, rejected = widgets.url_value("indicator", indicator_ids)
    if rejected:
        problems.append(
            f"There is no indicator with the id '{plain(rejected)}'. Choose an indicator from the list."
        )
    ind = catalogue.indicator(indicator_id)

    places = {g.code: g for g in catalogue.geographies}

    def _place_code(text: str) -> str | None:
        g = catalogue.resolve_geography(text)
        return g.code if g else None

    geography, rejected = widgets.url_value(
        "geography", list(places), default=catalogue.combined_authority.code, normalise=_place_code
    )
    if rejected:
        problems.append(
            f"'{plain(rejected)}' is not one of the eight places. Choose a place from the list, or use an ONS code "
            "such as E08000025."
        )
    place = places[geography]

    def _breakdown_key(text: str) -> str | None:
        if "=" not in text:
            return None
        dim, value = (s.strip() for s in text.split("=", 1))
        return f"{dim.lower().replace(' ', '_')}={value}"

    def _breakdown_label(option: str) -> str:
        if not option:
            return "Everyone (no breakdown)"
        dim, value = option.split("=", 1)
        return f"{dimension_label(dim)}: {value}"

    # Schemes are not groups in the menu: an SCF indicator has one per scheme (thousands on a large store).
    # The scheme section below charts the lowest and downloads every one; a link naming a scheme still opens it.
    linked = _breakdown_key(st.query_params.get("breakdown") or "")
    breakdown_options = [""] + [
        f"{dim}={name}"
        for dim, name in data.breakdown_groups(ind, place, version)
        if dim != "project" or f"{dim}={name}" == linked
    ]

    breakdown, rejected = widgets.url_value(
        "breakdown", breakdown_options, default="", normalise=_breakdown_key
    )
    if rejected:
        takes = ", ".join(dimension_label(d, mid_sentence=True) for d in ind.breakdowns) or "no breakdowns"
        problems.append(
            f"'{plain(rejected)}' is not a breakdown of this indicator here. It takes {takes}; choose one from the list."
        )

    chosen = tuple(breakdown.split("=", 1)) if breakdown else None  # (dimension, group), resolved once
    # The series with England's and the region's beside it where they compare (context, never the verdict).
    shown_all = data.with_references(ind, place, chosen, version, today)
    period_labels = [p.period for p in sorted(shown_all.series, key=lambda p: (p.start, p.end))]
    first, last = (period_labels[0], period_labels[-1]) if period_labels else ("", "")
    start_period, rejected_from = widgets.url_value("from", period_labels or [""], default=first)
    end_period, rejected_to = widgets.url_value("to", period_labels or [""], default=last)
    for asked in (rejected_from, rejected_to):
        if asked:
            problems.append(
                f"'{plain(asked)}' is not a period this series has. Choose a period between {first} and {last}."
            )

    if period_labels and period_labels.index(start_period) > period_labels.index(end_period):
        problems.append(
            f"{start_period} comes after {end_period}, so the chart shows {end_period} to {start_period}."
        )
        start_period, end_period = end_period, start_period

    # --- the page -------------------------------------------------------------------------------------------

    frame.title(ind.name)  # the tab's title names the indicator, not just "Indicator"
    st.title(ind.name)
    for problem in problems:
        st.warning(problem)

    with st.container(key="choices"):
        c1, c2, c3 = st.columns([3, 2, 2])
        with c1:
            widgets.url_selectbox(
                "Indicator",
                indicator_ids,
                "indicator",
                format_func=lambda i: catalogue.indicator(i).short_name,
                resets=("breakdown", "from", "to"),
            )
        with c2:
            widgets.url_selectbox(
                "Place",
                list(places),
                "geography",
                format_func=lambda c: places[c].name,
                resets=("breakdown", "from", "to"),
            )
        with c3:
            widgets.url_selectbox(
                "Breakdown",
                breakdown_options,
                "breakdown",
                format_func=_breakdown_label,
                resets=("from", "to"),
                help=(
                    "Schemes are not listed here: the schemes section below charts the lowest and downloads "
                    "every scheme."
                    if "project" in ind.breakdowns
                    else None
                ),
            )
        if period_labels:
            c4, c5, _ = st.columns([2, 2, 3])
            with c4:
                widgets.url_selectbox("From", period_labels, "from")
            with c5:
                widgets.url_selectbox("To", period_labels, "to")

    prog = shown_all.progress
    as_at = data.freshness(version).data_as_at
    # Every file below names the place and breakdown on screen, as `kpi export` does for the same view.
    header = export.base_header(ind, export.series_label(shown_all), as_at, shown_all.illustrative)
    # Whether the seven authorities report this measure at all: a programme the combined authority runs on
    # its own (the Academy) has no local figures, and none are expected, so the page does not say "yet".
    places_frame = data.place_comparison(ind, version, today)
    local_figures = bool(places_frame["period"].notna().any())
    at_combined = geography == catalogue.combined_authority.code and not breakdown
    combined = (
        shown_all if at_combined else data.show(ind, catalogue.combined_authority, None, version, today)
    )
    combined_only = not local_figures and any(p.value is not None for p in combined.series)

    st.header("Latest position")
    m1, m2, m3 = st.columns(3)
    if prog.latest_value is not None:
        m1.metric(f"Latest ({prog.latest_period})", format_value(ind, prog.latest_value))
    else:
        m1.metric("Latest", "No figure" if prog.places else "No data yet")
    m2.metric(*words.target_heading(ind))
    m3.metric("Verdict", verdict_label(prog.verdict))
    st.markdown(
        f"**Place:** {plain(place.name)}"
        + (f" · **Group:** {plain(_breakdown_label(breakdown))}" if breakdown else "")
        + (" · Figures are for the combined authority only" if combined_only else "")
    )
    # The verdict and why, in the same words as the Overview, `kpi show` and the board packs.
    st.markdown(frame.verdict_line(prog))
    st.caption(
        f"Status of the statistics: {words.statistics_status_text(ind.statistics_status, shown_all.illustrative)}"
    )
    if at_combined and not breakdown:
        commentary.revised_flags(ind, version)  # figures changed since a board saw them, never silently
        commentary.approved("indicator", ind.id, version)

    if combined_only and place.level == "local_authority":
        st.info(
            f"The local authorities do not report this measure: its figures are for the combined authority "
            f"only, so there is nothing for {plain(place.name)} on its own. Choose "
            f"{plain(catalogue.combined_authority.name)} as the place to see them."
        )
    if prog.latest_value is None and geography == catalogue.combined_authority.code and local_figures:
        st.info(
            "There are no figures for the combined authority: this measure is published for each local authority "
            "and is not added up, so choose a place to see its trend. The seven are compared below."
        )

    if prog.places:
        # The seven authorities' own verdicts, where the combined authority's rests on them: a target that
        # binds every authority (one over the ceiling breaks it), or no combined figure of its own.
        st.subheader("Each local authority's verdict")
        st.markdown(views.place_verdicts_intro(ind))
        verdicts = views.place_verdicts_table(ind, prog)
        widgets.show_table(verdicts, key="place_verdicts")
        exports.page_table_buttons(
            verdicts,
            title=f"{ind.name}: each local authority's verdict",
            file_stem=export.slug(ind.id, "verdicts"),
            header=export.base_header(ind, "The seven local authorities", as_at, shown_all.illustrative),
            key="place_verdicts_download",
            what="each authority's verdict",
        )

    def drawn(what: tuple, draw):
        """A chart, its words and table, built once per data version and choice (ui.data.drawn): `what`
        names every choice the drawing depends on."""
        return data.drawn((ind.id, *what), version, today, draw)

    st.header("Over time")
    if shown_all.series:
        shown = charts.restrict(shown_all, start_period, end_period)
        trend = drawn(
            ("trend", geography, breakdown, start_period, end_period),
            lambda: (charts.indicator_chart(shown), charts.describe(shown), charts.table(shown)),
        )
        widgets.chart(*trend, key="trend")
        if shown.references:
            names = words.join_names([words.in_sentence(r.place.name) for r in shown.references])
            st.markdown(f"**Compared with {plain(names)}** (context only: it does not change the verdict)")
            st.markdown("\n".join(f"- {plain(sentence)}" for sentence in context.reference_sentences(shown)))
        # The periods chosen name the files; the whole series keeps the plain name `kpi export` gives it.
        span = (
            {} if (start_period, end_period) == (first, last) else {"first": start_period, "last": end_period}
        )
        trend_files = drawn(
            ("trend_files", geography, breakdown, start_period, end_period),
            lambda: (
                export.series_chart(shown_all, as_at, places=places_frame, **span),
                export.series_data(shown_all, as_at, **span),
            ),
        )
        exports.export_buttons(*trend_files, key="trend_export", folded=True, lazy=True)
    elif combined_only and place.level == "local_authority":
        st.markdown(f"The figures are for {plain(catalogue.combined_authority.name)} only.")
    elif local_figures and place.level == "combined_authority" and not ind.derivable:
        st.markdown(
            "There is no series for the combined authority as a whole to chart: choose a local authority above to "
            "see its trend."
        )
    else:
        st.markdown(f"There are no figures for {plain(place.name)} yet.")

    # --- places ---------------------------------------------------------------------------------------------

    if local_figures:
        st.header("Compared with the seven local authorities")
        highlight = place.name if place.level == "local_authority" else None
        # England and the region as bars "for comparison" beside the seven, where they compare.
        with_refs = context.places_with_references(ind, places_frame, data.comparators(ind, None, version))
        place_data = drawn(("place_table",), lambda: charts.place_table(ind, places_frame))
        compared_data = drawn(("place_table_refs",), lambda: charts.place_table(ind, with_refs))
        compared = drawn(
            ("places", geography, breakdown),
            lambda: (
                charts.place_chart(
                    ind,
                    with_refs,
                    highlight=highlight,
                    # Where the verdict rests on the seven (a ceiling on every authority), the title says so.
                    title=charts.headline(shown_all) if prog.places and prog.breaking else None,
                ),
                charts.describe_place(ind, with_refs),
            ),
        )
        widgets.chart(*compared, compared_data, key="places")
        compared_files = drawn(
            ("places_files", geography, breakdown),
            lambda: export.places_files(shown_all, with_refs, as_at, highlight=place),
        )
        exports.export_buttons(*compared_files, key="places_export", folded=True, lazy=True)
        st.subheader("Where they are")
        tiles = drawn(
            ("tiles",), lambda: (charts.tile_map(ind, places_frame), charts.describe_tiles(ind, places_frame))
        )
        widgets.chart(*tiles, place_data, key="tiles")
        tile_files = drawn(
            ("tiles_files", geography, breakdown),
            lambda: export.places_files(shown_all, places_frame, as_at, tiles=True),
        )
        exports.export_buttons(*tile_files, key="tiles_export", folded=True, lazy=True)
    elif not combined_only:
        st.header("Compared with the seven local authorities")
        st.markdown("There are no figures for this indicator yet, for any place.")

    # --- similar areas: a local authority beside its statistical neighbours ---------------------------------

    similar = data.comparators(ind, place, version) if place.level == "local_authority" else None
    if similar is not None and similar.neighbours and local_figures and context.comparable(ind):
        st.header("Compared with similar areas")
        st.markdown(plain(context.neighbours_sentence(similar)))
        near = context.neighbour_frame(similar, places_frame)
        group_name = f"{place.name} and its statistical neighbours"
        st.markdown(plain(context.similar_sentence(ind, near, place.name)))
        if near["value"].notna().sum() > 1:
            near_view = drawn(
                ("similar", geography),
                lambda: (
                    charts.place_chart(
                        ind,
                        near,
                        highlight=place.name,
                        title=context.similar_title(ind, near, place.name),
                        group=group_name,
                        target=False,
                        illustrative=similar.neighbours_illustrative
                        or bool(near["illustrative"].fillna(False).astype(bool).any()),
                    ),
                    charts.describe_place(ind, near, group_name, target=False),
                    charts.place_table(ind, near),
                ),
            )
            widgets.chart(*near_view, key="similar")
            similar_files = drawn(
                ("similar_files", geography),
                lambda: export.similar_files(
                    shown_all, near, as_at, place, context.neighbours_sentence(similar)
                ),
            )
            exports.export_buttons(*similar_files, key="similar_export", folded=True, lazy=True)
    # A measure only the combined authority reports has nothing to compare: no section, no "not yet".

    # --- groups ---------------------------------------------------------------------------------------------

    people = [d for d in ind.breakdowns if d != "project"]
    if people:
        st.header("By group")
        st.markdown(
            f"For {plain(place.name)}, latest period. The gap between the highest and lowest group is stated in words."
        )
        for dim in people:
            frame_ = data.breakdown_series(ind, place, dim, version)
            label = dimension_label(dim)
            st.subheader(f"By {label.lower()}")
            if frame_["value"].notna().any() or frame_["suppressed"].any():
                st.markdown(f"**Gap:** {plain(charts.breakdown_gap(ind, frame_, dim))}")
                group = drawn(
                    ("group", geography, dim),
                    lambda frame_=frame_, dim=dim: (
                        charts.breakdown_chart(ind, frame_, dim, place=place.name),
                        charts.describe_breakdown(ind, frame_, dim),
                        charts.breakdown_table(ind, frame_, dim),
                    ),
                )
                widgets.chart(*group, key=f"group_{dim}")
                for note in charts.breakdown_notes(ind, frame_):  # the key to c, what the lines show
                    st.caption(plain(note))
                group_files = drawn(
                    ("group_files", geography, dim),
                    lambda frame_=frame_, dim=dim: export.group_files(ind, place, dim, frame_, as_at),
                )
                exports.export_buttons(*group_files, key=f"group_{dim}_export", folded=True, lazy=True)
            else:
                st.markdown(f"There are no figures by {label.lower()} for {plain(place.name)}.")

    if "project" in ind.breakdowns:
        heading, rule = views.scheme_heading(ind)
        st.header(heading)
        st.markdown(rule)
        # The store counts the period's schemes and reads back the lowest few: the chart draws them, the
        # table lists them, and the download lists every scheme, read when its button is pressed.
        view = data.scheme_view(ind, place, version)
        if not view.total:
            st.markdown(f"There are no scheme figures for {plain(place.name)}.")
        else:
            lowest = drawn(
                ("schemes", geography),
                lambda: (
                    charts.project_chart(ind, view),
                    charts.describe_projects(ind, view),
                    charts.project_table(ind, view.rows),
                ),
            )
            widgets.chart(*lowest, key="schemes", table_label=views.scheme_table_label(view))
            scheme_chart = drawn(
                ("schemes_file", geography), lambda: export.schemes_chart(ind, place, view, as_at)
            )
            exports.export_buttons(scheme_chart, None, key="schemes_export", folded=True)
            # Scheme names are typed by uploaders: the files come from metrics.export, formula-safe.
            exports.scheme_buttons(
                ind,
                place,
                header=export.base_header(ind, place.name, as_at, shown_all.illustrative),
                total=view.total,
            )

    # --- definition ----------------------------------------------------------------------------------------

    st.header("About this indicator")
    details = views.definition_list(ind)
    st.markdown("\n".join(f"- **{k}:** {plain(v)}" for k, v in details.items()))

    # --- revisions -----------------------------------------------------------------------------------------

    st.header("Revisions")
    history = data.revision_history(ind, place, chosen, version)
    changes = revisions.revisions_summary(history)
    if history.empty:
        if place.level == "combined_authority" and ind.derivable:
            st.markdown(
                "The combined authority's figures here are worked out from the seven authorities, so revisions show "
                "on each authority's view: choose a place above."
            )
        elif place.level == "combined_authority" and local_figures and not ind.derivable:
            st.markdown(
                "This measure is uploaded for each local authority, not for the combined authority: choose a place "
                "above to see its revisions."
            )
        else:
            st.markdown("No figures have been uploaded for this series yet.")
    elif changes.empty:
        st.markdown("No value in this series has been revised: every value is as first published.")
    else:
        st.markdown(f"{len(changes)} period{'s' if len(changes) != 1 else ''} revised since first published:")
        widgets.show_table(views.revisions_table(ind, changes), key="revisions_summary")
        exports.page_table_buttons(
            views.revisions_table(ind, changes),
            title=f"{ind.name}: revisions, {export.series_label(shown_all)}",
            file_stem=export.slug(export.file_stem(shown_all), "revisions"),
            header=header,
            key="revisions_download",
            what="the revisions",
        )
    if not history.empty:
        with st.expander(
            f"Every upload of this series ({len(history)} value{'s' if len(history) != 1 else ''})"
        ):
            widgets.show_table(views.history_table(ind, history), key="revision_history")
            # File names and notes here were typed by uploaders: the files are formula-safe.
            exports.page_table_buttons(
                views.history_table(ind, history),
                title=f"{ind.name}: every upload, {export.series_label(shown_all)}",
                file_stem=export.slug(export.file_stem(shown_all), "uploads"),
                header=header,
                key="history_download",
                what="every upload of this series",
            )

    frame.footer()
