"""A case report's text (案情简述) on its profile, with its mentions highlighted.

The text is cut into segments by `ingest.extraction.segments` (plain text, and the
mentions the import linked to entities); each segment is masked and shown as text, and
each mention gets a button to the profile of the entity it names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import streamlit as st

from ingest.extraction.segments import Segment, segments
from workbench.display import Display, md_escape


def case_segments(text: str, mentions: Iterable[Mapping[str, Any]]) -> list[Segment]:
    """Text → segments; a mention segment carries its mention dict (with the entity's `ref`)."""
    return segments(text, mentions)


def render_case_text(text: str, mentions: list[Mapping[str, Any]], display: Display) -> None:
    """Masked, never read as Markdown or HTML; mentions in bold, each with a button to its profile."""
    from workbench import session  # session imports the explorer; only this page needs it here

    pieces = case_segments(text, mentions)
    st.markdown(
        "".join(
            f"**{md_escape(display.text(piece.text))}**" if piece.mention else md_escape(display.text(piece.text))
            for piece in pieces
        )
    )
    linked = [piece for piece in pieces if piece.mention]
    columns = st.columns(min(len(linked), 4) or 1)
    for i, piece in enumerate(linked):
        label = md_escape(display.text(piece.text))
        if columns[i % len(columns)].button(label, key=f"gb_mention_{i}"):
            session.open_profile(piece.mention["ref"])
