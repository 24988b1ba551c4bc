"""Moving to another page by its name.

The page list (`workbench.navigation`) imports every page, and pages move to one another,
so the list registers how to make a page here when it is loaded rather than every page
importing the list.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

_make_page: Callable[[str], st.Page] | None = None


def register(make_page: Callable[[str], st.Page]) -> None:
    global _make_page
    _make_page = make_page


def go(name: str) -> None:
    """Switch to the page `name` (ends this run)."""
    if _make_page is None:
        raise RuntimeError("the workbench's page list is not loaded")
    st.switch_page(_make_page(name))
