"""The words of the map's own toolbar, shortcuts and time bar, in both languages: they run
in the browser, without a page rerun, and reach it with the canvas's arguments."""

from __future__ import annotations

CANVAS_WORDS: dict[str, tuple[str, str]] = {
    "tools.neighbours": ("选中邻居", "Select neighbours"),
    "tools.same_type": ("选中同类", "Select same type"),
    "tools.invert": ("反选", "Invert selection"),
    "tools.hide": ("隐藏选中", "Hide selection"),
    "tools.show_all": ("全部显示", "Show all"),
    "tools.group": ("编组", "Group"),
    "tools.ungroup": ("取消编组", "Ungroup"),
    "tools.group_label": ("组（{n}）", "Group ({n})"),
    "tools.lasso": ("套索", "Lasso"),
    "tools.expand_selection": ("展开选中", "Expand selection"),
    "tools.remove_selection": ("移除选中", "Remove selection"),
    "tools.layout": ("布局", "Layout"),
    "tools.layout_force": ("力导向", "Force"),
    "tools.layout_hierarchy": ("层次", "Hierarchy"),
    "tools.layout_radial": ("放射", "Radial"),
    "tools.layout_grid": ("网格", "Grid"),
    "tools.layout_geographic": ("地理", "Geographic"),
    "tools.relayout": ("重新布局", "Re-layout"),
    "tools.fit": ("适应窗口", "Fit to view"),
    "tools.undo": ("撤销", "Undo"),
    "tools.redo": ("重做", "Redo"),
    "tools.deselect": ("取消选择", "Clear selection"),
    "tools.help": ("快捷键", "Shortcuts"),
    "tools.help_title": ("关系图快捷键（先点一下图）", "Map shortcuts (click the map first)"),
    "tools.box_hint": (
        "按住 Shift 拖动可框选；点“套索”（或按 S）后拖动可套索选择；按住 Shift 点击可多选。",
        "Shift-drag draws a selection box; after Lasso (or S) a drag draws a lasso; Shift-click adds a node.",
    ),
    "tools.time_play": ("播放", "Play"),
    "tools.time_pause": ("暂停", "Pause"),
    "tools.time_all": ("全部时间", "All times"),
}
