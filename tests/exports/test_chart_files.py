"""A chart as PNG and SVG for a board paper: its size, what it carries, and the plain message without Chromium."""

from __future__ import annotations

import io
import logging
import os
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from metrics import charts, dashboard, export
from metrics.export import renderer

SVG = "{http://www.w3.org/2000/svg}"


def _svg_text(data: bytes) -> str:
    root = ET.fromstring(data)  # well-formed XML, or this raises
    assert root.tag == f"{SVG}svg"
    return " ".join("".join(el.itertext()) for el in root.iter(f"{SVG}text"))


def test_png_is_sharp_in_print_at_both_widths(chromium, pack_store):
    shown = dashboard.show("jobs_created_wmca_investment", db=pack_store)
    full = Image.open(io.BytesIO(export.chart_image(shown, "png", "full")))
    half = Image.open(io.BytesIO(export.chart_image(shown, "png", "half")))
    assert full.format == half.format == "PNG"
    assert full.size == export.CHART_SIZES["full"].pixels
    assert full.width >= 1200  # at full page width (about 17 cm) that is over 180 dots per inch
    assert half.size == export.CHART_SIZES["half"].pixels
    assert half.width >= 600  # half the page: the same sharpness
    # drawn, not blank: the house-style dark blue line is in the picture
    rgb = full.convert("RGB")
    assert (0x12, 0x43, 0x6D) in {c for _, c in rgb.getcolors(maxcolors=1 << 20)}


def test_svg_is_valid_and_carries_title_subtitle_target_source_and_date(chromium, pack_store):
    shown = dashboard.show("jobs_created_wmca_investment", db=pack_store)
    as_at = dashboard.freshness(db=pack_store).data_as_at
    text = " ".join(_svg_text(export.chart_image(shown, "svg", "full", as_at)).split())
    assert "Jobs supported by WMCA housing and land investment" in text  # the title states the finding
    assert "West Midlands Combined Authority" in text and "2022-23 Q1 to 2026-27 Q2" in text  # subtitle
    assert "Target: 4,000 by 31 March 2024" in text  # the labelled target line
    assert "Source: " in text
    assert f"Data as at {as_at.day} {as_at:%B} {as_at.year}" in text


def test_the_file_is_the_page_chart_with_its_date_added(pack_store):
    """The exported figure is charts.indicator_chart laid out for paper: same title, traces and target."""
    shown = dashboard.show("affordable_housing_share_scf", db=pack_store)
    page = charts.indicator_chart(shown, width=640, height=580)
    paper = export.chart_figure(shown, None, "full")
    assert paper.layout.title.text == page.layout.title.text
    assert [t.name for t in paper.data] == [t.name for t in page.data]
    assert any(t.name.startswith("Target: at least 20%") for t in paper.data)
    source = next(a for a in paper.layout.annotations if a.name == "source")
    assert source.text.startswith("Source: ") and source.text.endswith("Data as at: no data yet")
    assert paper.layout.xaxis.tickangle == 0  # period labels level, not slanted, at a paper's width


def test_the_svg_carries_its_title_and_description_for_screen_readers(chromium, pack_store):
    """<title> and <desc> first inside the <svg>, named by role="img" and aria-labelledby."""
    shown = dashboard.show("jobs_created_wmca_investment", db=pack_store)
    root = ET.fromstring(export.chart_image(shown, "svg", "full"))
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    title, desc = list(root)[:2]
    assert (title.tag, title.get("id"), desc.tag, desc.get("id")) == (
        f"{SVG}title",
        title_id,
        f"{SVG}desc",
        desc_id,
    )
    assert title.text == charts.headline(shown)  # the title drawn on the chart, as plain text
    assert title.text.startswith("Jobs supported by WMCA housing and land investment")
    assert desc.text == charts.describe(shown)  # the alt text the page and the board pack give it
    assert desc.text.startswith("Line chart: Jobs from housing and land investment (number), West Midlands")


def _png_text(data: bytes) -> dict[str, str]:
    image = Image.open(io.BytesIO(data))
    image.load()  # the picture is whole after the text chunks were added, and every chunk's CRC is right
    return dict(image.text)


