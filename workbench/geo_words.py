"""The map page's words, in both languages (Chinese first)."""

from __future__ import annotations

GEO_WORDS: dict[str, tuple[str, str]] = {
    "geo.scale_km": ("{km} 公里", "{km} km"),
    "geo.plate_short": ("号牌至少 {n} 个字符，例如 浙F12345。", "A plate has at least {n} characters, e.g. 浙F12345."),
    "geo.step": ("序号", "Stop"),
    "geo.time": ("时间", "Time"),
    "geo.place": ("地点", "Place"),
    "geo.direction": ("方向", "Direction"),
    "geo.plate_column": ("号牌", "Plate"),
    "geo.lane": ("车道", "Lane"),
    "geo.window": ("时间范围", "Time window"),
    "geo.window_help": (
        "轨迹和点位过车记录只看这段日期（北京时间，含首尾两天）。",
        "Trajectories and a place's passages are read for these days only (Beijing time, both days included).",
    ),
    "geo.pick_place": ("点位过车记录（也可在地图上点击点位）", "Passages at a place (or click a place on the map)"),
    "geo.route": (
        "“{plate}”的轨迹：{n} 个经过点，按时间编号，箭头指向行驶方向。地图显示轨迹所在范围，清空号牌可看全部点位。",
        "Trajectory of “{plate}”: {n} stops, numbered in time order, arrows pointing the way. The map shows "
        "the route's surroundings; clear the plate to see every place.",
    ),
    "geo.chosen": ("已选点位：{place}", "Chosen place: {place}"),
    "geo.route_cut": ("只显示时间范围内最早的 {n} 个经过点。", "Only the first {n} stops in the window are shown."),
    "geo.no_route": (
        "“{plate}”在这段时间没有带坐标的过车记录。",
        "No passages with coordinates for “{plate}” in this window.",
    ),
    "geo.at_place": ("{place}：时间范围内共 {total} 条过车记录。", "{place}: {total} passages in the window."),
    "geo.at_place_cut": (
        "{place}：共 {total} 条，显示最近的 {n} 条。",
        "{place}: {total} passages, showing the newest {n}.",
    ),
    "geo.no_passages": ("{place} 在这段时间没有过车记录。", "No passages at {place} in this window."),
    "geo.outlines": (
        "虚线为各区县数据点位所在范围（由图中地址、检查站和小区的坐标推算，非行政边界）；只标注主要检查站和小区名称，其余悬停可见。",
        "Dashed lines outline where each district's places lie (from the coordinates of its addresses, "
        "checkpoints and compounds; not legal boundaries). Checkpoints and compounds are named where room "
        "allows; hover for the others.",
    ),
}
