"""Passage files (checkpoint and gate) into the event store: read in blocks by Arrow,
checked by DuckDB a whole column at a time, with the rows those checks cannot vouch for
handed to the same row mapper the graph importer uses, so both give the same verdicts."""
