"""`python -m metrics` runs the `kpi` command."""

import sys

from metrics.cli import main

sys.exit(main())
