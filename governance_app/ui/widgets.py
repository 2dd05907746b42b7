"""Charts and tables of the pages, each built once per shared value.

``chart(key, build, *args)`` shows a plotly figure whose builder ran once per distinct
argument value (figures are kept by a digest of the arguments' ``repr``, or by identity for
shared values, since building a plotly figure takes tens of milliseconds); its plain form and
its JSON text are computed once too. ``table`` hands Streamlit an Arrow table, which it
serialises several times faster than a pandas frame, made once per shared row set.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

from governance_app.core.findings import Finding
from governance_app.core.i18n import FINDING_COLUMNS, SEVERITY, field_label
from governance_app.naming import Names
from governance_app.ui.cache import DERIVED_MAX_ENTRIES, _identity, _Lru, _quick_key, derived
from governance_app.ui.markdown import markdown_text

P = ParamSpec("P")

FIGURE_MAX_ENTRIES = 256


# --- charts ---------------------------------------------------------------------------------


class _FrozenFigure(go.Figure):
    """A cached figure: never changed after it is built, so its plain form is computed once.

    ``st.plotly_chart`` calls ``to_dict()`` (a deep copy and base64 packing of every array) on
    every run, which costs more than the rest of a page.
    """

    _frozen: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return self._frozen


# "#"-digest key or quick key -> (figure, the arguments of a quick key: alive, see _quick_key)
_figures = _Lru(FIGURE_MAX_ENTRIES)


def figure(build: Callable[P, go.Figure], *args: P.args, **kwargs: P.kwargs) -> go.Figure:
    """``build(*args, **kwargs)``, built once per distinct argument value and shared: do not change it.

    Arguments are told apart by a digest of their ``repr``; when they are atoms and shared values
    (``frozen``, ``derived``), by identity first, without the ``repr`` of a long table."""
    quick = _quick_key(build, args, kwargs)
    if quick is not None and (kept := _figures.get(quick)) is not None:
        return kept[0]
    digest = hashlib.blake2b(repr((args, sorted(kwargs.items()))).encode(), digest_size=16).hexdigest()
    key = f"{_identity(build)}#{digest}"
    kept = _figures.get(key)
    if kept is None:
        fig = build(*args, **kwargs)
        spec = fig.to_dict()
        fig.__class__ = _FrozenFigure  # same layout as go.Figure; only to_dict differs
        fig._frozen = spec
        kept = (fig, None)
        _figures.put(key, kept)
    if quick is not None:
        _figures.put(quick, (kept[0], (args, kwargs)))
    return kept[0]


def chart(key: str, build: Callable[P, go.Figure], *args: P.args, **kwargs: P.kwargs) -> None:
    """Show ``build(*args, **kwargs)`` (cached as by ``figure``) under the stable element key ``key``."""
    st.plotly_chart(figure(build, *args, **kwargs), key=key, width="stretch")


# --- tables ---------------------------------------------------------------------------------

_FIGURE = re.compile(r"^([△-]?[\d,]+(\.\d+)?[%명건]?|-|미도입)$")
ROW_PX = 35  # Streamlit's data grid row height
# st.column_config.TextColumn(alignment="right") without its unset (None) entries, which
# Streamlit drops before sending: the same column, without deep-copying a dozen Nones per run.
_RIGHT = {
    k: ({kk: vv for kk, vv in v.items() if vv is not None} if isinstance(v, dict) else v)
    for k, v in st.column_config.TextColumn(alignment="right").items()
    if v is not None
}


def _arrow(rows: Sequence[Any]) -> pa.Table:
    """Columns in first-seen order; a column mixing types is shown as text, as Streamlit would."""
    columns = list(dict.fromkeys(k for r in rows for k in r))
    data = {c: [r.get(c) for r in rows] for c in columns}
    for c, values in data.items():
        if len({type(v) for v in values if v is not None}) > 1:
            data[c] = [None if v is None else str(v) for v in values]
    try:
        return pa.table(data)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.table({c: [None if v is None else str(v) for v in values] for c, values in data.items()})


def _table_parts(rows: Sequence[Any]) -> tuple[pa.Table, dict[str, Any], int]:
    """The Arrow table, the column configuration (figures right-aligned) and the height."""
    frame = _arrow(rows)
    config = {
        column: _RIGHT for column in frame.column_names if rows and all(_FIGURE.match(str(r.get(column))) for r in rows)
    }
    return frame, config, min(ROW_PX * (len(rows) + 1) + 3, 1600)


# quick key -> (parts, the rows: alive)
_tables = _Lru(DERIVED_MAX_ENTRIES)


def table(rows: Sequence[Any] | pd.DataFrame, *, key: str | None = None, height: int | None = None) -> None:
    """A read-only table whose dict keys are the (Korean) column headings.

    Columns that hold only figures are right-aligned as in the printed tables, and the
    table is tall enough to show every row without an inner scrollbar. Rows that ``derived``
    handed out (a tuple of read-only mappings) are made into an Arrow table once, not per run.
    """
    if isinstance(rows, pd.DataFrame):
        rows = rows.to_dict("records")
    quick = _quick_key(table, (rows,), {})
    kept = _tables.get(quick) if quick is not None else None
    if kept is None:
        kept = (_table_parts(rows), rows)
        if quick is not None:
            _tables.put(quick, kept)
    frame, config, fitted = kept[0]
    st.dataframe(frame, hide_index=True, width="stretch", key=key, column_config=config, height=height or fitted)


NO_NAMES = Names({})  # tables and fields still by their Korean names, codes as they are


def _findings_rows(findings: Sequence[Finding], names: Names) -> list[dict[str, Any]]:
    """Each finding in words: where (table and row by name), which field, the two values, what."""
    return [
        {
            FINDING_COLUMNS["where"]: names.where(f.table, f.row),
            FINDING_COLUMNS["field"]: field_label(f.field, f.table),
            FINDING_COLUMNS["reported"]: f.reported,
            FINDING_COLUMNS["expected"]: f.expected,
            FINDING_COLUMNS["severity"]: SEVERITY[f.severity],
            FINDING_COLUMNS["message"]: f.message,
        }
        for f in findings
    ]


def findings_table(findings: Sequence[Finding], *, names: Names | None = None, key: str | None = None) -> None:
    table(derived(_findings_rows, findings, names or NO_NAMES), key=key)


# --- file uploads ---------------------------------------------------------------------------

# Streamlit 1.67's uploader draws its own English: an "Upload" button, "20MB per file • CSV, XLSX"
# under it, "Drag and drop a file here" while a file is dragged over it, and, for a file it refuses
# itself, "<type> files are not allowed." or "File must be 20.0MB or smaller." It has no option
# for any of these. So the one uploader of the pages accepts every type and the server's size
# (Streamlit then refuses nothing itself) and checks type and size here, in Korean; the drawn
# English is replaced by CSS (the widget's own words hidden, ours drawn by ::after in their place).
# A file over the server's limit (server.maxUploadSize) is still refused by Streamlit: its chip
# then says so in Korean too.
UPLOAD_BUTTON = "파일 선택"
UPLOAD_DROP = "여기에 파일을 놓으세요"
UPLOAD_FAILED = "올리지 못했습니다"


def _css_text(text: str) -> str:
    """``text`` as a CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def upload_rules(kinds: Sequence[str], max_bytes: int) -> str:
    """What a page's uploader takes, as its instructions line says: "CSV·XLSX 파일, 2MB까지"."""
    return f"{'·'.join(k.upper() for k in kinds)} 파일, {_size(max_bytes)}까지"


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        mb = n / (1024 * 1024)
        return f"{mb:.0f}MB" if mb == int(mb) else f"{mb:.1f}MB"
    return f"{max(1, round(n / 1024))}KB"


