"""Common Chinese surnames: a feature for the NER and a check on person spans.

The single-character surnames below cover well over 90 % of the population (the
published frequency tables' top 200 or so, plus the Jiaxing-common 沈 陆 顾 钱 屠 褚);
the compound ones are the few still met in registries.
"""

from __future__ import annotations

SINGLE = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩邓冯曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈"
    "钟姜崔谭陆范汪廖石金韦贾夏付傅方邹熊白孟秦邱侯江尹薛闫阎段雷龙黎史陶贺毛郝顾龚邵万钱戴严莫孔向常汤康易乔"
    "施屠褚赖文洪武覃庞樊兰殷施牛温芦俞章鲁葛伍韦申尤毕聂焦凌柴岳齐季祝管仇宁左蓝柳甘蒙翟盛安耿关纪舒包涂"
    "庄邢欧卜葛单骆房滕全米裴鲍项景游郎谷宫解巩苗费祁晏栾霍尚成车刁连路花符明麦阮官缪宗习简饶覃闵"
)
COMPOUND = frozenset({"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "司徒", "夏侯"})


def surname_length(name: str) -> int:
    """1 or 2 for a name that starts with a known surname, else 0."""
    if name[:2] in COMPOUND:
        return 2
    return 1 if name[:1] in SINGLE or name[:1] in LESS_COMMON else 0


def looks_like_name(text: str) -> bool:
    """A known surname and one to three more CJK characters (2-4 in all, 3-4 with a compound surname)."""
    n = surname_length(text)
    return n > 0 and 2 <= len(text) <= 4 and len(text) > n and all("\u4e00" <= ch <= "\u9fff" for ch in text)


# Less common surnames: enough to check a name the lexical analyser or a role word
# proposes (卫其明, 倪某, 戚志刚), but not marked for the trained NER, which learned on SINGLE.
LESS_COMMON = frozenset("卫倪柏戚屈蔺冉勾佘卓邬隋窦麻揭桂娄茅储农幸晋宓蒲邝艾喻湛谈鄢厉靳粟桑诸池查都井伏扈阙琚郦边")
