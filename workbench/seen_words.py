"""The words of seen-at links when passages live in the event store (a link opened into a
table of its passages), in both languages."""

from __future__ import annotations

SEEN_WORDS: dict[str, tuple[str, str]] = {
    "seen.opened": (
        "{vehicle} 在 {place}：范围内共 {total} 条过车记录，最近的优先。",
        "{vehicle} at {place}: {total} passages in the window, most recent first.",
    ),
    "seen.opened_cut": (
        "{vehicle} 在 {place}：范围内共 {total} 条过车记录，显示最近的 {n} 条。",
        "{vehicle} at {place}: {total} passages in the window, showing the newest {n}.",
    ),
    "seen.none": (
        "{vehicle} 在 {place} 的这段时间内没有过车记录。",
        "No passages of {vehicle} at {place} in this window.",
    ),
    "seen.store_failed": ("无法读取事件库：{error}", "Cannot read the event store: {error}"),
    "seen.time": ("通过时间（北京时间）", "Time (Beijing)"),
    "seen.plate": ("号牌", "Plate"),
    "seen.place": ("地点", "Place"),
    "seen.direction": ("方向", "Direction"),
    "seen.lane": ("车道", "Lane"),
    "seen.driver": ("核录身份证号", "Driver's ID number"),
}
