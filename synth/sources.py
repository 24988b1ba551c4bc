"""The source files: one per source system, each in that system's own shape.

This table is the single description of the files: the writers take their
headers from it, the docs list it, and the tests validate the files against it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # key|text|name|citizen_id|phone|plate|address|date|datetime|enum|number|int|coordinate|landline|list
    required: bool = False
    fmt: str = ""  # date and datetime columns: the format, as listed in DATE_FORMATS
    values: tuple[str, ...] = ()  # enum columns: the allowed values
    note: str = ""


@dataclass(frozen=True)
class SourceFile:
    name: str
    format: str  # csv | xlsx | jsonl
    encoding: str  # gbk | utf-8 | utf-8-sig (utf-8 with BOM); xlsx and jsonl are utf-8
    line_end: str
    source_system: str
    source_system_en: str
    columns: tuple[Column, ...]
    sheet: str = ""
    dirtied: bool = True  # whether --dirty touches the file (reference lists stay clean)

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


DATE_FORMATS = {
    "YYYYMMDD": "19850312",
    "YYYY/M/D": "1985/3/12 (no zero padding, as a spreadsheet saves it)",
    "YYYY-MM-DD": "1985-03-12",
    "YYYY.MM.DD": "1985.03.12",
    "XLSX date": "a spreadsheet date cell (serial day number, shown yyyy-mm-dd)",
    "YYYY/MM/DD HH:MM:SS": "2025/03/12 08:05:09",
    "YYYY-MM-DD HH:MM:SS": "2025-03-12 08:05:09",
    "ISO 8601 +08:00": "2025-03-12T08:05:09.000+08:00",
}
GENDERS = ("男", "女")
LICENCE_STATUSES = ("正常", "暂扣", "吊销", "注销")
CHANNELS = ("码上服务", "房东申报", "民警登记")
CATEGORIES = ("烟花爆竹", "管制刀具", "瓶装燃气", "危险化学品")
PLATE_TYPES = ("小型汽车", "大型汽车", "小型新能源汽车", "大型新能源汽车")
USAGES = ("非营运", "公路客运", "旅游客运", "危险货物运输", "货运")
WATCH_KINDS = ("在逃人员", "涉毒人员", "刑满释放人员", "其他重点人员")

C = Column
HOUSEHOLD = SourceFile(
    "household_registry.csv",
    "csv",
    "gbk",
    "\r\n",
    "户籍人口信息（公安人口管理系统）",
    "household (hukou) registry",
    (
        C("户号", "text", note="household number"),
        C("姓名", "name", True),
        C("公民身份号码", "citizen_id", True, note="key of Person"),
        C("性别", "enum", values=GENDERS),
        C("民族", "text"),
        C("出生日期", "date", fmt="YYYYMMDD"),
        C("户籍地址", "address", note="room-level household-registration address"),
        C("联系电话", "phone", note="blank or the household head's number for children"),
    ),
)
LICENCES = SourceFile(
    "driving_licences.csv",
    "csv",
    "utf-8-sig",
    "\r\n",
    "机动车驾驶证信息（交警驾驶人管理系统）",
    "driving-licence register",
    (
        C("档案编号", "key", True, note="12 digits, key of DrivingLicence"),
        C("姓名", "name", True),
        C("身份证明号码", "citizen_id", True, note="18 digits; a few old records keep the 15-digit number"),
        C("准驾车型", "text"),
        C("初次领证日期", "date", fmt="YYYY/M/D"),
        C("有效期止", "date", fmt="YYYY/M/D"),
        C("驾驶证状态", "enum", True, values=LICENCE_STATUSES),
        C("状态日期", "date", fmt="YYYY/M/D", note="the day the current status began"),
    ),
)
VEHICLES = SourceFile(
    "vehicle_registry.xlsx",
    "xlsx",
    "utf-8",
    "",
    "机动车登记信息（车辆管理所）",
    "motor-vehicle register",
    (
        C("号牌号码", "plate", True, note="key of Vehicle"),
        C("号牌种类", "enum", values=PLATE_TYPES),
        C("车辆类型", "text"),
        C("使用性质", "enum", values=USAGES),
        C("品牌", "text"),
        C("车身颜色", "text"),
        C("所有人", "name", True),
        C("身份证明号码", "citizen_id", True, note="text cell; old records may keep the 15-digit number"),
        C("联系电话", "phone"),
        C("住所地址", "address"),
        C("初次登记日期", "date", fmt="XLSX date"),
    ),
    sheet="机动车登记信息",
)
REGISTRATIONS = SourceFile(
    "floating_registrations.jsonl",
    "jsonl",
    "utf-8",
    "\n",
    "流动人口居住登记（码上服务平台）",
    "floating-population registrations (self-report, landlord, police)",
    (
        C("registrationNo", "key", True, note="登记编号, key of Registration"),
        C("channel", "enum", True, values=CHANNELS),
        C("name", "name", True),
        C("idNumber", "citizen_id", note="blank when a landlord reported a tenant without one"),
        C("gender", "enum", values=GENDERS),
        C("birthDate", "date", fmt="YYYY-MM-DD"),
        C("hukouAddress", "text", note="the tenant's household-registration address (other provinces)"),
        C("phone", "phone"),
        C("residenceAddress", "address", True),
        C("landlordName", "name"),
        C("landlordIdNumber", "citizen_id"),
        C("landlordPhone", "phone"),
        C("registeredOn", "date", True, fmt="YYYY-MM-DD"),
        C("validUntil", "date", True, fmt="YYYY-MM-DD"),
        C("reason", "text"),
        C("status", "enum", values=("有效", "注销")),
    ),
)
SHOPS = SourceFile(
    "dangerous_goods_shops.csv",
    "csv",
    "utf-8",
    "\n",
    "危险物品销售点（治安管理系统）",
    "licensed dangerous-goods shops",
    (
        C("销售点编号", "key", True, note="key of Shop"),
        C("销售点名称", "text", True),
        C("许可证号", "text"),
        C("经营类别", "list", values=CATEGORIES, note="categories joined by 、"),
        C("经营地址", "address", note="road-level address"),
        C("经度", "coordinate"),
        C("纬度", "coordinate"),
        C("联系电话", "landline"),
    ),
    dirtied=False,
)
SALES = SourceFile(
    "dangerous_goods_sales.csv",
    "csv",
    "gbk",
    "\r\n",
    "危险物品实名制销售记录（智付码）",
    "real-name dangerous-goods sales",
    (
        C("交易流水号", "key", True, note="key of Purchase"),
        C("交易时间", "datetime", True, fmt="YYYY/MM/DD HH:MM:SS"),
        C("销售点编号", "text", True, note="shop key"),
        C("购买人姓名", "name", True),
        C("购买人证件号码", "citizen_id", True),
        C("购买人联系电话", "phone"),
        C("物品类别", "enum", True, values=CATEGORIES),
        C("物品名称", "text"),
        C("数量", "number", True),
        C("单位", "text"),
        C("智付码", "text", note="payment code, 18 digits"),
    ),
)
CHECKPOINT_LIST = SourceFile(
    "checkpoints.csv",
    "csv",
    "utf-8",
    "\n",
    "智慧检查站点位",
    "smart checkpoints",
    (
        C("检查站编号", "key", True, note="key of Checkpoint"),
        C("检查站名称", "text", True),
        C("所在道路", "text"),
        C("所属区县", "text"),
        C("经度", "coordinate"),
        C("纬度", "coordinate"),
    ),
    dirtied=False,
)
GATES = SourceFile(
    "compound_gates.csv",
    "csv",
    "utf-8-sig",
    "\r\n",
    "智安小区卡口点位",
    "smart-compound camera gates",
    (
        C("卡口编号", "key", True, note="key of Gate"),
        C("卡口名称", "text", True),
        C("小区编号", "key", True, note="key of Compound"),
        C("小区名称", "text", True),
        C("所属区县", "text"),
        C("街道", "text"),
        C("社区", "text"),
        C("小区地址", "text", note="the address prefix every room in the compound shares"),
        C("小区经度", "coordinate"),
        C("小区纬度", "coordinate"),
        C("卡口经度", "coordinate"),
        C("卡口纬度", "coordinate"),
    ),
    dirtied=False,
)
CHECKPOINT_PASSAGES = SourceFile(
    "checkpoint_passages.csv",
    "csv",
    "utf-8",
    "\n",
    "智慧检查站过车记录",
    "checkpoint passages",
    (
        C("过车编号", "key", True, note="key of Passage"),
        C("号牌号码", "plate", True),
        C("号牌颜色", "text"),
        C("检查站编号", "text", True, note="checkpoint key"),
        C("过车时间", "datetime", True, fmt="YYYY-MM-DD HH:MM:SS"),
        C("方向", "enum", values=("进城", "出城")),
        C("车道", "int"),
        C("核录身份证号", "citizen_id", note="driver's ID number captured on inspection (智能核录); often blank"),
    ),
)
GATE_PASSAGES = SourceFile(
    "gate_passages.jsonl",
    "jsonl",
    "utf-8",
    "\n",
    "智安小区卡口过车记录",
    "compound-gate passages",
    (
        C("recordId", "key", True, note="key of Passage"),
        C("plateNo", "plate", True),
        C("gateId", "text", True, note="gate key"),
        C("passTime", "datetime", True, fmt="ISO 8601 +08:00"),
        C("direction", "enum", values=("入", "出")),
    ),
)
WATCH_LIST = SourceFile(
    "watch_list.xlsx",
    "xlsx",
    "utf-8",
    "",
    "重点人员名单",
    "watch lists",
    (
        C("条目编号", "key", True, note="key of the LISTED_ON entry"),
        C("名单编号", "text", True, note="key of WatchList"),
        C("名单名称", "text"),
        C("人员类别", "enum", True, values=WATCH_KINDS),
        C("姓名", "name", True),
        C("公民身份号码", "citizen_id", True, note="text cell"),
        C("性别", "enum", values=GENDERS),
        C("列管事由", "text"),
        C("列入日期", "date", True, fmt="YYYY.MM.DD"),
        C("撤销日期", "date", fmt="YYYY.MM.DD", note="blank while the entry is in force"),
        C("列管单位", "text"),
    ),
    sheet="重点人员",
)
CASES = SourceFile(
    "case_reports.jsonl",
    "jsonl",
    "utf-8",
    "\n",
    "警情信息（110接处警系统）",
    "case reports",
    (
        C("警情编号", "key", True, note="key of Case"),
        C("报警时间", "datetime", True, fmt="YYYY-MM-DD HH:MM:SS"),
        C("警情类别", "text"),
        C("标题", "text"),
        C("发生地址", "address"),
        C("案情简述", "text", note="free text; gold annotations in the ground truth"),
    ),
)

SOURCES: tuple[SourceFile, ...] = (
    HOUSEHOLD,
    LICENCES,
    VEHICLES,
    REGISTRATIONS,
    SHOPS,
    SALES,
    CHECKPOINT_LIST,
    GATES,
    CHECKPOINT_PASSAGES,
    GATE_PASSAGES,
    WATCH_LIST,
    CASES,
)
BY_NAME = {s.name: s for s in SOURCES}
