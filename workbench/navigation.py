"""The workbench's pages, in menu order, who may open each, and switching between them."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from access.roles import Permission, may
from workbench import page_switch
from workbench.context import require, t
from workbench.views import (
    alerts,
    audit,
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

# url path → (render function, message key of the title, permission the page needs). No icons:
# Streamlit fetches Material icons from the internet, and the workbench makes no request beyond itself.
PAGES: dict[str, tuple[Callable[[], None], str, Permission | None]] = {
    "search": (search.render, "page.search", Permission.SEARCH),
    "profile": (profile.render, "page.profile", Permission.SEARCH),
    "explorer": (explorer.render, "page.explorer", Permission.SEARCH),
    "packs": (packs.render, "page.packs", Permission.SEARCH),
    "alerts": (alerts.render, "page.alerts", Permission.SEARCH),
    "map": (geo.render, "page.geo", Permission.SEARCH),
    "import": (importer.render, "page.import", Permission.IMPORT),
    "investigations": (investigations.render, "page.investigations", Permission.SEARCH),
    "console": (console.render, "page.console", Permission.CONSOLE),
    "audit": (audit.render, "page.audit", Permission.READ_AUDIT),
    "status": (status.render, "page.status", None),
}
DEFAULT = "search"
SIGN_IN = "login"


def allowed(role: str) -> list[str]:
    """The pages a role may open, in menu order: the menu shows nothing a role may not use."""
    return [name for name, (_, _, permission) in PAGES.items() if permission is None or may(role, permission)]


def page(name: str, *, default: bool = False, hidden: bool = False) -> st.Page:
    render, title, _ = PAGES[name]
    visibility = "hidden" if hidden else "visible"
    return st.Page(render, title=t(title), url_path=name, default=default, visibility=visibility)


def pages(role: str | None) -> list[st.Page]:
    """The menu for a signed-in role; for nobody, the login form alone. The pages the role may
    not open are kept out of the menu but not out of reach: a link to one (a colleague's
    address) meets the page's own refusal, recorded and in the user's language, rather than
    Streamlit's "page not found" in English. Signed out, every page's address shows the login
    form, and the page itself once signed in."""
    if role is None:
        login = st.Page(_sign_in, title=t("login.title"), url_path=SIGN_IN, default=True)
        linked = [
            st.Page(_sign_in, title=t(title), url_path=name, visibility="hidden")
            for name, (_, title, _) in PAGES.items()
        ]
        return [login, *linked]
    names = allowed(role)
    first = DEFAULT if DEFAULT in names else names[0]
    menu = [page(name, default=name == first) for name in names]
    return menu + [page(name, hidden=True) for name in PAGES if name not in names]


page_switch.register(page)


def _sign_in() -> None:
    require(None)  # draws the login form and stops
