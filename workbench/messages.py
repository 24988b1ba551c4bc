"""Every word the workbench shows, in Chinese (the default) and English, in one catalogue
(the canvas toolbar's words and those for a refused query are kept beside it, in
`canvas_words` and `refusals`, and merged in).

Names of labels, relationship types, properties and query parameters are not here:
they come from the schema and the packs, which carry both languages already.
"""

from __future__ import annotations

from workbench.alert_words import ALERT_WORDS
from workbench.canvas_words import CANVAS_WORDS
from workbench.column_words import COLUMN_WORDS
from workbench.form_words import FORM_WORDS
from workbench.geo_words import GEO_WORDS
from workbench.import_words import IMPORT_WORDS
from workbench.profile_words import PROFILE_WORDS
from workbench.refusals import REFUSALS
from workbench.seen_words import SEEN_WORDS

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
LANGUAGE_KEY = "gb_lang"

MESSAGES: dict[str, tuple[str, str]] = {
    # pages
    "page.search": ("综合检索", "Search"),
    "page.profile": ("实体档案", "Profile"),
    "page.explorer": ("关系图谱", "Link explorer"),
    "page.packs": ("查询包", "Query packs"),
    "page.alerts": ("预警处置", "Alerts"),
    "page.geo": ("地图", "Map"),
    "page.import": ("数据导入", "Import"),
    "page.investigations": ("专案", "Investigations"),
    "page.console": ("Cypher 控制台", "Cypher console"),
    "page.status": ("数据库状态", "Database"),
    "page.audit": ("审计日志", "Audit log"),
    # signing in
    "login.title": ("登录", "Sign in"),
    "login.help": (
        "仅限授权人员使用。登录、检索、查询和导出都会记录在审计日志中。",
        "For authorised users only. Sign-ins, searches, queries and exports are recorded in the audit log.",
    ),
    "login.user": ("用户名", "User name"),
    "login.password": ("密码", "Password"),
    "login.button": ("登录", "Sign in"),
    "login.blank": ("请输入用户名和密码。", "Enter your user name and password."),
    "login.sso": ("单点登录（{provider}）", "Single sign-on ({provider})"),
    "login.sso_leave": ("退出单点登录", "Leave single sign-on"),
    # context (who and why)
    "ctx.language": ("语言 / Language", "语言 / Language"),
    "ctx.account": ("{user}（{role}）", "{user} ({role})"),
    "ctx.logout": ("退出登录", "Sign out"),
    "ctx.gate_title": ("查询事由登记", "Why are you consulting?"),
    "ctx.gate_help": (
        "每次检索、扩展、查询和导出都会记录操作人、案件编号和事由。请先填写。",
        "Every search, expansion, query and export is recorded with who, the case reference and the reason. "
        "Fill them in first.",
    ),
    "ctx.case_ref": ("案件编号", "Case reference"),
    "ctx.reason": ("查询事由", "Reason"),
    "ctx.note": ("补充说明（可选）", "Note (optional)"),
    "ctx.start": ("开始工作", "Start"),
    "ctx.change": ("更换事由", "Change reason"),
    "ctx.cancel": ("取消", "Cancel"),
    "ctx.header": ("案件 {case_ref} · {reason}", "case {case_ref} · {reason}"),
    "ctx.denied": ("{role}无权使用{what}。", "The {role} role does not allow {what}."),
    # common
    "common.db_down": ("数据库不可用：{error}", "Database unavailable: {error}"),
    "common.refused": ("查询被拒绝：{error}", "Query refused: {error}"),
    "common.failed": ("查询失败：{error}", "Query failed: {error}"),
    "common.truncated": ("结果已按上限 {cap} 行截断。", "Cut off at the row cap of {cap} rows."),
    "common.truncated_bytes": (
        "结果超过 {mb} MB 的大小上限，其余行已截断。",
        "Cut off at the result size cap of {mb} MB; the rows past it are not shown.",
    ),
    "common.none": ("无", "none"),
    "common.choose": ("请选择", "Choose"),
    "common.open_profile": ("档案", "Profile"),
    "common.add_to_map": ("加入关系图", "Add to map"),
    "common.open_in_explorer": ("在关系图中打开", "Open in the link explorer"),
    "common.download_csv": ("下载 CSV", "Download CSV"),
    "common.download_json": ("下载 JSON", "Download JSON"),
    "common.rows": ("{n} 行", "{n} rows"),
    "common.elapsed": ("{n} 行 · {ms:.0f} 毫秒", "{n} rows · {ms:.0f} ms"),
    # search
    "search.box": (
        "姓名、身份号码、号牌、电话或地址（可输入片段；姓名也可输入拼音首字母）",
        "Name, ID number, plate, phone or address (a fragment is enough; for a name, its pinyin initials too)",
    ),
    "search.button": ("检索", "Search"),
    "search.types": ("实体类型", "Entity types"),
    "search.types_all": ("全部类型", "Every type"),
    "search.no_hits": ("没有找到“{text}”。", "Nothing found for “{text}”."),
    "search.hits": ("共 {n} 条结果", "{n} results"),
    "search.hits_cut": ("共 {total} 条结果，显示前 {n} 条", "Showing {n} of {total} results"),
    "search.hits_more": ("{total} 条以上结果，显示前 {n} 条", "Showing {n} of {total} or more results"),
    "search.listed": ("⚑ 曾在布控名单上", "⚑ Was on a watch list"),
    "search.flag_wanted": ("⚑ 在逃", "⚑ Wanted"),
    "search.flag_list": ("⚑ {kind}", "⚑ Watch list: {kind}"),
    "search.flag_licence_suspended": ("驾驶证暂扣", "Licence suspended"),
    "search.flag_licence_revoked": ("驾驶证吊销", "Licence revoked"),
    "search.flag_licence_other": ("驾驶证{status}", "Licence {status}"),
    "search.flag_alerts": ("{n} 条未处理预警", "{n} open alerts"),
    # profile
    "profile.pick": (
        "请先在检索页选择一个实体，或输入 标签:编码。",
        "Pick an entity on the search page, or type Label:key.",
    ),
    "profile.ref": ("实体（标签:编码）", "Entity (Label:key)"),
    "profile.masked_ref": (
        "遮蔽的号码无法查找：请输入完整编码，或从综合检索打开档案。",
        "A masked number cannot be looked up: type the whole key, or open the profile from search.",
    ),
    "profile.not_found": ("图中没有 {ref}。", "{ref} is not in the graph."),
    "profile.properties": ("属性", "Properties"),
    "profile.links": ("关联实体", "Linked entities"),
    "profile.timeline": ("时间线", "Timeline"),
    "profile.no_events": ("没有带时间的事件。", "No dated events."),
    "profile.case_text": ("案情简述", "Report text"),
    "profile.degree": ("关系总数 {n}", "{n} relationships in all"),
    "profile.property": ("属性", "Property"),
    "profile.value": ("值", "Value"),
    "profile.more_links": ("仅显示最近的 {n} 条关系。", "Showing the {n} most recent relationships."),
    "profile.to_explorer": ("在关系图中展开", "Expand in the link explorer"),
    "profile.provenance": ("数据来源（文件、行号、导入批次）", "Where the record came from (file, row, import run)"),
    "profile.unmask": ("显示完整号码（留痕）", "Show numbers in full (recorded)"),
    "profile.unmask_help": (
        "本会话内显示该实体的完整身份号码和电话；此操作记入审计日志。",
        "Shows this entity's ID number and phone in full for the rest of the session; recorded in the audit log.",
    ),
    "profile.unmasked": ("本会话内完整显示（已记录）。", "Shown in full for this session (recorded)."),
    "timeline.passage": ("过车", "passage"),
    "timeline.purchase": ("购买", "purchase"),
    "timeline.sale": ("销售", "sale"),
    "timeline.registration": ("居住登记", "registration"),
    "timeline.listed": ("列管", "listed"),
    "timeline.delisted": ("撤销列管", "delisted"),
    "timeline.case": ("警情", "case"),
    "timeline.licence": ("驾驶证状态", "licence"),
    "timeline.has_phone": ("使用号码", "phone since"),
    "timeline.owns": ("车辆登记", "vehicle since"),
    "timeline.time": ("时间", "Time"),
    "timeline.kind": ("事件", "Event"),
    "timeline.detail": ("详情", "Detail"),
    # explorer
    "explorer.empty": (
        "关系图为空：在检索页把实体“加入关系图”，或在下面输入 标签:编码。",
        "The map is empty: add entities from the search page, or type Label:key below.",
    ),
    "explorer.add": ("加入实体（标签:编码）", "Add entity (Label:key)"),
    "explorer.add_button": ("加入", "Add"),
    "explorer.hops": ("扩展层数", "Hops per expansion"),
    "explorer.types": ("关系类型过滤", "Relationship types"),
    "explorer.since": ("起始日期", "From"),
    "explorer.until": ("截止日期", "Until"),
    "explorer.path_start": ("路径起点", "Path start"),
    "explorer.path_end": ("路径终点", "Path end"),
    "explorer.find_path": ("查找路径", "Find paths"),
    "explorer.max_hops": ("最多跳数", "Hop limit"),
    "explorer.no_path": ("{a} 与 {b} 之间 {hops} 跳内没有路径。", "No path within {hops} hops between {a} and {b}."),
    "explorer.path_found": ("找到 {n} 条最短路径（{hops} 跳）。", "{n} shortest path(s) of {hops} hops."),
    "explorer.clear": ("清空关系图", "Clear the map"),
    "explorer.expanded": (
        "{label}：新增 {nodes} 个节点、{rels} 条关系。",
        "{label}: {nodes} nodes and {rels} links added.",
    ),
    "explorer.more_available": (
        "还有更多关系：右键节点选“显示更多”。",
        "There is more: right-click the node, Show more.",
    ),
    "explorer.watch_flags_failed": (
        "已加入关系图，但未能查询其中哪些人在重点人员名单上（红圈不全）：{error}",
        "Added to the map, but which of them are on a watch list could not be read (red rings missing): {error}",
    ),
    "explorer.over_cap": (
        "这次扩展会使图上节点达到 {n} 个，超过上限 {cap}。请按关系类型或时间过滤，或先移除节点。",
        "This expansion would put {n} nodes on the map, over the limit of {cap}. "
        "Filter by type or time, or remove nodes first.",
    ),
    "explorer.stats": (
        "{nodes} 个节点 · {rels} 条关系 · 固定 {pinned} 个",
        "{nodes} nodes · {rels} links · {pinned} pinned",
    ),
    "explorer.filtered": (
        "过滤后显示 {nodes}/{all_nodes} 个节点、{rels}/{all_rels} 条关系 · 固定 {pinned} 个",
        "Filters show {nodes} of {all_nodes} nodes and {rels} of {all_rels} links · {pinned} pinned",
    ),
    "explorer.cleared_kept": (
        "已清空关系图，保留固定的 {n} 个节点（取消固定后可清除）。",
        "Map cleared; the {n} pinned nodes stay (unpin them to clear them too).",
    ),
    "explorer.export": ("导出关系图（HTML）", "Export map (HTML)"),
    "explorer.export_graphml": ("导出关系图（GraphML，供 Gephi/yEd）", "Export map (GraphML, for Gephi or yEd)"),
    "explorer.export_ftm": ("导出关系图（FollowTheMoney，供 Aleph）", "Export map (FollowTheMoney, for Aleph)"),
    "explorer.selected": ("选中节点", "Selected node"),
    "explorer.help": (
        "双击节点展开；右键节点：展开、显示更多、固定、移除、设为路径起点/终点、打开档案。",
        "Double-click a node to expand it; right-click for expand, show more, pin, remove, path start/end, profile.",
    ),
    "menu.expand": ("展开", "Expand"),
    "menu.more": ("显示更多", "Show more"),
    "menu.pin": ("固定", "Pin"),
    "menu.unpin": ("取消固定", "Unpin"),
    "menu.remove": ("移除", "Remove"),
    "menu.path_start": ("设为路径起点", "Set as path start"),
    "menu.path_end": ("设为路径终点", "Set as path end"),
    "menu.profile": ("打开档案", "Open profile"),
    "menu.passages": ("展开过车记录", "Open its passages"),
    "map.seen_at": ("经过 ×{n}", "seen ×{n}"),
    "map.seen_span": ("经过 {n} 次：{first} 至 {last}", "seen {n} times: {first} to {last}"),
    "explorer.passages_opened": (
        "已展开 {n} 条过车记录（共 {count} 条，最近的优先）。",
        "{n} passages opened (of {count}, most recent first).",
    ),
    "legend.title": ("图例", "Legend"),
    # network analysis of the map's graph
    "analysis.title": ("网络分析", "Network analysis"),
    "analysis.size_by": ("节点大小依据", "Size nodes by"),
    "analysis.none": ("不调整", "Nothing"),
    "analysis.degree": ("度", "Degree"),
    "analysis.betweenness": ("中介中心性", "Betweenness"),
    "analysis.closeness": ("接近中心性", "Closeness"),
    "analysis.pagerank": ("PageRank", "PageRank"),
    "analysis.coreness": ("k-核", "k-core"),
    "analysis.colour_by": ("节点颜色依据", "Colour nodes by"),
    "analysis.other_values": ("其他取值", "other values"),
    "report.groups": ("分组", "Groups"),
    "report.group": ("组", "Group"),
    "report.members": ("成员", "Members"),
    "analysis.watched_rule": ("红圈：在布控名单上", "Red ring: on a watch list"),
    "analysis.community": ("社群", "Community"),
    "analysis.community_n": ("社群 {n}", "Community {n}"),
    "analysis.other_communities": ("其他社群", "Other communities"),
    "analysis.size_rule": ("节点大小：{measure}", "Node size: {measure}"),
    "analysis.top": ("前 N 名", "Top N"),
    "analysis.select_top": ("选中前 N 名", "Select the top N"),
    "analysis.name": ("名称", "Name"),
    "analysis.type": ("类型", "Type"),
    "analysis.cutoff": (
        "地图超过 {n} 个节点：中介与接近中心性只计 {k} 步以内的路径。",
        "The map has more than {n} nodes: betweenness and closeness count paths of at most {k} steps.",
    ),
    "analysis.bridges": ("桥（断开即分裂地图的联系）：{n} 条", "Bridges (ties whose loss splits the map): {n}"),
    # packs
    "packs.pack": ("查询包", "Pack"),
    "packs.query": ("查询", "Query"),
    "packs.run": ("运行", "Run"),
    "packs.params": ("参数", "Parameters"),
    "packs.cypher": ("Cypher 语句", "Cypher"),
    "packs.alert_rule": ("预警规则", "alert rule"),
    "packs.list_help": ("多个值用逗号分隔", "Separate several values with commas"),
    "packs.faults": (
        "{n} 处查询包错误：下列查询或文件未加载，其余查询照常可用。",
        "{n} pack fault(s): the queries or files below did not load; the other queries are available.",
    ),
    "packs.faults_detail": ("未加载的内容（{n}）", "What did not load ({n})"),
    "packs.fault_file": ("文件", "File"),
    "packs.fault_line": ("行", "Line"),
    "packs.fault_query": ("查询", "Query"),
    "packs.fault_reason": ("原因", "Reason"),
    # alerts
    "alerts.open_fresh": ("在新关系图中打开（替换当前图）", "Open on a fresh map (replaces the current one)"),
    "alerts.status": ("状态", "Status"),
    "alerts.rule": ("规则", "Rule"),
    "alerts.all": ("全部", "all"),
    "alerts.none": ("没有符合条件的预警。", "No alerts match."),
    "alerts.ack": ("确认", "Acknowledge"),
    "alerts.close": ("关闭", "Close"),
    "alerts.reopen": ("重新打开", "Reopen"),
    "alerts.done": ("预警 {id} 已设为 {status}。", "Alert {id} is now {status}."),
    "alerts.involved": ("涉及", "Involved"),
    "alerts.fired": ("命中 {n} 次，最近 {last}", "fired {n} times, last {last}"),
    "status.new": ("新预警", "new"),
    "status.acknowledged": ("已确认", "acknowledged"),
    "status.closed": ("已关闭", "closed"),
    # map
    "geo.kinds": ("显示", "Show"),
    "geo.plate": ("车辆轨迹（号牌）", "Vehicle trajectory (plate)"),
    "geo.points": ("{n} 个点位", "{n} places"),
    "geo.none": ("没有带坐标的点位。", "No places with coordinates."),
    "geo.passages": ("过车数", "Passages"),
    "geo.name": ("名称", "Name"),
    "geo.kind": ("类型", "Kind"),
    # investigations
    "inv.title": ("专案名称", "Title"),
    "inv.notes": ("工作笔记", "Notes"),
    "inv.save": ("保存当前关系图为专案", "Save the current map as an investigation"),
    "inv.saved": ("专案“{title}”已保存。", "Investigation “{title}” saved."),
    "inv.list": ("已保存的专案", "Saved investigations"),
    "inv.none": ("还没有专案。", "No investigations yet."),
    "inv.open": ("打开", "Open"),
    "inv.opened": ("已打开专案“{title}”（{n} 个节点）。", "Opened “{title}” ({n} nodes)."),
    "inv.report": ("下载 HTML 报告", "Download HTML report"),
    "inv.empty_map": ("关系图为空，没有可保存的内容。", "The map is empty; there is nothing to save."),
    "inv.missing": ("{n} 个实体已不在图中，未能打开。", "{n} entities are no longer in the graph."),
    "inv.meta": (
        "{owner} · 案件 {case_ref} · {updated} · {n} 个节点",
        "{owner} · case {case_ref} · {updated} · {n} nodes",
    ),
    # report
    "report.generated": (
        "生成：{user}，{time}，案件 {case_ref}，事由 {reason}",
        "Made by {user}, {time}, case {case_ref}, reason {reason}",
    ),
    "report.map": ("关系图", "Map"),
    "report.nodes": ("实体", "Entities"),
    "report.links": ("关系", "Links"),
    "report.type": ("类型", "Type"),
    "report.caption": ("名称", "Caption"),
    "report.key": ("编码", "Key"),
    "report.from": ("起点", "From"),
    "report.to": ("终点", "To"),
    # console
    "console.cypher": ("只读 Cypher", "Read-only Cypher"),
    "console.run": ("执行", "Run"),
    "console.readonly": ("只允许读取：{error}", "Reads only: {error}"),
    "console.syntax": ("Cypher 语法错误：{error}", "Cypher syntax error: {error}"),
    "console.too_long": (
        "查询过长，未执行：共 {length:,} 个字符，控制台最多接受 {limit:,} 个（GOLDENBELL_CONSOLE_MAX_CHARS）",
        "Too long, not run: the query is {length:,} characters long; the console takes at most {limit:,} "
        "(GOLDENBELL_CONSOLE_MAX_CHARS)",
    ),
    # audit log
    "audit.filters": ("筛选", "Filters"),
    "audit.user": ("用户", "User"),
    "audit.action": ("操作", "Action"),
    "audit.outcome": ("结果", "Outcome"),
    "audit.case_ref": ("案件编号", "Case reference"),
    "audit.since": ("起始日期", "From"),
    "audit.until": ("截止日期（含）", "Until (inclusive)"),
    "audit.limit": ("最多条数", "At most"),
    "audit.show": ("查阅（留痕）", "Read (recorded)"),
    "audit.any": ("全部", "any"),
    "audit.entries": ("{n} 条记录，最新在前", "{n} entries, newest first"),
    "audit.none": ("没有符合条件的记录。", "No entries match."),
    "audit.verify": ("校验哈希链", "Verify the hash chain"),
    "audit.intact": (
        "哈希链完整：{n} 条记录，最后哈希 {hash}。请把最后哈希抄送到其他系统留存。",
        "The chain is intact: {n} entries, last hash {hash}. Copy the last hash to another system.",
    ),
    "audit.broken": ("哈希链有 {n} 处异常：", "The chain has {n} fault(s):"),
    "audit.anchored": (
        "已与 {n} 个锚点核对一致，最后一个锚点为第 {seq} 条（{time}）。",
        "Matches {n} anchors; the last names seq {seq} ({time}).",
    ),
    "audit.anchors_unreadable": ("无法读取锚点文件：{error}", "Cannot read the anchor file: {error}"),
    "audit.who": ("谁查看过此对象", "Who consulted this entity"),
    "audit.who_entity": ("对象（类型:键，如 Person:身份号码）", "Entity (Label:key, e.g. Person:ID number)"),
    "audit.who_ask": ("查询（留痕）", "Look up (recorded)"),
    "audit.who_bad": (
        "请按“类型:键”填写对象，如 Person:330402199001011234 或 Phone:13800000000。",
        "Write the entity as Label:key, such as Person:330402199001011234 or Phone:13800000000.",
    ),
    "audit.who_count": ("{n} 次查看，最新在前", "{n} consultations, newest first"),
    "audit.who_none": ("审计日志中没有查看过此对象的记录。", "The log records nobody consulting this entity."),
    "audit.who_unsearchable": (
        "有 {n} 条记录的对象以本机没有的审计密钥保存，无法检索。",
        "{n} entries keep their entities under an audit key not at hand and could not be searched.",
    ),
    "audit.export": ("导出", "Export"),
    "audit.format": ("格式", "Format"),
    "audit.download": ("下载审计日志（{fmt}，留痕）", "Download the audit log ({fmt}, recorded)"),
    "audit.help": (
        "查阅、校验和导出本身也记入审计日志。页面上的身份号码和电话按角色遮蔽；导出文件是日志原文，可独立校验。",
        "Reading, verifying and exporting are recorded too. ID numbers and phones are masked on the page for "
        "your role; the export is the log as written, so a copy verifies on its own.",
    ),
}
MESSAGES.update(CANVAS_WORDS)
MESSAGES.update(ALERT_WORDS)
MESSAGES.update(REFUSALS)
MESSAGES.update(GEO_WORDS)
MESSAGES.update(PROFILE_WORDS)
MESSAGES.update(FORM_WORDS)
MESSAGES.update(COLUMN_WORDS)
MESSAGES.update(SEEN_WORDS)
MESSAGES.update(IMPORT_WORDS)


def message(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for `key` in `lang`, with `{name}` placeholders filled in."""
    zh, en = MESSAGES[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text
