"""Plotly figures to PNG through kaleido, with one browser per process and a cache.

kaleido 1.x drives Debian's chromium; starting it per figure costs ~3 s, so one server is
started on first use and stopped at exit. Figures are cached by their JSON, so a document
rebuilt from unchanged data reuses its images.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import io
import shutil
import threading

import kaleido
import plotly.graph_objects as go
from PIL import Image

_CACHE: dict[str, bytes] = {}
_JPEG: dict[str, bytes] = {}
_LOCK = threading.Lock()
_started = False


class ChartExportError(RuntimeError):
    pass


def _ensure_server() -> None:
    global _started
    if _started:
        return
    if not shutil.which("chromium") and not shutil.which("chromium-browser"):
        raise ChartExportError("chart export needs Debian's chromium package (make run installs it)")
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    atexit.register(kaleido.stop_sync_server, silence_warnings=True)
    _started = True


def png(figure: go.Figure, width: int, height: int, scale: float = 2.0) -> bytes:
    payload = figure.to_json()
    key = hashlib.sha256(f"{width}x{height}@{scale}:{payload}".encode()).hexdigest()
    with _LOCK:
        if key not in _CACHE:
            _ensure_server()
            opts = {"format": "png", "width": width, "height": height, "scale": scale}
            _CACHE[key] = kaleido.calc_fig_sync(figure, opts=opts)
        return _CACHE[key]


def jpeg(figure: go.Figure, width: int, height: int, scale: float = 2.0, quality: int = 93) -> bytes:
    """The chart as JPEG for the PDF: reportlab embeds JPEG data as it is (DCTDecode), where a
    PNG would be decoded and recompressed on every render."""
    data = png(figure, width, height, scale)
    key = hashlib.sha256(data).hexdigest()
    with _LOCK:
        if key not in _JPEG:
            out = io.BytesIO()
            Image.open(io.BytesIO(data)).convert("RGB").save(out, "JPEG", quality=quality, optimize=True)
            _JPEG[key] = out.getvalue()
        return _JPEG[key]


def warm_up() -> None:
    """Start the chart browser and export one small figure, so the first document a user
    asks for does not wait for Chromium (about 3 s). Errors are left for the real export."""
    with contextlib.suppress(Exception):  # a missing chromium is reported when a document is made
        png(go.Figure(go.Bar(x=["가"], y=[1])), 120, 80, scale=1.0)
