"""Import: upload CSV, XLSX or JSON-lines files, choose a spec, preview, dry-run, import, get rejects.

A run is a success only when nothing was rejected; otherwise the page says how many rows
were rejected and why, and what to import first when rows refer to entities not yet in the
graph. A file already imported is said so, with a way to import it again. While a run goes
on, the previous run's result (and its reject file) is gone from the page."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from access import AccessError, Permission
from graph.errors import GraphError
from ingest.readers import SourceError
from ingest.spec import SpecError, builtin_specs
from workbench import exports, import_faults, importing, resources, session
from workbench.context import lang, require, t
from workbench.display import Display, md_escape
from workbench.investigator import Investigator
from workbench.messages import MESSAGES
from workspace import Workspace

UPLOAD_KEY = "gb_import_paths"
REPORT_KEY = "gb_import_report"
FORCE_KEY = "gb_import_force_files"  # the names of the files to import again, set by the button
FAULTS = (SpecError, SourceError, GraphError, AccessError, OSError, ValueError)


def render() -> None:
    investigator = require(Permission.IMPORT, page="import")
    display = session.display(investigator)
    workspace = resources.workspace()
    st.title(t("page.import"))
    batch = _uploads(workspace)
    if batch is None:
        return
    for name, times in batch.repeated.items():
        session.say("info", t("import.repeated", file=name, n=times))
    specs = builtin_specs(workspace.schema)
    spec = st.selectbox(
        t("import.spec"),
        ["", *specs],
        format_func=lambda s: f"{specs[s].names.get(investigator.lang)} ({s})" if s else t("import.auto"),
        key="gb_import_spec",
    )
    for path in batch.paths:
        try:
            header, rows = importing.preview(path)
        except SourceError as exc:
            session.say("error", import_faults.said(exc, lang()))
            continue
        st.caption(md_escape(f"{path.name} · " + t("import.preview", n=len(rows))))
        st.dataframe(display.frame(rows, header), hide_index=True, width="stretch")

    left, right = st.columns(2)
    dry_run = left.button(t("import.dry_run"), key="gb_import_dry")
    run = right.button(t("import.run"), type="primary", key="gb_import_run")
    again = st.session_state.pop(FORCE_KEY, ())
    forced = [p for p in batch.paths if p.name in again]
    # Where the result goes: emptied as soon as a run begins, so the previous run's reject
    # file is never offered while this run writes.
    result = st.empty()
    if dry_run or run or forced:
        st.session_state.pop(REPORT_KEY, None)
        # "Re-import" takes the files skipped as already imported, and those alone.
        paths, force = (batch.paths, False) if dry_run or run else (forced, True)
        with result.container():
            done = _run(workspace, investigator, paths, spec or None, dry_run=dry_run, force=force)
        if not done:
            return
    report = st.session_state.get(REPORT_KEY)
    if report is not None:
        with result.container():
            _report(display, workspace, report)


def _uploads(workspace: Workspace) -> importing.Batch | None:
    """The files uploaded, kept server-side once per batch; None until some are chosen, or
    when they cannot be kept (said on the page)."""
    uploads = st.file_uploader(
        t("import.files"), type=["csv", "xlsx", "jsonl"], accept_multiple_files=True, key="gb_uploads"
    )
    if not uploads:
        st.session_state.pop(UPLOAD_KEY, None)
        st.session_state.pop(REPORT_KEY, None)
        return None
    chosen = tuple(u.file_id for u in uploads)
    stored = st.session_state.get(UPLOAD_KEY)
    if stored is None or stored[0] != chosen:
        st.session_state.pop(REPORT_KEY, None)
        try:
            kept = importing.keep_uploads(
                importing.upload_folder(workspace.settings), [(u.name, u.getvalue()) for u in uploads]
            )
        except (importing.UploadRefused, OSError) as exc:
            kept = exc
        stored = (chosen, kept)
        st.session_state[UPLOAD_KEY] = stored
    if isinstance(stored[1], Exception):
        session.say("error", import_faults.said(stored[1], lang()))
        return None
    return stored[1]


def _run(
    workspace: Workspace,
    investigator: Investigator,
    paths: list[Path],
    spec: str | None,
    *,
    dry_run: bool,
    force: bool,
) -> bool:
    """Import (or dry-run) with a progress bar; the report is kept for the page. False, with
    the error shown, when the import did not run."""
    bar = st.progress(0.0)

    def progress(p) -> None:
        share = p.rows_done / p.rows_total if p.rows_total else 0.0
        text = t("import.progress", file=p.path.name, done=p.rows_done, total=p.rows_total)
        bar.progress(min(share, 1.0), text=md_escape(text))  # a file name is the user's text, not Markdown

    try:
        report = importing.run_import(
            workspace, paths, investigator, spec=spec, dry_run=dry_run, force=force, progress=progress
        )
    except FAULTS as exc:
        session.say("error", import_faults.said(exc, lang()))
        return False
    st.session_state[REPORT_KEY] = report
    return True


def _report(display: Display, workspace: Workspace, report: importing.Report) -> None:
    """What the last run read, loaded and rejected and why, what is left to do, and its
    reject file to download."""
    counts = {"read": report.rows_read, "loaded": report.rows_loaded, "rejected": report.rows_rejected}
    dry = getattr(report, "dry_run", False)
    skipped = importing.skipped(report)
    if report.rows_rejected:
        session.say(
            "warning", t("import.rejected_dry" if dry else "import.rejected", reasons=_reasons(report), **counts)
        )
    elif skipped and not report.rows_read:
        session.say("info", t("import.nothing_new", **counts))
    else:
        session.say("success", t("import.done_dry" if dry else "import.done", **counts))
    for missing in importing.missing_references(report, workspace.schema):
        session.say("warning", _missing_words(display, missing))
    for file in skipped:
        if file.in_store:
            session.say("info", t("import.already_store", file=file.name, run=file.run_id))
        elif file.run_id:
            session.say("info", t("import.already", file=file.name, run=file.run_id))
        else:
            session.say("info", t("import.skipped", file=file.name, why=import_faults.no_paths(file.why)))
    st.dataframe(display.frame(_rows(display, workspace, report, dry)), hide_index=True, width="stretch")
    again = [f.name for f in skipped if f.run_id and not f.in_store]
    if again and not dry:
        st.button(
            t("import.force"),
            key="gb_import_force",
            help=md_escape(t("import.force_help", files=t("import.and").join(again))),
            on_click=_ask_force,
            args=(again,),
        )
    if report.rejects_path and Path(report.rejects_path).exists():  # only once something was written
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


def _ask_force(names: list[str]) -> None:
    st.session_state[FORCE_KEY] = names


def _reason(code: str) -> str:
    """A reason's words with its code, as the reject file's `reason` column has it; a code
    newer than these words is shown as it is."""
    key = f"import.reason.{code}"
    if key not in MESSAGES:
        return code
    return f"{t(key)}（{code}）" if lang() == "zh" else f"{t(key)} ({code})"


def _reasons(report: importing.Report) -> str:
    counted = importing.reasons(report).most_common()
    return t("import.reason_sep").join(t("import.reason_count", reason=_reason(code), n=n) for code, n in counted)


def _missing_words(display: Display, missing: importing.MissingReference) -> str:
    if not missing.labels:
        return t("import.missing_ref_unknown", file=missing.file, n=missing.rows)
    labels = t("import.or").join(display.label_name(label) for label in missing.labels)
    if not missing.providers:
        return t("import.missing_ref", file=missing.file, n=missing.rows, labels=labels, providers=labels)
    providers = t("import.or").join(
        t("import.provider", name=s.names.get(display.lang), patterns=", ".join(s.files)) for s in missing.providers
    )
    return t("import.missing_ref", file=missing.file, n=missing.rows, labels=labels, providers=providers)


def _rows(display: Display, workspace: Workspace, report: importing.Report, dry: bool) -> list[dict[str, object]]:
    """One row per file under the page's own headings: the file as uploaded, never its path."""
    specs = builtin_specs(workspace.schema)
    loaded = t("import.col.loaded_dry" if dry else "import.col.loaded")
    rows = []
    for f in report.files:
        spec = specs.get(f.spec)
        notes = []
        if f.skipped:
            notes.append(t("import.note.skipped"))
        if getattr(f, "resumed_after_row", 0):
            notes.append(t("import.note.resumed", row=f.resumed_after_row))
        if getattr(f, "same_as", None):  # the same content named twice in the batch, imported once
            notes.append(t("import.note.same_as", file=Path(f.same_as).name))
        if getattr(f, "mentions", 0):
            notes.append(t("import.note.mentions", n=f.mentions))
        rows.append(
            {
                t("import.col.file"): f.path.name,
                t("import.col.spec"): spec.names.get(display.lang) if spec else f.spec,
                t("import.col.format"): getattr(f, "format", "") or f.path.suffix.lstrip("."),
                t("import.col.encoding"): getattr(f, "encoding", ""),
                t("import.col.read"): f.rows_read,
                loaded: f.rows_loaded,
                t("import.col.rejected"): f.rows_rejected,
                t("import.col.reasons"): t("import.reason_sep").join(
                    t("import.reason_count", reason=_reason(code), n=n) for code, n in f.reasons.most_common()
                ),
                t("import.col.note"): t("import.reason_sep").join(notes),
            }
        )
    return rows
