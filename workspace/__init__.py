"""The front object: one workspace, opened from the settings, wires the gateway, schema, query
catalog, audit log, query runner, users and sessions once for the command line, the workbench
and the benchmarks."""

from workspace.wiring import Workspace

__all__ = ["Workspace"]
