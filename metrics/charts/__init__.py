"""Every chart the dashboard draws, in one house style, each with its text alternative and table.

Pages, the board pack and the PNG/SVG exports all draw from here, so a chart in a
board paper looks like the one on screen and says the same thing. The style is the
Analysis Function's: a sentence-case title that states the finding (worked out from
the data, never typed), a subtitle with measure, place and period, units on the
axis, the key above the plot, the source under it, labelled target lines, no dual
axes and counts from zero. Colour is never the only carrier of meaning: status and
"below the minimum" also have a symbol, a pattern or words.

Missing is not zero. A suppressed or unavailable value (c, x, z), or a period with
no figure at all, is drawn as a break in the line with a shaded band saying why,
and the y value at that x is None so nothing is plotted there.

The package is shelved by what a module is for, so a change to one chart cannot
quietly move another, and the shared parts are written once:

- ``style``: the house style every chart shares (palette, fonts, the title block,
  key and source line, axes, escaping and wrapping text for Plotly, colour contrast
  and the tile shades).
- ``timeline``: the series as the charts read it, every period with its gaps, and
  the small facts about it (the valued points, whether a value meets its target).
- ``headlines``: the finding in words: the trend chart's title, subtitle, source line
  and text description, worded from the verdict so a title never contradicts it.
- ``trend``: the trend chart (line, target, projection, provisional and missing
  values) and its table.
- ``places``: the seven local authorities compared, as bars and as a tile map.
- ``groups``: the chart by group (sex, age band, ...) with the gap stated in words.
- ``schemes``: every SCF scheme against the 20% affordable-homes minimum.
- ``sparklines``: the tiny trend line in lists.
- ``phone``: any of them laid out again for a phone's column.

Each chart module keeps its own title, description and table beside its figure, as
they read the same rows. Words (numbers, targets, lists, dates) come from
metrics.words. Callers use ``charts.<name>`` as before: the names they need are
re-exported here.

This package never imports streamlit: figures are plain ``plotly.graph_objects``.
"""

from __future__ import annotations

from metrics.charts.groups import (
    breakdown_chart,
    breakdown_gap,
    breakdown_notes,
    breakdown_table,
    describe_breakdown,
)
from metrics.charts.headlines import describe, headline, headline_text, source_text, subject, subtitle
from metrics.charts.phone import narrow
from metrics.charts.places import (
    describe_place,
    describe_tiles,
    place_chart,
    place_headline,
    place_table,
    tile_map,
)
from metrics.charts.schemes import (
    BELOW_MARK,
    CHARTED_SCHEMES,
    describe_projects,
    project_chart,
    project_headline,
    project_table,
)
from metrics.charts.sparklines import describe_sparkline, sparkline
from metrics.charts.style import PALETTE, TARGET_COLOUR, _mix, _text_on, contrast
from metrics.charts.timeline import restrict
from metrics.charts.trend import indicator_chart, table

__all__ = [
    # style
    "PALETTE",
    "TARGET_COLOUR",
    "contrast",
    "_mix",  # the contrast test checks every tile shade and the text drawn on it
    "_text_on",
    # the series as charted
    "restrict",
    # the finding in words
    "subject",
    "headline",
    "subtitle",
    "source_text",
    "describe",
    "headline_text",
    # the trend chart
    "indicator_chart",
    "table",
    # the seven authorities
    "place_table",
    "place_headline",
    "place_chart",
    "describe_place",
    "tile_map",
    "describe_tiles",
    # groups
    "breakdown_table",
    "breakdown_gap",
    "breakdown_notes",
    "breakdown_chart",
    "describe_breakdown",
    # schemes
    "BELOW_MARK",
    "CHARTED_SCHEMES",
    "project_table",
    "project_headline",
    "project_chart",
    "describe_projects",
    # the same chart for a phone
    "narrow",
    # sparklines
    "sparkline",
    "describe_sparkline",
]
