"""The words of the alert inbox as a place of work: severity, assignee, notes and their
history, sorting and the confirmation of a change, in both languages."""

from __future__ import annotations

ALERT_WORDS: dict[str, tuple[str, str]] = {
    "alerts.severity": ("级别", "Severity"),
    "alerts.assignee": ("处置人", "Assignee"),
    "alerts.sort": ("排序", "Sort by"),
    "alerts.sort.last_fired": ("最近命中", "Last fired"),
    "alerts.sort.severity": ("级别（高在前）", "Severity (high first)"),
    "alerts.sort.status": ("状态（新预警在前）", "Status (new first)"),
    "alerts.mine": ("指派给我的", "Assigned to me"),
    "alerts.unassigned": ("未指派", "Unassigned"),
    "alerts.nobody": ("（无人）", "(nobody)"),
    "alerts.assign": ("指派", "Assign"),
    "alerts.assigned": ("预警已指派给 {who}。", "Alert assigned to {who}."),
    "alerts.unassigned_done": ("预警已取消指派。", "Alert unassigned."),
    "alerts.note": ("备注", "Note"),
    "alerts.add_note": ("添加备注", "Add note"),
    "alerts.noted": ("备注已添加。", "Note added."),
    "alerts.history": ("处置记录（最新在前）", "History (newest first)"),
    "alerts.no_history": ("尚无处置记录。", "Nothing done yet."),
    "alerts.when": ("时间", "When"),
    "alerts.who": ("记录人", "Who"),
    "alerts.what": ("事项", "What"),
    "alerts.text": ("内容", "Text"),
    "alerts.kind.note": ("备注", "note"),
    "alerts.kind.assign": ("指派", "assigned"),
    "alerts.kind.status": ("状态", "status"),
    "alerts.line": (
        "级别：{severity} · 状态：{status} · 处置人：{assignee} · 首次命中 {first} · 最近命中 {last}（共 {n} 次）",
        "Severity: {severity} · status: {status} · assignee: {assignee} · first fired {first} · "
        "last fired {last} ({n} times)",
    ),
    "alerts.changed": ("{who} 于 {time} 将预警设为“{status}”。", "{who} set the alert to {status} at {time}."),
    "alerts.evidence": ("查看过车证据（{n} 条）", "Passages behind it ({n})"),
    "alerts.evidence_shown": (
        "预警依据的 {n} 条过车记录（按时间先后），读自事件库；本次查看已记录。",
        "The {n} passages behind the alert (in time order), read from the event store; this consultation is recorded.",
    ),
    "alerts.evidence_failed": ("无法读取过车证据：{error}", "The passages could not be read: {error}"),
    "alerts.evidence.time": ("过车时间", "Time"),
    "alerts.evidence.plate": ("号牌", "Plate"),
    "alerts.evidence.place": ("地点", "Place"),
    "alerts.evidence.direction": ("方向", "Direction"),
    "alerts.evidence.lane": ("车道", "Lane"),
    "alerts.evidence.driver_id": ("核录身份证号", "Driver ID"),
    "alerts.evidence.source": ("来源文件:行", "Source file:row"),
    "severity.high": ("高", "high"),
    "severity.medium": ("中", "medium"),
    "severity.low": ("低", "low"),
    "severity.": ("未定", "unrated"),
}

# What each entity is to an alert, as the rules in the packs name it (data, in English).
ROLE_WORDS: dict[str, tuple[str, str]] = {
    "address": ("地址", "address"),
    "buyer": ("购买人", "buyer"),
    "companion": ("同行人", "companion"),
    "driver": ("驾驶人", "driver"),
    "licence": ("驾驶证", "licence"),
    "listed person": ("名单人员", "listed person"),
    "person": ("人员", "person"),
    "phone": ("电话", "phone"),
    "record": ("人员记录", "record"),
    "registration": ("流动人口登记", "registration"),
    "vehicle": ("车辆", "vehicle"),
    "watch list": ("布控名单", "watch list"),
}


def role_word(role: str | None, lang: str) -> str:
    """A rule's role in the chosen language; one no word is known for is shown as the rule says it."""
    role = role or ""
    zh, en = ROLE_WORDS.get(role, (role, role))
    return en if lang == "en" else zh
