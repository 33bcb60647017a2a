"""The one base for every problem a person can put right, so a page or the command catches one class.

A `KpiError`'s message is written for the person who meets it: what is wrong and what to do, in
plain English (GOV.UK style). Anything else that escapes is a defect in the code, not a message,
and the page shows its generic "something went wrong" instead of a traceback.
"""

from __future__ import annotations


class KpiError(Exception):
    """A problem with what someone asked for or supplied, with a message that says what to change."""
