"""The words of a profile's flags and of what its links mean, in both languages."""

from __future__ import annotations

PROFILE_WORDS: dict[str, tuple[str, str]] = {
    "profile.flags": ("警示", "Flags"),
    "profile.flag_wanted": ("在逃：列入“{list}”，{listed_on} 起。", "Wanted: on “{list}” since {listed_on}."),
    "profile.flag_listing": (
        "⚑ 在布控名单上：{list}（{kind}），{listed_on} 列入；事由：{reason}；列管单位：{unit}",
        "⚑ On a watch list: {list} ({kind}), listed {listed_on}; reason: {reason}; listing unit: {unit}",
    ),
    "profile.flag_lifted": (
        "曾列入 {list}（{kind}）：{listed_on} 列入，{lifted_on} 撤销；事由：{reason}",
        "Formerly on {list} ({kind}): listed {listed_on}, lifted {lifted_on}; reason: {reason}",
    ),
    "profile.flag_licence": (
        "驾驶证{status}：自 {since} 起（档案编号 {file_no}）",
        "Driving licence {status}: since {since} (file {file_no})",
    ),
    "profile.flag_alerts": ("未关闭预警 {n} 条：{titles}", "{n} open alerts: {titles}"),
    "profile.no_flags": (
        "未在逃，无吊销或暂扣驾驶证，不在布控名单上，无未关闭预警。",
        "Not wanted, no revoked or suspended licence, on no watch list, no open alerts.",
    ),
    "profile.unknown": ("不详", "not given"),
    "licence.revoked": ("吊销", "revoked"),
    "licence.suspended": ("暂扣", "suspended"),
    "licence.valid": ("正常", "valid"),
    "licence.cancelled": ("注销", "cancelled"),
    "alert_status.new": ("待处理", "new"),
    "alert_status.acknowledged": ("已确认", "acknowledged"),
    "alert_status.closed": ("已关闭", "closed"),
    # The part an entity plays in an alert (INVOLVES.role, as the rule packs write it).
    "alert_role.address": ("地址", "address"),
    "alert_role.buyer": ("购买人", "buyer"),
    "alert_role.companion": ("同行人", "companion"),
    "alert_role.driver": ("驾驶人", "driver"),
    "alert_role.licence": ("驾驶证", "licence"),
    "alert_role.listed_person": ("列管人员", "listed person"),
    "alert_role.person": ("人员", "person"),
    "alert_role.phone": ("手机号码", "phone"),
    "alert_role.record": ("人员记录", "record"),
    "alert_role.registration": ("居住登记", "registration"),
    "alert_role.vehicle": ("车辆", "vehicle"),
    "alert_role.watch_list": ("布控名单", "watch list"),
    # What a link means, one hop further (queries.profile_facts.link_context).
    "link.address": ("地址", "Address"),
    "link.landlord": ("房东", "Landlord"),
    "link.tenant": ("登记人", "Registered by"),
    "link.shop": ("销售点", "Shop"),
    "link.buyer": ("购买人", "Bought by"),
    "link.owner": ("车辆所有人", "Owner"),
    "link.owner_licence": ("车主驾驶证状态", "Owner's licence"),
    "link.rule": ("规则", "Rule"),
}