def test_the_png_carries_its_title_and_description(chromium, pack_store):
    shown = dashboard.show("jobs_created_wmca_investment", db=pack_store)
    for size in ("full", "half"):
        data = export.chart_image(shown, "png", size)
        assert data[12:16] == b"IHDR" and data[37:41] == b"iTXt"  # read before the picture itself
        assert Image.open(io.BytesIO(data)).size == export.CHART_SIZES[size].pixels
        assert _png_text(data) == {"Title": charts.headline(shown), "Description": charts.describe(shown)}
    assert export.chart_description(shown) == charts.describe(shown)  # what to show beside the button


HOSTILE = '</desc><script>alert(1)</script> & "Co" <b>'


def test_uploaded_text_in_a_chart_file_is_text_never_markup(chromium, sample_store):
    """A scheme's name is typed by an uploader: in the SVG it is escaped, in the PNG it is plain text."""
    from metrics.upload import ingest_bytes

    row = f'affordable_housing_share_scf,2026-27 Q2,Birmingham,,1,100,project,"{HOSTILE.replace(chr(34), 2 * chr(34))}\x07",provisional,'
    upload = "indicator_id,period,geography,value,numerator,denominator,breakdown_dimension,breakdown_value,status,note\n"
    report = ingest_bytes((upload + row + "\n").encode(), "hostile.csv", db=sample_store)
    assert report.status == "committed", report.as_json()
    shown = dashboard.show("affordable_housing_share_scf", db=sample_store)
    svg = export.chart_image(shown, "svg", "full")
    root = ET.fromstring(svg)  # still well-formed XML
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter(f"{SVG}b"))
    desc = root.find(f"{SVG}desc")
    assert f"in 2026-27 Q2: {HOSTILE} (1.0%)" in desc.text  # reads as typed, the bell removed
    assert '&lt;/desc&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; "Co" &lt;b&gt;' in svg.decode()
    assert svg.decode().count("</desc>") == 1
    png = _png_text(export.chart_image(shown, "png", "half"))
    assert f"in 2026-27 Q2: {HOSTILE} (1.0%)" in png["Description"]


def test_the_words_go_into_any_chart_file_escaped():
    """describe_file on its own: control characters dropped, markup escaped, existing role replaced."""
    svg = b'<svg role="presentation" xmlns="http://www.w3.org/2000/svg"><defs id="defs-ab12"/></svg>'
    out = export.describe_file(svg, "svg", "A & B\x1b[31m", "<desc>x</desc>\x00")
    assert out == (
        b'<svg role="img" aria-labelledby="chart-title-ab12 chart-desc-ab12" xmlns="http://www.w3.org/2000/svg">'
        b'<title id="chart-title-ab12">A &amp; B[31m</title><desc id="chart-desc-ab12">&lt;desc&gt;x&lt;/desc&gt;'
        b'</desc><defs id="defs-ab12"/></svg>'
    )
    buf = io.BytesIO()
    Image.new("RGB", (4, 3), "white").save(buf, "PNG")
    text = _png_text(export.describe_file(buf.getvalue(), "png", "Title £", "Line\x07 chart"))
    assert text == {"Title": "Title £", "Description": "Line chart"}


def test_kpi_export_chart_writes_png_and_svg(kpi, chromium, pack_store, tmp_path):
    png, svg = tmp_path / "chart.png", tmp_path / "chart.svg"
    code, out, err = kpi(
        "export",
        "chart",
        "neet_16_17",
        "--geography",
        "Birmingham",
        "--format",
        "png",
        "--out",
        png,
        "--db",
        pack_store,
    )
    assert code == 0, err
    assert Image.open(png).size == export.CHART_SIZES["full"].pixels
    said = out.splitlines()[1]  # the alt text to give the picture, as the file holds it
    assert said.startswith(
        "Alt text (also kept in the file): Line chart: NEET 16 to 17 (per cent), Birmingham"
    )
    assert (
        said.removeprefix("Alt text (also kept in the file): ") == _png_text(png.read_bytes())["Description"]
    )
    code, out, err = kpi(
        "export", "chart", "neet_16_17", "--geography", "Birmingham", "--out", svg, "--db", pack_store
    )
    assert code == 0, err  # the format taken from the file name
    assert "Birmingham" in _svg_text(svg.read_bytes())
    code, _, err = kpi(
        "export", "chart", "neet_16_17", "--geography", "Narnia", "--out", png, "--db", pack_store
    )
    assert code == 1 and "not one of the eight places" in err


