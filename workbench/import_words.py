"""The import page's words in both languages: what a run read, loaded and rejected and
why, what is left to do (a file already imported, a reference to a file not yet
imported), the result table's headings, and every fault a batch can meet, naming the
user's file and never a folder of the server. Merged into the catalogue."""

from __future__ import annotations

IMPORT_WORDS: dict[str, tuple[str, str]] = {
    "import.files": ("上传文件（CSV、XLSX、JSONL）", "Upload files (CSV, XLSX, JSONL)"),
    "import.spec": ("映射规格", "Mapping spec"),
    "import.auto": ("自动识别", "choose per file"),
    "import.preview": ("预览（前 {n} 行）", "Preview (first {n} rows)"),
    "import.dry_run": ("试运行（不写入）", "Dry run (writes nothing)"),
    "import.run": ("导入", "Import"),
    "import.progress": ("{file}：{done}/{total} 行", "{file}: {done}/{total} rows"),
    "import.rejects": ("下载拒绝记录", "Download rejects"),
    # the outcome of a run
    "import.done": (
        "导入完成：读取 {read} 行，全部导入（{loaded} 行），没有拒绝。",
        "Imported: {read} rows read, all {loaded} loaded, none rejected.",
    ),
    "import.done_dry": (
        "试运行通过：读取 {read} 行，{loaded} 行都可以导入，没有拒绝（未写入任何数据）。",
        "Dry run passed: {read} rows read, all {loaded} would load, none rejected (nothing was written).",
    ),
    "import.rejected": (
        "有 {rejected} 行被拒绝，未导入：读取 {read} 行，导入 {loaded} 行。拒绝原因：{reasons}。"
        "每一行的位置和原因见下方的拒绝记录。",
        "{rejected} rows were rejected and not loaded: {read} read, {loaded} loaded. Reasons: {reasons}. "
        "The reject file below gives each row and why.",
    ),
    "import.rejected_dry": (
        "试运行发现问题：{rejected} 行会被拒绝（读取 {read} 行，可导入 {loaded} 行；未写入任何数据）。"
        "拒绝原因：{reasons}。",
        "The dry run found problems: {rejected} rows would be rejected ({read} read, {loaded} would load; "
        "nothing was written). Reasons: {reasons}.",
    ),
    "import.reason_count": ("{reason} {n} 行", "{reason}: {n}"),
    "import.reason_sep": ("；", "; "),
    "import.nothing_new": (
        "没有导入新数据：读取 {read} 行，导入 {loaded} 行，拒绝 {rejected} 行。",
        "Nothing new was loaded: {read} rows read, {loaded} loaded, {rejected} rejected.",
    ),
    "import.already": (
        "{file} 已导入过：{run} 已完整导入这个文件，本次跳过。需要再次导入时点击“重新导入”。",
        "{file} was already imported: {run} imported it completely, so it was skipped. "
        "Click “Re-import” to import it again.",
    ),
    "import.already_store": (
        "{file} 已导入过：它已在事件库中（{run}），本次跳过。事件库中的文件不再重复保存。",
        "{file} was already imported: it is in the event store ({run}) and was skipped. "
        "The event store keeps a file once.",
    ),
    "import.skipped": ("{file} 本次跳过：{why}", "{file} was skipped: {why}"),
    "import.force": ("重新导入", "Re-import"),
    "import.force_help": (
        "再次读取并导入已导入过的文件（{files}）；实体按主键合并，不会重复。",
        "Read and import the files already imported ({files}) again; entities merge on their keys, "
        "so nothing is doubled.",
    ),
    "import.missing_ref": (
        "{file} 中有 {n} 行引用的{labels}在图中不存在（reference.missing）。请先导入{providers}，"
        "或把它与本文件放在同一批导入，然后再导入这些行。",
        "{n} rows of {file} refer to a {labels} the graph does not hold (reference.missing). Import "
        "{providers} first, or in the same batch as this file, then import these rows again.",
    ),
    "import.missing_ref_unknown": (
        "{file} 中有 {n} 行引用的对象在图中不存在（reference.missing）：请先导入它们所引用的数据。",
        "{n} rows of {file} refer to entities the graph does not hold (reference.missing): import the "
        "data they refer to first.",
    ),
    "import.provider": ("“{name}”文件（{patterns}）", "the “{name}” file ({patterns})"),
    "import.or": ("或", " or "),
    "import.and": ("、", ", "),
    # the batch as uploaded
    "import.repeated": (
        "{file} 上传了 {n} 次，内容相同，只计一次。",
        "{file} was uploaded {n} times with the same content; it counts once.",
    ),
    # the result table
    "import.col.file": ("文件", "File"),
    "import.col.spec": ("映射规格", "Spec"),
    "import.col.format": ("格式", "Format"),
    "import.col.encoding": ("编码", "Encoding"),
    "import.col.read": ("读取行数", "Rows read"),
    "import.col.loaded": ("导入行数", "Rows loaded"),
    "import.col.loaded_dry": ("可导入行数", "Rows that would load"),
    "import.col.rejected": ("拒绝行数", "Rows rejected"),
    "import.col.reasons": ("拒绝原因", "Reasons"),
    "import.col.note": ("说明", "Note"),
    "import.note.skipped": ("已导入过，跳过", "already imported, skipped"),
    "import.note.resumed": ("从第 {row} 行之后继续", "resumed after row {row}"),
    "import.note.same_as": ("与 {file} 内容相同，只计一次", "same content as {file}; counted once"),
    "import.note.mentions": ("关联提及 {n} 处", "{n} mentions linked"),
    # why a row was rejected: one per code of ingest.reject_reasons.Reason
    "import.reason.required.missing": ("必填项为空", "a required value is blank"),
    "import.reason.citizen_id.format": ("身份证号格式错误", "ID number malformed"),
    "import.reason.citizen_id.check_digit": ("身份证号校验位错误", "ID number check digit wrong"),
    "import.reason.citizen_id.birth_date": ("身份证号中的出生日期不存在", "ID number birth date does not exist"),
    "import.reason.citizen_id.region": ("身份证号地区码无效", "ID number region code unknown"),
    "import.reason.citizen_id.excel_number": (
        "身份证号被表格存成数字（末位已丢失）",
        "ID number stored as a spreadsheet number (digits lost)",
    ),
    "import.reason.plate.invalid": ("号牌无效", "plate invalid"),
    "import.reason.phone.invalid": ("电话号码无效", "phone number invalid"),
    "import.reason.date.invalid": ("日期无效", "date invalid"),
    "import.reason.datetime.invalid": ("时间无效", "date and time invalid"),
    "import.reason.number.invalid": ("数字无效", "number invalid"),
    "import.reason.enum.invalid": ("不是允许的取值", "not an allowed value"),
    "import.reason.point.invalid": ("坐标无效", "coordinates invalid"),
    "import.reason.address.invalid": ("地址无效", "address invalid"),
    "import.reason.bool.invalid": ("是/否值无效", "yes/no value invalid"),
    "import.reason.name.invalid": ("姓名含数字或符号", "name holds digits or symbols"),
    "import.reason.text.invalid": ("文本处是列表或对象", "a list or object where text was expected"),
    "import.reason.value.pattern": ("不符合该类型的格式", "fails its value type's check"),
    "import.reason.row.column_count": ("列数与表头不符", "more or fewer fields than the header"),
    "import.reason.row.duplicate": ("与前面的行完全相同", "identical to an earlier row"),
    "import.reason.row.malformed": ("行无法解析", "row cannot be parsed"),
    "import.reason.reference.missing": ("引用的对象不存在", "refers to an entity not in the graph"),
    "import.reason.reference.ambiguous": ("引用的值对应多个对象", "the value refers to more than one entity"),
    # faults: the batch could not be imported (nothing from the file named was loaded)
    "import.fault.not_found": ("找不到上传的文件 {file}，请重新上传。", "The upload {file} is gone; upload it again."),
    "import.fault.file_type": (
        "{file}：不支持的文件类型“{suffix}”，请上传 .csv、.xlsx 或 .jsonl 文件。",
        "{file}: unsupported file type '{suffix}'; upload .csv, .xlsx or .jsonl files.",
    ),
    "import.fault.empty": (
        "{file}：文件为空，或第一行（表头）为空。",
        "{file}: the file is empty or its first row (the header) is blank.",
    ),
    "import.fault.not_xlsx": (
        "{file}：不是有效的 XLSX 工作簿（文件不是 zip 压缩包）。",
        "{file}: not an XLSX workbook (the file is not a zip archive).",
    ),
    "import.fault.empty_sheet": (
        "{file}：第一个工作表为空，或其第一行（表头）为空。",
        "{file}: the first sheet is empty or its first row (the header) is blank.",
    ),
    "import.fault.no_json": ("{file}：文件中没有 JSON 对象。", "{file}: no JSON object found in the file."),
    "import.fault.utf16": (
        "{file}：文件是 UTF-16 编码，请另存为 UTF-8（或 GBK）文本。",
        "{file}: the file is UTF-16; save it as UTF-8 (or GBK) text.",
    ),
    "import.fault.encoding": (
        "{file}：既不是 UTF-8 也不是 GBK/GB18030 文本（第 {utf8_line} 行起不是 UTF-8，第 {gb_line} 行起"
        "不是 GB18030）。请另存为 UTF-8 后重新上传。",
        "{file}: neither UTF-8 nor GBK/GB18030 text (not UTF-8 from line {utf8_line}, not GB18030 from line "
        "{gb_line}). Save it as UTF-8 and upload it again.",
    ),
    "import.fault.unreadable": ("{file}：无法读取（{detail}）。", "{file}: cannot be read ({detail})."),
    "import.fault.which_spec": (
        "{file}：无法判断适用的映射规格（候选：{candidates}）。请在上方选择映射规格。",
        "{file}: cannot tell which spec fits it (candidates: {candidates}). Choose a spec above.",
    ),
    "import.fault.missing_column": (
        "{file} 缺少映射规格 {spec} 需要的列“{headers}”。文件的表头是：{header}。",
        "{file} lacks the column '{headers}' that the spec {spec} needs. Its header is: {header}.",
    ),
    "import.fault.passages_elsewhere": (
        "{file} 是过车记录（{spec}），过车记录存入事件库：请单独导入过车文件。",
        "{file} holds passages ({spec}), which go to the event store: import the passage files on their own.",
    ),
    "import.fault.passages_mixed": (
        "过车记录文件（{files}）存入事件库，请单独导入，不要与其他文件放在同一批。没有导入任何内容。",
        "The passage files ({files}) go to the event store: import them on their own, not with other files. "
        "Nothing was imported.",
    ),
    "import.fault.passages_dry": (
        "过车记录存入事件库，事件库没有试运行：请直接导入，有问题的行会被拒绝并说明原因。",
        "Passages go to the event store, which has no dry run: import them; bad rows are rejected with their reasons.",
    ),
    "import.fault.not_passages": (
        "{file} 是 {spec}，不是过车记录，不能存入事件库。",
        "{file} holds {spec}, not passages; it cannot go to the event store.",
    ),
    "import.fault.unknown_spec": (
        "没有名为 {spec} 的映射规格（内置或 GOLDENBELL_SPECS_DIR 中）。",
        "There is no spec named '{spec}' (built-in or in GOLDENBELL_SPECS_DIR).",
    ),
    "import.fault.spec": ("{file}：映射规格不适用（{detail}）。", "{file}: the spec does not fit ({detail})."),
    "import.fault.same_name": (
        "有两个内容不同的文件都叫 {file}，无法区分：请改名后重新上传。没有保存任何文件。",
        "Two different files are both called {file}: rename one and upload them again. Nothing was kept.",
    ),
    "import.fault.bad_name": (
        "“{file}”不能用作文件名：请改名后重新上传。没有保存任何文件。",
        "'{file}' cannot be used as a file name: rename it and upload again. Nothing was kept.",
    ),
    "import.fault.db_down": (
        "无法连接数据库，导入未完成。已提交的部分会保留，再次导入时从中断处继续。",
        "The database cannot be reached; the import did not finish. What was committed stays, and the next "
        "import resumes where this one stopped.",
    ),
    "import.fault.db_timeout": (
        "数据库操作超时，导入未完成。已提交的部分会保留，再次导入时从中断处继续。",
        "A database operation timed out; the import did not finish. What was committed stays, and the next "
        "import resumes where this one stopped.",
    ),
    "import.fault.db": (
        "数据库出错，导入未完成（{detail}）。已提交的部分会保留，再次导入时从中断处继续。",
        "The database failed; the import did not finish ({detail}). What was committed stays, and the next "
        "import resumes where this one stopped.",
    ),
    "import.fault.denied": ("你的角色无权导入数据。", "Your role may not import data."),
    "import.fault.reason": ("请先填写案件编号和查询事由。", "Give a case reference and a reason first."),
    "import.fault.session": ("会话已结束，请重新登录。", "Your session has ended; sign in again."),
    "import.fault.refused": ("导入被拒绝（{detail}）。", "The import was refused ({detail})."),
    "import.fault.disk": (
        "无法在服务器上保存文件（{detail}），没有导入任何内容。",
        "Cannot keep the files on the server ({detail}); nothing was imported.",
    ),
    "import.fault.other": ("无法导入（{detail}）。", "Cannot import ({detail})."),
}
