"""Stored text shown literally in Streamlit markdown: every markdown character escaped.

Besides markdown's own characters this escapes what Streamlit's markdown would turn into
something else: ``:`` (``:smile:`` emoji and ``:material/warning:`` icon shortcodes, and the
``http:`` of a bare URL, which would become a link), ``@`` (an e-mail address becomes a link),
``&`` (``&lt;b&gt;`` would show as ``<b>``) and the dot of ``www.`` (a link too). A backslash
before ASCII punctuation is CommonMark's literal escape, so the text reads exactly as stored.
"""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>~|$#:@&])")
_WWW = re.compile(r"(?i)(www)\.")


def markdown_text(text: str) -> str:
    """``text`` shown literally inside st.markdown: every markdown (and LaTeX ``$``) character,
    shortcode colon, link-making ``@`` and ``www.`` and entity ``&`` escaped."""
    return _WWW.sub(r"\1\\.", _MARKDOWN_SPECIAL.sub(r"\\\1", text))


def markdown_cell(text: str | None) -> str:
    """``text`` as one line shown literally inside markdown: a table cell, or after other text."""
    return markdown_text(" ".join((text or "").split()))


# A line starting so would open a block (a list "1." "1)" "-" "+", a heading underline "="); with
# its punctuation escaped it is shown as typed (a backslash before a digit would show itself).
_BLOCK_START = re.compile(r"^(\d{1,9})?([.)\-+=])")


def markdown_lines(text: str | None, *, after_label: bool = False) -> str:
    """Stored text shown literally in markdown, line by line (its leading spaces kept). After a
    label on the same line (``after_label``) its first line cannot start a block: left as it is."""
    out = []
    for n, line in enumerate((text or "").splitlines()):
        body = line.lstrip(" ")
        indent = "\u00a0" * (len(line) - len(body))  # a no-break space is kept where a space is not
        body = markdown_text(body)
        out.append(indent + (body if after_label and n == 0 else _BLOCK_START.sub(r"\1\\\2", body)))
    return "  \n".join(out)


def plain(text: str | None) -> str:
    """A message (``st.success``, ``st.error``, ``st.info``, ``st.warning``) holding figures, dates
    or stored text, shown as plain text: "2025. 8. 31. 기준 ..." would otherwise open a numbered
    list (2025.), and stored text could carry markdown."""
    return markdown_lines(text)
