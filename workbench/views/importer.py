"""Import: upload CSV, XLSX or JSON-lines files, choose a spec, preview, dry-run, import, get rejects."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from access import AccessError, Permission
from graph.errors import GraphError
from ingest.api import ImportReport
from ingest.passages.run import PassageImportReport
from ingest.readers import SourceError
from ingest.spec import SpecError, builtin_specs
from workbench import exports, importing, resources, session
from workbench.context import require, t
from workbench.display import Display, md_escape
from workbench.investigator import Investigator
from workspace import Workspace

UPLOAD_KEY = "gb_import_paths"
REPORT_KEY = "gb_import_report"


def render() -> None:
    investigator = require(Permission.IMPORT, page="import")
    display = session.display(investigator)
    workspace = resources.workspace()
    st.title(t("page.import"))
    paths = _uploads(workspace)
    if not paths:
        return
    specs = builtin_specs(workspace.schema)
    spec = st.selectbox(
        t("import.spec"),
        ["", *specs],
        format_func=lambda s: f"{specs[s].names.get(investigator.lang)} ({s})" if s else t("import.auto"),
        key="gb_import_spec",
    )
    for path in paths:
        try:
            header, rows = importing.preview(path)
        except SourceError as exc:
            session.say("error", t("import.failed", error=exc))
            continue
        st.caption(md_escape(f"{path.name} · " + t("import.preview", n=len(rows))))
        st.dataframe(display.frame(rows, header), hide_index=True, width="stretch")

    left, right = st.columns(2)
    dry_run = left.button(t("import.dry_run"), key="gb_import_dry")
    run = right.button(t("import.run"), type="primary", key="gb_import_run")
    if (dry_run or run) and not _run(workspace, investigator, paths, spec or None, dry_run=dry_run):
        return
    report = st.session_state.get(REPORT_KEY)
    if report is not None:
        _report(display, report)


def _uploads(workspace: Workspace) -> list[Path]:
    """The files uploaded, kept server-side once per batch; none until some are chosen."""
    uploads = st.file_uploader(
        t("import.files"), type=["csv", "xlsx", "jsonl"], accept_multiple_files=True, key="gb_uploads"
    )
    if not uploads:
        st.session_state.pop(UPLOAD_KEY, None)
        return []
    names = tuple(sorted(u.name for u in uploads))
    stored = st.session_state.get(UPLOAD_KEY)
    if stored is None or stored[0] != names:
        folder = importing.upload_folder(workspace.settings)
        stored = (names, [importing.store(folder, u.name, u.getvalue()) for u in uploads])
        st.session_state[UPLOAD_KEY] = stored
        st.session_state.pop(REPORT_KEY, None)
    return stored[1]


def _run(
    workspace: Workspace, investigator: Investigator, paths: list[Path], spec: str | None, *, dry_run: bool
) -> bool:
    """Import (or dry-run) with a progress bar; the report is kept for the page. False, with
    the error shown, when the import did not run."""
    bar = st.progress(0.0)

    def progress(p) -> None:
        share = p.rows_done / p.rows_total if p.rows_total else 0.0
        bar.progress(min(share, 1.0), text=t("import.progress", file=p.path.name, done=p.rows_done, total=p.rows_total))

    try:
        report = importing.run_import(workspace, paths, investigator, spec=spec, dry_run=dry_run, progress=progress)
    except (SpecError, SourceError, GraphError, ValueError, AccessError) as exc:
        session.say("error", t("import.failed", error=exc))
        return False
    bar.progress(1.0)
    st.session_state[REPORT_KEY] = report
    return True


def _report(display: Display, report: ImportReport | PassageImportReport) -> None:
    """What the last import read, loaded and rejected, and its reject file to download."""
    session.say(
        "success", t("import.report", read=report.rows_read, loaded=report.rows_loaded, rejected=report.rows_rejected)
    )
    st.dataframe(display.frame([f.as_dict() for f in report.files]), hide_index=True, width="stretch")
    if report.rows_rejected and report.rejects_path and Path(report.rejects_path).exists():
        rejects = Path(report.rejects_path)
        st.download_button(
            t("import.rejects"),
            data=lambda: exports.text_file(
                rejects.read_text(encoding="utf-8").splitlines(keepends=True),
                display,
                what="rejects.csv",
                permission=Permission.IMPORT,
            ),
            file_name="rejects.csv",
            mime="text/csv",
            on_click="ignore",
            key="gb_import_rejects",
        )
