"""The queries the workbench's pages run by id are in the catalog, or it does not load."""

from __future__ import annotations

import pytest

from queries import page_queries
from queries.pack_model import BUILTIN_DIR, PackError, load_catalog, pack_files


def test_every_query_a_page_runs_is_in_the_builtin_catalog(schema):
    catalog = load_catalog(schema)
    assert set(page_queries.PAGE_QUERIES) <= set(catalog.queries)


def test_a_catalog_without_a_page_query_is_refused_naming_it(schema):
    without_links = [path for path in pack_files() if path.name != "links.yaml"]
    with pytest.raises(PackError) as caught:
        load_catalog(schema, without_links, required=page_queries.PAGE_QUERIES)
    message = str(caught.value)
    assert str(BUILTIN_DIR) in message
    for query_id in (page_queries.NEIGHBOURHOOD, page_queries.SHORTEST_PATHS, page_queries.TIMELINE):
        assert query_id in message
    assert page_queries.SEARCH not in message
