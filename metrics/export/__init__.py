"""Files for board papers: chart images, the data behind a chart or table, and the board pack.

Staff lift these straight into papers, so every file carries its own context (title,
place and period, source, the status of the statistics, "Data as at") and is the same
for the same data: the clock is `metrics.clock`, and workbook metadata and zip entry
times are pinned to it, so a file built twice from the same store is byte for byte the
same. The modules, in the order a file is made:

    labels      the wording only exports use (series_label, period_span, base_header, slug,
                file_stem, as_at_text); every other phrase comes from `metrics.words`
    renderer    Chromium: finding it, and the one warm kaleido process per process; kept
                apart because it is process management (threads, an event loop, a browser)
    images      a chart laid out at a paper's width (ChartSize) and drawn as PNG or SVG, with its
                title and text description inside the file (SVG <title>/<desc>, PNG text chunks)
    tables      DataTable, and the tables behind a chart, the seven authorities, a breakdown
    files       CSV and Excel writers with the formula-injection guard, and pin_zip
    chartfiles  every view a page shows (trend, the seven compared, tile map, a breakdown, the SCF
                schemes) as a ChartFile (drawn only when asked) and its data: pages, the Export page
                and `kpi export chart|data --by VIEW` all take their files from here

The board pack, built on those:

    provenance  which snapshot of the store a pack shows: its reference (every footer), what it was
                built from and how to build it again (once, in "About this pack"), its properties
    commentary  the sentences about one indicator: its verdict, then its trend
    pack        the pack as a plain model (Pack), gathered once from the store, charts drawn once
    method      how the verdicts are worked out, read from the code, for both writers
    style       what the two writers share: colours, cover lines, footer, action rows, "About this
                pack", properties
    measure     text measured with the font's widths, so nothing on a slide is cut off and no table
                column is narrower than its longest word
    paging      long tables laid out over slides, two side by side where they fit
    pptx, docx  the writers: layout only, from the model
    build       build_pack: a pack file (PackFile) in either format, named and fingerprinted
    archive     the "as presented" archive: keep a pack for a board, list, rebuild

Each writer and the archive import the model, never the other way round, so the model can
be gathered and checked without writing a file.

None of this imports streamlit: the pages (ui/exports.py, pages/6_Export.py) and `kpi
export` call the same code, so a file from a page is the file the command writes.

The names below are re-exported for callers that say `export.NAME`.
"""

from __future__ import annotations

from metrics.export.chartfiles import (
    PLACES,
    SCHEMES,
    TILES,
    TREND,
    ChartFile,
    ViewFiles,
    group_chart,
    group_files,
    places_chart,
    places_files,
    schemes_chart,
    schemes_data,
    series_chart,
    series_data,
    similar_files,
    tiles_chart,
    view_files,
    views_of,
)
from metrics.export.files import DATA_FORMATS, MIME, data_file, pin_zip, safe_text, to_csv, to_xlsx
from metrics.export.images import (
    CHART_FORMATS,
    CHART_SIZES,
    ChartSize,
    chart_description,
    chart_figure,
    chart_file_name,
    chart_image,
    describe_file,
    figure_title,
    paper_figure,
    places_figure,
    render_figure,
)
from metrics.export.labels import as_at_text, base_header, file_stem, period_span, series_label, slug
from metrics.export.renderer import NoChromium, RenderFailed, chromium_problem, stop_renderer, warm_up
from metrics.export.tables import (
    Cell,
    Column,
    DataTable,
    breakdown_table,
    frame_table,
    places_table,
    series_table,
    timeline,
    value_decimals,
    value_heading,
)

__all__ = [
    "PLACES",
    "SCHEMES",
    "TILES",
    "TREND",
    "ChartFile",
    "ViewFiles",
    "group_chart",
    "group_files",
    "places_files",
    "similar_files",
    "places_chart",
    "schemes_chart",
    "schemes_data",
    "series_chart",
    "series_data",
    "tiles_chart",
    "view_files",
    "views_of",
    "frame_table",
    "CHART_FORMATS",
    "CHART_SIZES",
    "DATA_FORMATS",
    "MIME",
    "Cell",
    "ChartSize",
    "Column",
    "DataTable",
    "NoChromium",
    "RenderFailed",
    "as_at_text",
    "base_header",
    "breakdown_table",
    "chart_description",
    "chart_figure",
    "chart_file_name",
    "chart_image",
    "chromium_problem",
    "data_file",
    "describe_file",
    "figure_title",
    "file_stem",
    "paper_figure",
    "period_span",
    "pin_zip",
    "places_figure",
    "places_table",
    "render_figure",
    "safe_text",
    "series_label",
    "series_table",
    "slug",
    "stop_renderer",
    "timeline",
    "to_csv",
    "to_xlsx",
    "value_decimals",
    "value_heading",
    "warm_up",
]
