"""Why a query is not a pure read, in both languages: one entry per fault code of
`queries.readonly` (`Fault.code`), so the console words a refusal in the language chosen."""

from __future__ import annotations

REFUSALS: dict[str, tuple[str, str]] = {
    "readonly.statements": ("含多条语句（结尾之前有“;”）", "holds more than one statement (a ';' before the end)"),
    "readonly.empty": ("查询为空", "the query is empty"),
    "readonly.leading": (
        "以 EXPLAIN、PROFILE 或 CYPHER 开头（系统会自行检查执行计划）",
        "starts with EXPLAIN, PROFILE or CYPHER (goldenbell adds its own plan check)",
    ),
    "readonly.use": (
        "含 USE 子句（只能在配置的数据库上运行）",
        "has a USE clause (queries run on the configured database only)",
    ),
    "readonly.load_csv": ("使用 LOAD CSV（会读取服务器上的文件）", "uses LOAD CSV, which reads files from the server"),
    "readonly.in_transactions": (
        "使用 CALL … IN TRANSACTIONS（会自行分批提交）",
        "uses CALL … IN TRANSACTIONS, which commits in batches of its own",
    ),
    "readonly.writes": ("会写入数据（{detail}）", "writes ({detail})"),
    "readonly.procedures": (
        "调用了 {detail}；只允许调用检索和模式查看过程",
        "calls {detail}; only the search and schema procedures may be called",
    ),
    "readonly.plan_type": (
        "服务器不将其规划为只读查询（类型 {detail}）",
        "the server does not plan it as a read (query type {detail})",
    ),
    "readonly.plan_operator": (
        "执行计划使用了 {detail}，会读取图之外或其他用户的内容",
        "its plan uses {detail}, which reads outside the graph or other users' work",
    ),
    "readonly.plan_procedure": (
        "执行计划调用了过程 {detail}，不在只读列表中",
        "its plan calls the procedure {detail}, which is not on the read list",
    ),
    "readonly.no_plan": ("服务器拒绝按只读查询规划：{detail}", "the server will not plan it as a read: {detail}"),
    "readonly.other": ("{detail}", "{detail}"),
}
