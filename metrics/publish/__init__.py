"""The public release: `kpi publish` writes a static website and open data from the store.

- release.py: which uploads a release may reflect (embargoes, illustrative data), and its record
- small-number suppression lives in metrics.disclose: the dashboard's breakdowns hide the same cells
- opendata.py: the CSV and JSON files, the catalogue, revisions and the Data Package
- svg.py: the trend chart as inline SVG (no JavaScript, no renderer)
- content.py: what each page says; templates/ and assets/: how it looks (HTML and CSS only)
- site.py: one pass that reads, suppresses, renders, swaps the folder in whole and records the release
"""

from metrics.publish.release import NothingToPublish, Release
from metrics.publish.site import Published, PublishRefused, publish

__all__ = ["NothingToPublish", "PublishRefused", "Published", "Release", "publish"]
