"""The importer: mapping specs, readers for CSV, XLSX and JSON lines, normalisers, the batch writer
and its rejects, person resolution, and text extraction from case reports."""
