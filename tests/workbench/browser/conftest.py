"""Chromium's renderer process can die on a loaded two-core machine ("Target crashed", "Page
crashed": seen once in a CI run, not again in reruns). That failure is the browser's, not the
workbench's, so such a test runs once more; any other failure fails at once."""

from __future__ import annotations

from pathlib import Path

import pytest

BROWSER_CRASHED = [r"Target crashed", r"Page crashed"]
HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.flaky(reruns=1, only_rerun=BROWSER_CRASHED))
