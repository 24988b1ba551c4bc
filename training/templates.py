"""More wording for the training split: disputes, thefts and traffic accidents (the
train families A-C) written in other ways than the sample's six templates, so the
NER learns what a name or an address looks like rather than where one template puts
it. Same slot syntax as `synth.narratives.TEMPLATES`: {person:P1} a registered
person, {person:U1} a person in no registry (train name pool), {address:A1} P1's
residence, {address:R1} a road address, {bad_id:B1} an ID number with a wrong check
digit, {T} a time, {AMT} an amount.

None of these is used for evaluation: the held-out families D-E keep their own
templates in the generator.
"""

from __future__ import annotations

EXTRA_TEMPLATES = {
    "A": (
        "{T}，{address:A1}的住户{person:P1}报警，称邻居{person:U1}在楼道内堆放杂物，双方发生推搡。"
        "民警到场后对{person:U1}进行了批评教育。",
        "当事人{person:P1}与{person:P2}系同事关系，因工资结算问题在{address:R1}一带争吵，"
        "{person:P2}的手机号为{phone:P2}。经调解，{person:P1}同意次日再行协商。",
        "据{person:P1}（男，{AMT}号工牌）讲述，{person:U1}驾驶{plate:V1}多次占用其车位，"
        "二人在{address:A1}楼下发生纠纷。现场已处置完毕。",
        "{T}许，接群众{person:P1}报称：{address:R1}有多人围观争吵。民警赶到后查明系{person:U1}、"
        "{person:U2}二人因琐事发生口角，无人受伤，已劝离。",
        "房东{person:P1}（{id_number:P1}）投诉租客{person:U1}拖欠房租三个月，租住房屋位于{address:A1}。"
        "{person:U1}称近期手头紧张，双方约定月底前结清。",
        "经询问，{person:P2}承认与{person:P1}因宠物狗扰民发生争执。{person:P1}现住{address:A1}，"
        "联系人手机{phone:P1}。已告知双方通过社区调解。",
    ),
    "B": (
        "失主{person:P1}称其黑色电动车于{T}在{address:R1}附近被盗，车辆为蓝色外壳。"
        "经调取监控，一辆{plate:V2}面包车在案发时段经过该路段。",
        "{person:P1}（电话{phone:P1}）报案：放在车内的背包被人拿走，车辆{plate:V1}当时停在{address:R1}路边。"
        "包内有银行卡两张、现金{AMT}元。",
        "{T}，{address:A1}发生入室盗窃，住户{person:P1}回家后发现门锁被撬。邻居{person:U1}"
        "向民警提供了线索，称看到一名陌生男子从楼道离开。",
        "嫌疑人{person:U1}在{address:R1}一家超市内盗窃香烟两条，被店员当场抓获。{person:U1}自报身份证号"
        "{bad_id:B1}，经比对该号码无效。",
        "受害人{person:P1}，住{address:A1}，身份证{id_number:P1}。其称停放在小区的自行车被盗，"
        "怀疑是外卖员{person:U1}所为，已调阅门岗录像。",
        "{person:P1}的工地在{T}被盗电缆约{AMT}米，工地位于{address:R1}。看守人{person:U1}"
        "当晚未在岗，联系电话{phone:X1}。",
    ),
    "C": (
        "{T}，{plate:V1}与{plate:V2}在{address:R1}路口发生追尾，后车驾驶员{person:U1}负全部责任，"
        "前车车主{person:P1}轻微受伤，已送医。",
        "交警接报，{person:P1}驾驶白色小型轿车{plate:V1}途经{address:R1}时与行人{person:U1}发生碰撞，"
        "{person:U1}腿部擦伤。驾驶人手机{phone:P1}。",
        "事故双方为{person:P1}（证件号{id_number:P1}）和{person:P2}（联系手机{phone:P2}），"
        "地点{address:R1}，两车均有损坏，双方同意按快速处理程序自行协商。",
        "一辆{plate:V2}货车在{address:R1}掉头时刮碰路边停放的{plate:V1}，车主{person:P1}要求赔偿。"
        "货车司机{person:U1}出示的驾驶证号码为{bad_id:B1}，核查不符。",
        "{person:P1}报警称其驾驶的车辆{plate:V1}在{address:A1}门前被倒车的出租车撞击，"
        "出租车司机{person:U1}表示愿意承担修理费用约{AMT}元。",
        "{T}，电动车驾驶人{person:U1}在{address:R1}附近摔倒，路过的{person:P1}拨打电话{phone:P1}报警求援，"
        "伤者意识清醒。",
    ),
}

# Sentences without a name or an address, put before or after training reports: they
# use surname characters in ordinary words (对方, 一张, 白天, 金额, 向, 于是, 万幸), so the
# model learns that a surname character alone does not start a name.
FILLERS = (
    "民警随后向其宣传了防范知识。",
    "现场路面湿滑，车辆通行缓慢。",
    "对方表示愿意赔偿全部损失。",
    "经初步核实，涉案金额较大。",
    "双方均同意由社区出面调解。",
    "当事人情绪激动，民警及时进行了安抚。",
    "该处为单位宿舍，管理较为松散。",
    "白天该路段人流量大，常有车辆违停。",
    "随后两人一同前往派出所做笔录。",
    "一张银行卡和一张公交卡被一并带走。",
    "另有一名目击者在场，但不愿留下姓名。",
    "民警已将相关情况通报给物业方面。",
    "万幸无人受伤。",
    "于是双方再次发生争吵。",
    "江边步道附近光线较暗。",
    "关于赔偿事宜，双方各执一词。",
    "经查，该车辆安全检验合格。",
    "包括手机一部、钱包一个。",
    "明日将继续跟进处理。",
    "目前案件正在进一步调查中。",
    "高峰时段车流量较大，交警到场疏导。",
    "石桥附近有监控探头，已调取录像。",
    "黄色护栏被撞弯一段，需路政修复。",
    "常住人口较多，邻里之间来往频繁。",
    "任何一方不得再次滋事。",
    "马路对面的商店老板称当时正在营业。",
    "林荫道上停满了共享单车。",
    "何时返还财物由双方另行约定。",
    "程序上需由当事人签字确认。",
    "文明劝导后，围观群众自行散去。",
)
