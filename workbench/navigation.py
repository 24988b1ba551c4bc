"""The workbench's pages, in menu order, and switching between them."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from workbench.context import t
from workbench.views import (
    alerts,
    console,
    explorer,
    geo,
    importer,
    investigations,
    packs,
    profile,
    search,
    status,
)

# url path → (render function, message key of the title). No icons: Streamlit fetches Material
# icons from the internet, and the workbench makes no request beyond itself.
PAGES: dict[str, tuple[Callable[[], None], str]] = {
    "search": (search.render, "page.search"),
    "profile": (profile.render, "page.profile"),
    "explorer": (explorer.render, "page.explorer"),
    "packs": (packs.render, "page.packs"),
    "alerts": (alerts.render, "page.alerts"),
    "map": (geo.render, "page.geo"),
    "import": (importer.render, "page.import"),
    "investigations": (investigations.render, "page.investigations"),
    "console": (console.render, "page.console"),
    "status": (status.render, "page.status"),
}
DEFAULT = "search"


def page(name: str) -> st.Page:
    render, title = PAGES[name]
    return st.Page(render, title=t(title), url_path=name, default=name == DEFAULT)


def pages() -> list[st.Page]:
    return [page(name) for name in PAGES]


def go(name: str) -> None:
    """Switch to another page (ends this run)."""
    st.switch_page(page(name))
