"""`goldenbell workbench --open` opens the browser only once the workbench answers."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cli import open_when_ready as opener


class Health(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/_stcore/health" else 404)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def test_the_browser_opens_once_the_server_answers(monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(opener.webbrowser, "open", lambda url: opened.append(url) or True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        assert opener.open_when_ready(url, timeout=10)
    finally:
        server.shutdown()
    assert opened == [url]


def test_nothing_opens_when_nothing_answers(monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(opener.webbrowser, "open", lambda url: opened.append(url) or True)
    assert not opener.open_when_ready("http://127.0.0.1:9/", timeout=1)
    assert opened == []
