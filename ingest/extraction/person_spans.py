"""Persons from the lexical analyser's words and from rules for what police prose does
with names.

- LAC's `PER` words that look like a name (a known surname and one to three more
  characters), trimmed of a function character LAC glued on (邓军报称 → 邓军).
- Anonymised names (张某, 李某某): a surname and 某 or 某某, kept as persons that no
  registry will resolve. LAC sometimes splits them (戴某 / 某) or misses them.
- A name right after a role word (民警, 户主, 房东, 车主, 租客, 嫌疑人, 报警人…), where LAC
  may glue the role's last character to the surname (报警人马文斌 read as 人马 / 文斌).
- Pinyin and English names (`english.find_names`).

Never a person: a word overlapping a rule mention (LAC reads a plate's 浙F as a name).
"""

from __future__ import annotations

import re

from ingest.extraction import english
from ingest.extraction.lexical import Word
from ingest.extraction.mentions import Mention
from ingest.extraction.surnames import COMPOUND, LESS_COMMON, SINGLE, looks_like_name
from ingest.normalize import InvalidValue
from ingest.normalize import names as name_values

LEXICAL_PERSON = 0.85
ANONYMISED = 0.80
ROLE_WORDS = (
    "报警人",
    "嫌疑人",
    "犯罪嫌疑人",
    "民警",
    "辅警",
    "户主",
    "房东",
    "车主",
    "租客",
    "失主",
    "受害人",
    "被害人",
    "证人",
    "目击者",
    "驾驶人",
    "驾驶员",
    "当事人",
    "店主",
    "游客",
    "旅客",
    "同事",
    "邻居",
    "朋友",
    "表哥",
    "家属",
    "被询问人",
)
# characters that end a clause rather than a name: 郑伟于当晚, 蒋涛被, 张某已, 龚某经
FUNCTION_CHARS = set("于被在与和已经称说的了将向对从把给让报等及因曾并也都又便即遂则系到来去至")
_ANONYMISED = re.compile(rf"(?:{'|'.join(COMPOUND)}|[{''.join(sorted(SINGLE | LESS_COMMON))}])某{{1,2}}")
# a surname and a title is no name: 李总, 王哥, 张队
TITLES = set("总哥姐叔姨伯婶爷嫂队所局科处")
# what 某 may start instead of an anonymised name's end: 某人, 某小区, 某日
_NOT_ANONYMISED_AFTER = set("人些天种个地处日时年月单位小区公司超市店村镇号")


def find(text: str, words: list[Word], taken: list[Mention]) -> list[Mention]:
    """Person mentions, none overlapping `taken`; several may overlap one another
    (the merge keeps the longest the text supports)."""
    found = [m for w in words if w.tag == "PER" and (m := _lexical(text, w.start, w.end))]
    found += _anonymised(text)
    found += _after_roles(text, words)
    found += english.find_names(text)
    return [m for m in found if not any(m.start < t.end and t.start < m.end for t in taken)]


def trim(text: str, start: int, end: int) -> int:
    """The end of a name that ran on into a function character (蒋涛被 → 蒋涛)."""
    if end - start >= 3 and text[end - 1] in FUNCTION_CHARS and text[end - 2] != "某":
        return end - 1
    return end


def _lexical(text: str, start: int, end: int) -> Mention | None:
    end = trim(text, start, end)
    span = text[start:end]
    if _ANONYMISED.fullmatch(span):
        return _person(text, start, end, ANONYMISED)
    if not looks_like_name(span) or is_title(span):
        return None
    return _person(text, start, end, LEXICAL_PERSON)


def is_title(span: str) -> bool:
    """A surname and a title (李总, 张队), not a name."""
    return len(span) == 2 and span[1] in TITLES


def _anonymised(text: str) -> list[Mention]:
    out = []
    for m in _ANONYMISED.finditer(text):
        if text[m.end() : m.end() + 1] in _NOT_ANONYMISED_AFTER and text[m.end() - 2 : m.end()] != "某某":
            continue
        if m.start() > 0 and text[m.start() - 1] == "某":
            continue
        out.append(_person(text, m.start(), m.end(), ANONYMISED))
    return out


def _after_roles(text: str, words: list[Word]) -> list[Mention]:
    """A name right after a role word whose last character LAC glued to the surname:
    报警人马文斌 read as 报警 / 人马 / 文斌 gives 马文斌."""
    glued = {w.end: w for w in words if len(w.text) == 2}  # a two-character word ending after the surname
    names = {w.start: w for w in words if w.tag == "PER"}
    out = []
    for role in ROLE_WORDS:
        for m in re.finditer(role, text):
            at = m.end()
            word, given = glued.get(at + 1), names.get(at + 1)
            if word is None or given is None or word.start != at - 1 or text[at] not in SINGLE | LESS_COMMON:
                continue
            end = trim(text, at, given.end)
            if looks_like_name(text[at:end]):
                out.append(_person(text, at, end, LEXICAL_PERSON))
    return out


def _person(text: str, start: int, end: int, confidence: float) -> Mention:
    span = text[start:end]
    try:
        key = name_values.clean(span)
    except InvalidValue:
        key = span
    return Mention(start, end, span, "person", key, confidence, "lexical")
