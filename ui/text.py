"""Text from uploads (file names, notes, project names, e-mail addresses) shown as text, never as Markup.

Streamlit renders Markdown in st.markdown, st.success, st.error and widget labels:
a file named "[click](https://example.com).csv" would become a link, and an image
reference would load from anywhere. Everything uploaders wrote goes through
:func:`plain` before it reaches those, or into st.dataframe, which shows text as is.
"""

from __future__ import annotations

import re

# Every ASCII punctuation mark CommonMark lets a backslash escape, plus the ones Streamlit adds
# meaning to (":" for emoji and colours, "$" for maths, "~" for strikethrough).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&\"'=^%@/;,?])")
# Streamlit's Markdown also turns bare addresses into links (https://..., www...., name@domain) and
# :shortcodes: into emoji after parsing, where backslash escapes no longer count. An invisible word
# joiner (U+2060) after each ":" and before each "@" and "." of "www." breaks those patterns.
WORD_JOINER = "\u2060"
_WWW = re.compile(r"(?i)(www)(\\\.)")


def plain(text: object) -> str:
    """Text that Markdown shows exactly as written: specials escaped, links and shortcodes defused."""
    s = "" if text is None else str(text)
    s = " ".join(s.split())
    s = _MARKDOWN_SPECIAL.sub(r"\\\1", s)
    s = s.replace("\\:", "\\:" + WORD_JOINER).replace("\\@", WORD_JOINER + "\\@")
    return _WWW.sub(r"\1" + WORD_JOINER + r"\2", s)