def test_a_warm_renderer_is_reused(chromium, pack_store):
    """One Chromium for the life of the process: the second export does not start another."""
    shown = dashboard.show("internet_non_users", db=pack_store)
    export.chart_image(shown, "png", "half")
    assert renderer.renderer_running()
    browser, thread = renderer._RENDERER._kaleido, renderer._RENDERER._thread
    export.chart_image(shown, "svg", "half")
    export.chart_image(shown, "png", "full")
    assert renderer._RENDERER._kaleido is browser and renderer._RENDERER._thread is thread


def test_the_renderer_closes_when_idle_and_starts_again_on_the_next_export(chromium, pack_store):
    """Chromium (about 1 GB with its children) is not kept in every replica for ever: it closes after a
    spell with no export, and the next export starts it again and still gets its image."""
    shown = dashboard.show("internet_non_users", db=pack_store)
    kept = renderer._RENDERER.idle_stop_s
    renderer._RENDERER.idle_stop_s = 1.0
    try:
        export.chart_image(shown, "png", "half")
        assert renderer.renderer_running()
        deadline = time.monotonic() + 20
        while renderer.renderer_running() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not renderer.renderer_running(), "still running after the idle time"
        assert export.chart_image(shown, "png", "half").startswith(b"\x89PNG")
        assert renderer.renderer_running()
    finally:
        renderer._RENDERER.idle_stop_s = kept
        renderer.stop_renderer()


def _no_chromium_env(tmp_path: Path) -> dict[str, str]:
    empty = tmp_path / "bin"
    empty.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "BROWSER_PATH"}
    env["PATH"] = str(empty)  # no chromium on PATH
    return env


def test_without_chromium_the_chart_export_says_so_and_data_still_works(
    kpi, pack_store, tmp_path, monkeypatch
):
    env = _no_chromium_env(tmp_path)
    for key in ("BROWSER_PATH",):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("PATH", env["PATH"])
    png = tmp_path / "chart.png"
    code, out, err = kpi("export", "chart", "neet_16_17", "--out", png, "--db", pack_store)
    assert code == 2
    assert "Chromium is not installed" in err and "apt-get install chromium" in err and "BROWSER_PATH" in err
    assert "The data downloads (CSV and Excel) still work" in err
    assert not png.exists()
    code, _, err = kpi(
        "export", "pack", "--theme", "accessible_housing", "--out", tmp_path / "p.pptx", "--db", pack_store
    )
    assert code == 2 and "Chromium is not installed" in err
    csv_file = tmp_path / "data.csv"
    code, _, err = kpi("export", "data", "neet_16_17", "--out", csv_file, "--db", pack_store)
    assert code == 0, err
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf")


