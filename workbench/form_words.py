"""The words of a saved query's form: the entity picker, durations and times, in both languages."""

from __future__ import annotations

FORM_WORDS: dict[str, tuple[str, str]] = {
    "picker.placeholder": (
        "输入姓名，或身份号码、电话、号牌的片段，按回车检索",
        "Type a name, or part of an ID number, phone or plate, then press Enter",
    ),
    "picker.hits": ("从检索结果中选择（{n} 条）", "Pick one of the hits ({n})"),
    "picker.none": ("没有找到“{text}”。", "Nothing found for “{text}”."),
    "picker.listed": ("⚑ 在布控名单上", "⚑ On a watch list"),
    "picker.masked": (
        "遮蔽后的号码不能用来查找：请输入姓名或号码中可见的部分。",
        "A masked number cannot be looked up: type a name or the visible part of the number.",
    ),
    "picker.missing": ("请先在“{field}”中检索并选择一个实体。", "Search and pick an entity in “{field}” first."),
    "form.unit": ("单位", "Unit"),
    "form.unit.days": ("天", "days"),
    "form.unit.hours": ("小时", "hours"),
    "form.unit.minutes": ("分钟", "minutes"),
    "form.time_of": ("{field}（时刻）", "{field} (time of day)"),
    "form.time_help": (
        "时刻为空时，起始时间取当天 0:00，截止时间取当天 24:00 前。",
        "With no time of day, a start is taken at 0:00 and an end at the end of the day.",
    ),
    "form.duration_bounds": (
        "“{field}”应在 {low} 到 {high} 之间。",
        "“{field}” must be between {low} and {high}.",
    ),
    "form.duration_none": ("不限", "no limit"),
}
