"""The event store: immutable, time-stamped sensor events (passages) in Parquet files,
partitioned by day and source, read in-process by DuckDB. It knows nothing of the graph
or of the importers above it."""
