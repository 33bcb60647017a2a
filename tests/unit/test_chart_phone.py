"""The phone's layout of a chart (metrics.charts.phone): labels that fit 320 px, text still escaped."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from metrics import charts
from metrics.catalogue import default_catalogue
from metrics.schemes import SchemeView

CAT = default_catalogue()
HOSTILE = '<a href="https://example.com/steal">Click</a>'


def _schemes() -> pd.DataFrame:
    end = dt.date(2023, 6, 30)
    return pd.DataFrame(
        [
            {"project": HOSTILE, "place": "Birmingham", "period": "2023-24 Q1", "period_end": end,
             "numerator": 10, "denominator": 100, "share": 10.0, "missing": None, "status": "final"},
            {"project": "Scheme B", "place": "Coventry", "period": "2023-24 Q1", "period_end": end,
             "numerator": 30, "denominator": 100, "share": 30.0, "missing": None, "status": "final"},
        ]
    )  # fmt: skip


def test_the_scheme_chart_on_a_phone_writes_names_and_values_above_the_bars_escaped():
    ind = CAT.indicator("affordable_housing_share_scf")
    wide = charts.project_chart(ind, SchemeView.of(_schemes(), 20.0))
    phone = charts.narrow(wide)
    names = [a.text for a in phone.layout.annotations if (a.name or "").startswith("bar name")]
    assert len(names) == 2 and all("%" in n for n in names)  # the value joins the name
    assert any("&lt;a" in n and "Click&lt;/a&gt;" in n for n in names)
    assert "<a " not in json.dumps(phone.to_plotly_json())
    assert phone.layout.yaxis.showticklabels is False and phone.layout.margin.l == 12
    assert phone.layout.meta["house"]["narrow"] and not wide.layout.meta["house"].get("narrow")
    assert wide.layout.margin.l == 290  # the laptop's figure is left as it was


def test_the_phone_title_is_wrapped_short_and_a_figure_without_the_house_record_is_left_alone():
    ind = CAT.indicator("affordable_housing_share_scf")
    phone = charts.narrow(charts.project_chart(ind, SchemeView.of(_schemes(), 20.0)))
    lines = phone.layout.title.text.split("<br>")
    assert max(len(line) for line in lines) <= 29 and phone.layout.title.font.size == 16
    import plotly.graph_objects as go

    bare = go.Figure()
    assert charts.narrow(bare) is bare
