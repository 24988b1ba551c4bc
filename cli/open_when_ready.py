"""Open the workbench in the default browser once it answers; started beside the server by
`goldenbell workbench --open`, so Streamlit itself can stay headless (a non-headless
Streamlit asks for an e-mail address on its first run and stops when nobody answers)."""

from __future__ import annotations

import sys
import time
import urllib.request
import webbrowser


def open_when_ready(url: str, timeout: float = 120.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return webbrowser.open(url)
        except OSError:
            time.sleep(0.5)
    return False


if __name__ == "__main__":
    sys.exit(0 if open_when_ready(sys.argv[1]) else 1)
