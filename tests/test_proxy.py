"""The committed reverse-proxy configuration (deploy/nginx.conf) in front of a running app.

nginx is one of the test dependencies (Makefile DEBIAN_PACKAGES): a machine without it fails
here. The file is started as committed, with only its "site:" values replaced (ports on the
loopback address, a certificate made with openssl for this run, the app's address, the access
log), in front of `python -m governance_app serve`; requests go over TLS and must carry the
headers, keep Streamlit's metrics from the web, serve the app's page and its health check,
upgrade the websocket, and refuse /media to a client that never opened the app.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from governance_app.core.settings import ROOT

pytestmark = pytest.mark.xdist_group("browser")  # one app server for the module, on one worker
CONFIG = ROOT / "deploy" / "nginx.conf"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Proxy:
    tls_port: int
    plain_port: int
    app_port: int
    context: ssl.SSLContext  # trusts this run's certificate only

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPSConnection("localhost", self.tls_port, context=self.context, timeout=20)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()


def _wait_for(url: str, log: Path, what: str, context: ssl.SSLContext | None = None) -> None:
    for _ in range(120):
        try:
            if urllib.request.urlopen(url, timeout=1, context=context).read() == b"ok":
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"{what} did not start: {log.read_text() if log.exists() else ''}")


def rendered(where: Path, tls_port: int, plain_port: int, app_port: int, cert: Path, key: Path) -> str:
    """The committed file with its site values replaced; each must be there exactly once."""
    text = CONFIG.read_text()
    for old, new in (
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{tls_port} ssl http2;"),
        ("listen 80;", f"listen 127.0.0.1:{plain_port};"),
        ("/etc/ssl/governance/fullchain.pem", str(cert)),
        ("/etc/ssl/governance/privkey.pem", str(key)),
        ("/var/log/nginx/governance-access.log", str(where / "access.log")),
        ("server 127.0.0.1:8501;", f"server 127.0.0.1:{app_port};"),
        ("server 127.0.0.1:8502;", f"server 127.0.0.1:{app_port} down;"),  # one app process here
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    nginx, openssl = shutil.which("nginx") or "/usr/sbin/nginx", shutil.which("openssl")
    assert Path(nginx).exists(), "nginx is missing: `make system-deps` installs it (Makefile DEBIAN_PACKAGES)"
    assert openssl, "openssl is missing"
    where = tmp_path_factory.mktemp("proxy")
    cert, key = where / "cert.pem", where / "key.pem"
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"),
            *("-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    app_port, tls_port, plain_port = _free_port(), _free_port(), _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{where / 'app.sqlite3'}",
        "DEMO_USERS": "true",
        "DEMO_USERS_FILE": str(where / "demo-users.txt"),
    }
    app_log, nginx_log = where / "app.log", where / "error.log"
    with app_log.open("w") as out:
        app = subprocess.Popen(
            [sys.executable, "-m", "governance_app", "serve", "--port", str(app_port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    conf = where / "nginx.conf"
    conf.write_text(rendered(where, tls_port, plain_port, app_port, cert, key))
    command = [nginx, "-p", str(where), "-c", str(conf)]
    run_options = f"daemon off; pid {where / 'nginx.pid'}; error_log {nginx_log};"
    server = None
    try:
        checked = subprocess.run([*command, "-t", "-g", run_options], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr  # the committed file is valid nginx
        _wait_for(f"http://localhost:{app_port}/_stcore/health", app_log, "the app")
        server = subprocess.Popen([*command, "-g", run_options], stderr=subprocess.STDOUT, stdout=subprocess.PIPE)
        context = ssl.create_default_context(cafile=str(cert))
        _wait_for(f"https://localhost:{tls_port}/_stcore/health", nginx_log, "nginx", context)
        yield Proxy(tls_port, plain_port, app_port, context)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        app.terminate()
        app.wait(timeout=20)


def test_the_health_check_answers_over_tls_with_the_security_headers(proxy: Proxy) -> None:
    status, headers, body = proxy.get("/_stcore/health")
    assert (status, body) == (200, b"ok")
    assert headers["x-frame-options"] == "DENY"
    policy = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy
    assert headers["strict-transport-security"].startswith("max-age=")
    assert headers["x-content-type-options"] == "nosniff"
    assert "nginx/" not in headers.get("server", "")  # no version on show
    with (
        socket.create_connection(("localhost", proxy.tls_port)) as raw,
        proxy.context.wrap_socket(raw, server_hostname="localhost") as tls,
    ):
        assert tls.version() in ("TLSv1.2", "TLSv1.3")


def test_the_apps_page_is_served_over_tls(proxy: Proxy) -> None:
    status, headers, body = proxy.get("/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    page = body.decode()
    assert '<div id="root">' in page and "streamlit" in page.lower()
    assert headers["x-frame-options"] == "DENY" and "content-security-policy" in headers
    direct = urllib.request.urlopen(f"http://localhost:{proxy.app_port}/", timeout=10).read().decode()
    assert direct == page  # the app's own page, unchanged


def test_streamlit_metrics_are_refused_by_the_proxy(proxy: Proxy) -> None:
    direct = urllib.request.urlopen(f"http://localhost:{proxy.app_port}/_stcore/metrics", timeout=10)
    assert direct.status == 200  # the app serves them: the proxy is what keeps them from the web
    status, headers, _ = proxy.get("/_stcore/metrics")
    assert status == 403 and headers["x-frame-options"] == "DENY"
    assert proxy.get("/_stcore/metrics?format=text")[0] == 403


def test_media_needs_the_cookie_of_a_browser_that_opened_the_app(proxy: Proxy) -> None:
    assert proxy.get("/media/0123456789abcdef.png")[0] == 403  # a link passed on, a crawler
    _, headers, _ = proxy.get("/_stcore/health")  # the page's script asks this first, on every load
    cookie = headers.get("set-cookie", "")
    assert cookie.startswith("_streamlit_xsrf="), headers  # what the app hands a browser that opened it
    status, _, _ = proxy.get("/media/0123456789abcdef.png", {"Cookie": cookie.split(";")[0]})
    assert status == 404  # passed to the app, which has no such file


def test_the_websocket_is_upgraded(proxy: Proxy) -> None:
    with (
        socket.create_connection(("localhost", proxy.tls_port), timeout=20) as raw,
        proxy.context.wrap_socket(raw, server_hostname="localhost") as tls,
    ):
        tls.sendall(
            (
                "GET /_stcore/stream HTTP/1.1\r\n"
                f"Host: localhost:{proxy.tls_port}\r\n"
                f"Origin: https://localhost:{proxy.tls_port}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                "Sec-WebSocket-Protocol: streamlit\r\n\r\n"
            ).encode()
        )
        answer = tls.recv(4096).decode(errors="replace")
    assert answer.startswith("HTTP/1.1 101"), answer
    assert "upgrade: websocket" in answer.lower()


def test_plain_http_is_sent_to_https(proxy: Proxy) -> None:
    connection = http.client.HTTPConnection("localhost", proxy.plain_port, timeout=10)
    try:
        connection.request("GET", "/budget")
        response = connection.getresponse()
        assert response.status == 301
        assert response.getheader("Location") == "https://localhost/budget"
    finally:
        connection.close()
