"""Python's cycle collector held off while a first load stages the graph in memory.

The staged graph is tens of millions of dicts, tuples and strings that only grow until
they are written, and hold no reference cycles. The collector walks all of them again at
every full collection, and it runs one each time the surviving objects have grown by a
quarter: measured on the city's registries, 67 of their 303 seconds went to it (240 s
with it held off). What does form a cycle (an error kept with its traceback) is rare,
and is collected when the collector runs again after the load.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector off inside, as it was before after."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
