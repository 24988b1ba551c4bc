"""The titles of the built-in queries' result columns, in both languages: a table shows
`最近出现` where the query returns `last_seen`. Keyed `column.<name>`, merged into the
catalogue; a column of a pack of one's own without words here keeps its name."""

from __future__ import annotations

from graph.model import Schema

COLUMN_WORDS: dict[str, tuple[str, str]] = {
    "column.address": ("地址", "Address"),
    "column.address_text": ("详细地址", "Address in full"),
    "column.at": ("经过", "Passed at"),
    "column.candidate": ("候选记录", "Candidate record"),
    "column.candidate_key": ("候选记录编号", "Candidate record key"),
    "column.caption": ("名称", "Name"),
    "column.categories": ("物品类别", "Categories"),
    "column.channel": ("登记渠道", "Channel"),
    "column.checkpoints": ("检查站", "Checkpoints"),
    "column.co_resident": ("同住人员", "Co-resident"),
    "column.companion": ("伴随车", "Companion"),
    "column.conflicts": ("冲突次数", "Conflicts"),
    "column.days": ("天数", "Days"),
    "column.depth": ("层数", "Hop"),
    "column.detail": ("详情", "Detail"),
    "column.direction": ("方向", "Direction"),
    "column.entities": ("相关实体", "Entities"),
    "column.entity": ("实体", "Entity"),
    "column.event": ("事件", "Event"),
    "column.expired_on": ("过期日期", "Expired on"),
    "column.first": ("首次", "First"),
    "column.first_day": ("首日", "First day"),
    "column.first_place": ("前一地点", "First place"),
    "column.first_place_name": ("前一地点名称", "First place name"),
    "column.first_seen": ("首次出现", "First seen"),
    "column.first_time": ("首次时间", "First time"),
    "column.hops": ("跳数", "Hops"),
    "column.households": ("户籍地址数", "Households"),
    "column.kind": ("类别", "Kind"),
    "column.km": ("距离（公里）", "Distance (km)"),
    "column.label": ("类型", "Type"),
    "column.landlord": ("房东", "Landlord"),
    "column.last": ("末次", "Last"),
    "column.last_day": ("末日", "Last day"),
    "column.last_seen": ("最近出现", "Last seen"),
    "column.last_time": ("最近时间", "Last time"),
    "column.licence": ("驾驶证状态", "Licence status"),
    "column.link": ("关联", "Link"),
    "column.links": ("关联", "Links"),
    "column.links_a": ("与实体甲的关联数", "Links to the first entity"),
    "column.links_b": ("与实体乙的关联数", "Links to the second entity"),
    "column.listed": ("在名单上", "Listed"),
    "column.listed_on": ("列入日期", "Listed on"),
    "column.lists": ("所在名单类别", "Watch lists"),
    "column.location": ("坐标", "Location"),
    "column.minutes": ("间隔（分钟）", "Minutes apart"),
    "column.more": ("总数为下限", "Total is a floor"),
    "column.name": ("姓名", "Name"),
    "column.names": ("姓名", "Names"),
    "column.neighbour": ("共同关系人/物", "Common neighbour"),
    "column.of": ("所属车辆", "Of vehicle"),
    "column.on_day": ("日期", "On"),
    "column.open_alerts": ("未关闭预警", "Open alerts"),
    "column.overlap_from": ("重叠起", "Overlap from"),
    "column.overlap_until": ("重叠止", "Overlap until"),
    "column.passage": ("过车记录", "Passage"),
    "column.passages": ("经过次数", "Passages"),
    "column.passed_at": ("经过", "Passed at"),
    "column.path": ("路径", "Path"),
    "column.people": ("人员", "People"),
    "column.person": ("人员", "Person"),
    "column.persons": ("人数", "Persons"),
    "column.phone": ("手机号", "Phone"),
    "column.place": ("地点", "Place"),
    "column.place_id": ("地点编号", "Place ID"),
    "column.place_kind": ("地点类型", "Kind of place"),
    "column.place_node": ("地点实体", "Place entity"),
    "column.places": ("地点", "Places"),
    "column.plate": ("号牌", "Plate"),
    "column.purchases": ("购买次数", "Purchases"),
    "column.reasons": ("依据", "Reasons"),
    "column.registered_on": ("登记日期", "Registered on"),
    "column.registrations": ("有效登记数", "Registrations in force"),
    "column.relationship": ("关系", "Relationship"),
    "column.relationship_type": ("关系类型", "Relationship type"),
    "column.residents": ("登记人员", "Residents"),
    "column.score": ("得分", "Score"),
    "column.second_place": ("后一地点", "Second place"),
    "column.second_place_name": ("后一地点名称", "Second place name"),
    "column.second_time": ("后一时间", "Second time"),
    "column.shop_names": ("销售点名称", "Shop names"),
    "column.shops": ("销售点", "Shops"),
    "column.sightings": ("发现次数", "Sightings"),
    "column.source": ("起点", "From"),
    "column.source_listed": ("起点在名单上", "From is listed"),
    "column.status": ("状态", "Status"),
    "column.status_since": ("状态日期", "Status since"),
    "column.step": ("步", "Step"),
    "column.summary": ("摘要", "Summary"),
    "column.target": ("终点", "To"),
    "column.target_degree": ("终点关系数", "Links of the end"),
    "column.target_listed": ("终点在名单上", "To is listed"),
    "column.time": ("时间", "Time"),
    "column.times": ("次数", "Times"),
    "column.total": ("总数", "Total"),
    "column.usage": ("使用性质", "Usage"),
    "column.valid_until": ("有效期至", "Valid until"),
    "column.vehicle": ("车辆", "Vehicle"),
    "column.via": ("经由", "Via"),
}


def column_title(column: str, lang: str, schema: Schema | None = None) -> str:
    """The title of a result column in `lang`. Without words here, a column named after a
    property (`areaCode`) shows that property's display name (区域代码, "Area code"): a
    dataset keeps its stored names for its queries, and the table speaks the reader's
    language. Otherwise the column keeps its own name."""
    words = COLUMN_WORDS.get(f"column.{column}")
    if words is not None:
        return words[1] if lang == "en" else words[0]
    for node in schema.nodes.values() if schema is not None else ():
        prop = node.properties.get(column)
        if prop is not None and column not in schema.provenance:
            return prop.names.get(lang)
    return column
