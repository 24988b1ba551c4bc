"""Every built-in spec's batch statements stream through the server: none makes the
planner hold a whole batch back because a write might change what a later row reads.

`SET n += row.props` did exactly that (an Eager "for some property" after each such
write), and made imports three times slower than naming each property.
"""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import islice

from ingest.api import choose_spec
from ingest.loader import BatchWriter, FileContext
from ingest.mapping import MappedRow, RowMapper
from ingest.readers import open_source
from ingest.spec_headers import resolve_headers
from queries.readonly import operators
from tests.conftest import sample_files


def _statements(path, schema, gateway):
    source = open_source(path)
    spec = choose_spec(path, source, schema, None)
    mapper = RowMapper(spec, resolve_headers(spec, source.header, path), schema)
    rows = [row for raw in islice(source.rows(), 400) if isinstance(row := mapper.map(raw), MappedRow)]
    ctx = FileContext("run-plan-test", "0" * 64, spec.source, spec.name, datetime.now(UTC))
    return BatchWriter(gateway, spec, schema, ctx).prepare(rows)


def test_no_batch_statement_buffers_rows_for_properties_it_cannot_name(gateway, schema, sample_dir):
    planned = 0
    for path in sample_files(sample_dir):
        for cypher, params in _statements(path, schema, gateway):
            plan = gateway.read("test.plan", "EXPLAIN " + cypher, params).summary.plan
            eager = [
                str(op.get("args", {}).get("Details", ""))
                for op in operators(plan)
                if op["operatorType"].startswith("Eager")
            ]
            assert not [why for why in eager if "some property" in why], (path.name, cypher, eager)
            planned += 1
    assert planned >= len(sample_files(sample_dir))  # every file gave at least one statement