def _uploader_css(key: str, rules: str) -> str:
    scope = f".st-key-{key}"
    zone = f'{scope} [data-testid="stFileUploaderDropzone"]'
    hidden = "font-size:0;line-height:0;"
    shown = "font-size:0.875rem;line-height:1.6;"
    return (
        "<style>"
        # the button's "Upload" (a markdown paragraph beside its icon, which stays)
        f'{zone} button [data-testid="stMarkdownContainer"] p{{{hidden}}}'
        f'{zone} button [data-testid="stMarkdownContainer"] p::after{{content:{_css_text(UPLOAD_BUTTON)};{shown}}}'
        # "20MB per file • CSV, XLSX"
        f'{scope} [data-testid="stFileUploaderDropzoneInstructions"] span{{{hidden}}}'
        f'{scope} [data-testid="stFileUploaderDropzoneInstructions"] span::after'
        f"{{content:{_css_text(rules)};{shown}}}"
        # "Drag and drop a file here": the overlay while a file is dragged (the one child without a button)
        f"{zone} > div:not(:has(button)):not([data-testid]) *{{{hidden}}}"
        f"{zone} > div:not(:has(button)):not([data-testid])::after{{content:{_css_text(UPLOAD_DROP)};{shown}}}"
        # a file Streamlit refused itself (over the server's limit, or the upload broke off)
        f'{scope} [data-testid="stFileChip"][aria-invalid="true"] [role="alert"]{{{hidden}}}'
        f'{scope} [data-testid="stFileChip"][aria-invalid="true"]::after'
        f"{{content:{_css_text(UPLOAD_FAILED + ' (' + rules + ')')};{shown}}}"
        "</style>"
    )


def korean_uploader(key: str, rules: str) -> None:
    """Streamlit's uploader words in Korean for the uploader ``key`` ("파일 선택", ``rules`` as its
    instructions line), where a page checks the file itself (file_upload, the audit evidence)."""
    st.html(_uploader_css(key, rules))


def file_upload(
    label: str,
    *,
    kinds: Sequence[str],
    max_bytes: int,
    key: str,
    help: str | None = None,  # Streamlit's name for it
) -> Any | None:
    """The pages' one file uploader, in Korean: ``kinds`` are the extensions taken ("csv", "xlsx"),
    ``max_bytes`` the largest file. Returns the uploaded file (``name``, ``file_id``,
    ``getvalue()``) when it is of an accepted kind and size; otherwise shows why in Korean and
    returns None. Nothing is refused by Streamlit's own (English) checks below the server's limit."""
    from streamlit import config

    wanted = tuple(k.lower().lstrip(".") for k in kinds)
    korean_uploader(key, upload_rules(wanted, max_bytes))
    file = st.file_uploader(
        label,
        type=None,
        key=key,
        help=help,
        max_upload_size=int(config.get_option("server.maxUploadSize")),
    )
    if file is None:
        return None
    name = str(file.name)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in wanted:
        st.error(
            f"{markdown_text(name)}: 올릴 수 없는 형식입니다. "
            f"{'·'.join(k.upper() for k in wanted)} 파일만 올릴 수 있습니다."
        )
        return None
    size = int(file.size)
    if size > max_bytes:
        st.error(f"{markdown_text(name)}: 파일이 너무 큽니다 ({_size(size)}). {_size(max_bytes)}까지 올릴 수 있습니다.")
        return None
    return file
