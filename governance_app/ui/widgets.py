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
