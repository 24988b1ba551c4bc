"""Why a user consults the graph: a case reference and a coded reason, given before the
first search and recorded with every audit entry and every query's transaction metadata.

Codes are stable identifiers (the audit log keeps the code; the workbench shows the
words); each reason lists the roles it is open to, so an auditor's review and an
analyst's investigation are told apart in the log.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from access.errors import ReasonRefused

CONSULTING = frozenset({"analyst", "supervisor", "operator"})


@dataclass(frozen=True)
class Reason:
    code: str
    zh: str
    en: str
    roles: frozenset[str] = CONSULTING

    def title(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


REASONS: dict[str, Reason] = {
    reason.code: reason
    for reason in (
        Reason("case_investigation", "刑事案件侦查", "Criminal case investigation"),
        Reason("public_order", "治安管理", "Public-order case"),
        Reason("intelligence_analysis", "情报研判", "Intelligence analysis"),
        Reason("alert_verification", "预警核查", "Alert verification"),
        Reason("fugitive_search", "追逃工作", "Fugitive search"),
        Reason("missing_person", "失踪人员查找", "Missing-person search"),
        Reason("floating_population", "流动人口管理", "Floating-population management"),
        Reason("dangerous_goods", "危险物品监管", "Dangerous-goods supervision"),
        Reason("data_quality", "数据质量核查", "Data-quality check", frozenset({*CONSULTING, "admin"})),
        Reason("audit_review", "审计核查", "Audit review", frozenset({"auditor", "operator"})),
        Reason("user_administration", "用户管理", "User administration", frozenset({"admin", "operator"})),
    )
}

# After NFKC (full-width forms become ASCII) and upper-casing: a letter, digit or Chinese
# character first, then those or - _ / . ( ) [ ] 〔 〕 【 】 #; 3 to 64 in all.
_CASE_REF = re.compile(r"[0-9A-Z\u4e00-\u9fff][0-9A-Z\u4e00-\u9fff\-_/.()\[\]〔〕【】#]{2,63}")
# A recorded case reference was checked when it was given, perhaps against a site pattern
# this process does not know: reading it back accepts it as it is.
_RECORDED = re.compile(r".+")
_NOTE_MAX = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def normalise_case_ref(text: str, pattern: re.Pattern[str] | None = None) -> str:
    """The case reference as recorded, or ReasonRefused saying what is wrong with it. A site's
    own `pattern` (GOLDENBELL_CASE_REF_PATTERN) replaces the built-in rule."""
    value = unicodedata.normalize("NFKC", text or "").strip().upper()
    if not value:
        raise ReasonRefused("a case reference is required before any search or query (请填写案件编号)")
    if pattern is not None:
        if not pattern.fullmatch(value):
            raise ReasonRefused(
                f"case reference {value!r} does not have the form this site uses "
                f"(GOLDENBELL_CASE_REF_PATTERN {pattern.pattern}) (案件编号格式不正确)"
            )
        return value
    if not _CASE_REF.fullmatch(value):
        raise ReasonRefused(
            "a case reference is 3 to 64 characters: letters, digits or Chinese characters, "
            "with - _ / . ( ) [ ] 〔 〕 【 】 # between them (案件编号格式不正确)"
        )
    if not any(c.isdigit() for c in value) or len(set(value)) == 1:
        raise ReasonRefused("a case reference carries a number, as the case register issues it (案件编号须含编号)")
    return value


@dataclass(frozen=True)
class ReasonForAccess:
    """A checked case reference and reason code; construct it to validate user input."""

    case_ref: str
    code: str
    note: str = ""  # optional free text after the code
    pattern: re.Pattern[str] | None = field(default=None, repr=False, compare=False)  # the site's case-ref form

    def __post_init__(self) -> None:
        object.__setattr__(self, "case_ref", normalise_case_ref(self.case_ref, self.pattern))
        code = (self.code or "").strip()
        if code not in REASONS:
            raise ReasonRefused(f"unknown reason code {code!r}; codes are {', '.join(REASONS)} (请选择查询事由)")
        object.__setattr__(self, "code", code)
        note = " ".join((self.note or "").split())
        if len(note) > _NOTE_MAX or _CONTROL.search(note):
            raise ReasonRefused(f"a note is at most {_NOTE_MAX} characters of plain text")
        object.__setattr__(self, "note", note)

    @property
    def reason(self) -> str:
        """What the audit log and the transaction metadata record as the reason."""
        return f"{self.code}: {self.note}" if self.note else self.code

    @classmethod
    def from_recorded(cls, case_ref: str, reason: str) -> ReasonForAccess:
        code, _, note = reason.partition(": ")
        return cls(case_ref, code, note, _RECORDED)

    def open_to(self, role: str) -> bool:
        return role in REASONS[self.code].roles

    def title(self, lang: str = "zh") -> str:
        words = REASONS[self.code].title(lang)
        if not self.note:
            return words
        return f"{words} ({self.note})" if lang == "en" else f"{words}（{self.note}）"


def reasons_for(role: str) -> list[Reason]:
    """The reasons a user in `role` may pick, in catalogue order."""
    return [reason for reason in REASONS.values() if role in reason.roles]
