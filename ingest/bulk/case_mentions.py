"""The case reports' mentions of a first load, extracted in a process of their own while
the load goes on (ingest/bulk/beside.py).

The pipeline's steps before the gazetteer need only the texts, which are staged as soon as
the case files are read (the batch reads them first: cases depend on nothing), so they
start at once, on the core the registries' mapping leaves. The gazetteer takes the staged
names and addresses as `Gazetteer.from_graph` takes the graph's, the most recent first
(here the last staged), so its steps wait for the registries (`MentionsBeside.finish`).
Linking the mentions still waits for the graph, after Neo4j's importer. At city scale the
texts' own steps are about two minutes of one core, the gazetteer's some seconds.
"""

from __future__ import annotations

import multiprocessing
import threading
from itertools import islice
from multiprocessing.connection import Connection

from ingest.bulk.beside import Beside
from ingest.bulk.stage import PROPS, StagedGraph
from ingest.extraction.gazetteer import DEFAULT_LIMIT
from ingest.extraction.hook import CASE_LABEL, CaseTexts
from ingest.extraction.link_cypher import TEXT_PROPERTY
from ingest.extraction.mentions import Mention

GAZETTEER_STEP = "gb_gazetteer"  # the first step that needs the gazetteer: it and those after it wait for it
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


def extract(texts: list[str], later: Connection) -> dict[str, list[Mention]]:
    """Each text's mentions (run in the other process): the texts' own steps first, then
    those from the gazetteer on, once `later` brings (names, addresses, truncated, the texts
    as staged by then)."""
    import numpy

    from ingest.extraction.extractor import BATCH_SIZE, Extractor
    from ingest.extraction.gazetteer import Gazetteer

    extractor = Extractor.load()
    nlp = extractor.nlp
    gazetteer_on = nlp.pipe_names[nlp.pipe_names.index(GAZETTEER_STEP) :]
    begun = {}
    with nlp.select_pipes(disable=gazetteer_on):
        for text, doc in zip(texts, nlp.pipe(texts, batch_size=BATCH_SIZE), strict=True):
            # The steps still to run do not read the token vectors: a city's texts would keep
            # 600 MB of them while waiting.
            doc.tensor = numpy.empty((0, doc.tensor.shape[-1]), dtype=doc.tensor.dtype)
            begun[text] = doc
    try:
        names, addresses, truncated, staged = later.recv()
    except EOFError:
        raise RuntimeError("the load stopped before the registries were read") from None
    extractor.use_gazetteer(Gazetteer.from_values(names, addresses, truncated=truncated))
    steps = [nlp.get_pipe(name) for name in gazetteer_on]
    found = {}
    for text in staged:
        doc = begun.get(text)
        if doc is None:  # a text a later file changed: the whole pipeline
            found[text] = extractor.extract(text)
            continue
        for step in steps:
            doc = step(doc)
        found[text] = doc._.gb_mentions
    return found


class MentionsBeside:
    """`start(graph, collected)` once the case files are read, `finish(graph, collected)` once
    the registries are; `result()` is each staged text's mentions."""

    def __init__(self, texts: list[str]):
        receive, self._send = multiprocessing.get_context("spawn").Pipe(duplex=False)
        self._handing: threading.Thread | None = None
        # Spawned, not forked: this process goes on growing and changing its heap.
        self._beside = Beside("extracting the case reports' mentions", extract, texts, receive, start="spawn")
        receive.close()  # the child holds its own end

    @classmethod
    def start(cls, graph: StagedGraph, collected: list[CaseTexts]) -> MentionsBeside | None:
        """Start on the collected cases' texts; None when there are none."""
        texts = staged_texts(graph, collected)
        return cls(texts) if texts else None

    def finish(self, graph: StagedGraph, collected: list[CaseTexts]) -> None:
        """Hand over the gazetteer, and the texts as staged now."""
        handed = (*staged_gazetteer(graph), staged_texts(graph, collected))
        # Megabytes through a pipe wait for the other end to read them, and it reads once its
        # first steps are done: a thread waits, not the load.
        self._handing = threading.Thread(target=self._hand_over, args=(handed,), daemon=True)
        self._handing.start()

    def _hand_over(self, handed: tuple) -> None:
        try:
            self._send.send(handed)
        except OSError:
            pass  # the process has ended (or was stopped): `result()` says why
        finally:
            self._send.close()

    def result(self) -> dict[str, list[Mention]]:
        return self._beside.result()

    def stop(self) -> None:
        self._beside.stop()
        if self._handing is None:
            self._send.close()
        else:
            self._handing.join()  # the pipe's other end is gone: the send ends at once


__all__ = ["MentionsBeside", "staged_gazetteer"]
