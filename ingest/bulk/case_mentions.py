"""The case reports' mentions of a first load, extracted in a process of their own while
the load goes on (ingest/bulk/beside.py).

Extraction needs only the texts and a gazetteer, and both are staged once the registries
are read: the gazetteer takes the staged names and addresses as `Gazetteer.from_graph`
takes the graph's, the most recent first (here the last staged). Linking the mentions
still waits for the graph, after Neo4j's importer. At city scale extraction is minutes of
one core; here it overlaps the passages' links, the import files and the importer.
"""

from __future__ import annotations

from itertools import islice

from ingest.bulk.beside import Beside
from ingest.bulk.stage import PROPS, StagedGraph
from ingest.extraction.gazetteer import DEFAULT_LIMIT
from ingest.extraction.hook import CASE_LABEL, CaseTexts
from ingest.extraction.link_cypher import TEXT_PROPERTY
from ingest.extraction.mentions import Mention

# What the gazetteer's queries read (tests/ingest/test_bulk_case_mentions.py keeps them in step).
PERSON, NAME, ADDRESS = "Person", "name", "Address"


def staged_gazetteer(graph: StagedGraph, limit: int = DEFAULT_LIMIT) -> tuple[list[str], list[str], bool]:
    """(names, address keys, truncated) as `Gazetteer.from_graph` reads them from a graph
    holding what `graph` holds."""
    held = (node[PROPS].get(NAME) for node in reversed(graph.nodes[PERSON].values()))
    names = list(islice((name for name in held if name is not None), limit + 1))
    addresses = list(islice(reversed(graph.nodes[ADDRESS]), limit + 1))
    truncated = len(names) > limit or len(addresses) > limit
    return names[:limit], [str(key) for key in addresses[:limit]], truncated


def staged_texts(graph: StagedGraph, collected: list[CaseTexts]) -> list[str]:
    """The distinct texts of the collected cases, as the graph will hold them."""
    cases = graph.nodes[CASE_LABEL]
    texts = {}
    for collector in collected:
        for case_id in collector.rows:
            node = cases.get(case_id)
            if node is not None:
                texts[node[PROPS].get(TEXT_PROPERTY) or ""] = None
    return list(texts)


def extract(texts: list[str], names: list[str], addresses: list[str], truncated: bool) -> dict[str, list[Mention]]:
    """Each text's mentions (run in the other process)."""
    from ingest.extraction.extractor import Extractor
    from ingest.extraction.gazetteer import Gazetteer

    extractor = Extractor.load(gazetteer=Gazetteer.from_values(names, addresses, truncated=truncated))
    return dict(zip(texts, extractor.extract_many(texts), strict=True))


def extract_beside(graph: StagedGraph, collected: list[CaseTexts]) -> Beside | None:
    """Start extracting the collected cases' texts; None when there are none."""
    texts = staged_texts(graph, collected)
    if not texts:
        return None
    names, addresses, truncated = staged_gazetteer(graph)
    # Spawned, not forked: this process is large by now and goes on changing its heap.
    return Beside("extracting the case reports' mentions", extract, texts, names, addresses, truncated, start="spawn")


__all__ = ["extract_beside", "staged_gazetteer"]