def test_a_wrong_browser_path_is_named(kpi, pack_store, tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chromium"))
    code, _, err = kpi("export", "chart", "neet_16_17", "--out", tmp_path / "c.png", "--db", pack_store)
    assert code == 2
    assert f"BROWSER_PATH is set to {tmp_path / 'no-such-chromium'}, but there is no Chromium there" in err


def test_without_chromium_in_process_the_error_is_plain(pack_store, monkeypatch):
    monkeypatch.setattr(renderer, "chromium_path", lambda: None)
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    shown = dashboard.show("neet_16_17", db=pack_store)
    with pytest.raises(export.NoChromium, match="Chromium is not installed"):
        export.render_figure(export.chart_figure(shown, None), "png")
    # the data still comes out
    assert export.to_csv(export.series_table(shown, None)).startswith(b"\xef\xbb\xbf")


def _descendants(pid: int) -> list[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    out, todo = [], [pid]
    while todo:
        parent = todo.pop()
        children = [p for p, pp in parents.items() if pp == parent]
        out += children
        todo += children
    return out


def test_the_chart_renderer_keeps_chromiums_web_security(chromium, pack_store):
    """The page that draws a chart holds uploaded text: Chromium runs without the flags kaleido adds
    to loosen web security (same-origin rules, file:// pages reading other files)."""
    shown = dashboard.show("jobs_created_wmca_investment", db=pack_store)
    export.chart_image(shown, "svg", "full")
    lines = []
    for pid in _descendants(os.getpid()):
        try:
            lines.append((Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except OSError:
            continue
    # The browser itself (not the wrappers that start it, nor its helper processes): flags cleaned.
    browsers = [line for line in lines if line.split(" ")[0].endswith("/chromium") and "--type=" not in line]
    assert browsers, lines
    assert all("--headless" in line for line in browsers), browsers
    for line in browsers:
        for flag in renderer.UNSAFE_FLAGS:
            assert flag not in line.split(" "), line


def test_kpi_export_chart_leaves_standard_error_clean(kpi, chromium, pack_store, tmp_path):
    """A chart written is a chart written: no traceback from Chromium's driver on the way out.

    One run once printed choreographer's JSONDecodeError ("JSONError decoding message. Ignoring")
    and others an "OSError: Directory not empty" from Python's exit-time clean-up of Chromium's
    profile folder, with exit status 0 and the file written."""
    cases = [("jobs_created_wmca_investment", "png"), ("jobs_created_wmca_investment", "svg")]
    cases += [("neet_16_17", "png")]  # the chart of the seven authorities
    for n, (iid, fmt) in enumerate(cases):
        out = tmp_path / f"chart-{n}.{fmt}"
        code, stdout, err = kpi("export", "chart", iid, "--format", fmt, "--out", out, "--db", pack_store)
        assert code == 0, err
        assert err == ""
        assert stdout.startswith(f"Wrote the chart of {iid} ({fmt.upper()}, full width) to {out}")
    # the combined authority has no NEET figure: the file is the seven authorities, and says so
    assert stdout.splitlines()[1].startswith(
        "Alt text (also kept in the file): Horizontal bar chart of NEET 16 to 17 (per cent) for the seven"
    )


def _read_through_a_closing_pipe(payload: bytes) -> list:
    """What choreographer's pipe reader makes of `payload` when the pipe is closed under it, as at close."""
    import threading

    from choreographer.channels.pipe import Pipe

    pipe = Pipe()
    pipe.open()
    os.write(pipe.from_external_to_choreo, payload)
    got: dict = {}
    reader = threading.Thread(target=lambda: got.update(jsons=pipe.read_jsons(blocking=True)[0]))
    reader.start()
    time.sleep(0.3)  # the reader has the first message and waits for the rest of the second
    pipe.close()
    reader.join(10)
    assert not reader.is_alive()
    return got["jsons"]


def test_choreographers_goodbye_read_with_the_last_message_is_not_logged_as_an_error(caplog):
    """The cause of the JSONDecodeError traceback, reproduced with choreographer's own pipe reader.

    Chromium's driver starts it through a wrapper that writes "{bye}" once Chromium has gone; read
    in one piece with Chromium's last message, it was decoded as JSON and logged with a traceback.
    That record, and only that one, is dropped: a message that really is cut short is still logged."""
    import kaleido  # noqa: F401 - choreographer's loggers are made by logistro first, as in use

    renderer.drop_goodbye_records()
    caplog.set_level(logging.WARNING, logger="choreographer.channels.pipe")
    last = b'{"id": 7, "result": {}}\0'
    assert _read_through_a_closing_pipe(last + b"{bye}\n") == [{"id": 7, "result": {}}]
    assert [r for r in caplog.records if r.name.startswith("choreographer")] == []
    assert _read_through_a_closing_pipe(last + b'{"id": 8, "res') == [{"id": 7, "result": {}}]
    logged = [r for r in caplog.records if r.name == "choreographer.channels.pipe"]
    assert [r.getMessage() for r in logged] == ["JSONError decoding message. Ignoring"]
