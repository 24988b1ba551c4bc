"""Roles and what each may do, as data.

Separation of duties: the people who consult the graph (analysts, supervisors) are not
the people who read the audit log (auditors) or manage accounts (admins), so nobody
reviews their own trail. `operator` is not a role a user can hold: it is the server
account at the command line, which owns the database files and the log and so can do
everything; commands run under it are recorded as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from access.errors import AccessDenied


class Permission(StrEnum):
    SEARCH = "search"  # search, profiles, expansions, paths, saved queries, maps
    CONSOLE = "console"  # the read-only Cypher console; only with SEE_SENSITIVE (see console_allowed)
    EXPORT = "export"  # downloads, exported maps and reports
    SEE_SENSITIVE = "see_sensitive"  # citizen ID numbers and phone numbers in full, everywhere
    UNMASK = "unmask"  # reveal one entity's ID number or phone, one audited act at a time
    ALERT_STATUS = "alert_status"  # acknowledge, close or reopen alerts; assign them and add notes
    IMPORT = "import"  # load files into the graph
    READ_AUDIT = "read_audit"  # read, verify and export the audit log
    MANAGE_USERS = "manage_users"  # add, disable, re-role users and reset their passwords


DESCRIPTIONS: dict[Permission, tuple[str, str]] = {
    Permission.SEARCH: ("检索、档案、关系扩展、查询包和地图", "search, profiles, expansions, saved queries and maps"),
    Permission.CONSOLE: ("只读 Cypher 控制台", "the read-only Cypher console"),
    Permission.EXPORT: ("导出和报告", "exports and reports"),
    Permission.SEE_SENSITIVE: ("查看完整身份号码和电话", "ID numbers and phones in full"),
    Permission.UNMASK: ("逐个显示实体的身份号码或电话（留痕）", "unmasking one entity at a time (audited)"),
    Permission.ALERT_STATUS: ("处置预警（状态、指派、备注）", "working alerts (status, assignee, notes)"),
    Permission.IMPORT: ("数据导入", "importing data"),
    Permission.READ_AUDIT: ("查阅审计日志", "reading the audit log"),
    Permission.MANAGE_USERS: ("用户管理", "managing users"),
}


@dataclass(frozen=True)
class Role:
    name: str
    zh: str
    en: str
    permissions: frozenset[Permission]
    assignable: bool = True  # whether a user may hold it

    def title(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


OPERATOR = "operator"

ROLES: dict[str, Role] = {
    role.name: role
    for role in (
        Role(
            "analyst",
            "研判员",
            "Analyst",
            # No console: a console that can compute on a value can always reveal it.
            frozenset({Permission.SEARCH, Permission.EXPORT, Permission.UNMASK, Permission.ALERT_STATUS}),
        ),
        Role(
            "supervisor",
            "主管",
            "Supervisor",
            frozenset(
                {
                    Permission.SEARCH,
                    Permission.CONSOLE,
                    Permission.EXPORT,
                    Permission.SEE_SENSITIVE,
                    Permission.UNMASK,
                    Permission.ALERT_STATUS,
                    Permission.IMPORT,
                }
            ),
        ),
        Role("auditor", "审计员", "Auditor", frozenset({Permission.READ_AUDIT})),
        Role("admin", "系统管理员", "Administrator", frozenset({Permission.MANAGE_USERS, Permission.IMPORT})),
        Role(OPERATOR, "运维（命令行）", "Operator (command line)", frozenset(Permission), assignable=False),
    )
}
ASSIGNABLE_ROLES = tuple(name for name, role in ROLES.items() if role.assignable)


def role(name: str) -> Role:
    try:
        return ROLES[name]
    except KeyError:
        raise AccessDenied(f"unknown role {name!r}; roles are {', '.join(ASSIGNABLE_ROLES)}") from None


def may(role_name: str, permission: Permission) -> bool:
    found = ROLES.get(role_name)
    return found is not None and permission in found.permissions


def sees_sensitive(role_name: str) -> bool:
    return may(role_name, Permission.SEE_SENSITIVE)


def console_allowed(role_name: str) -> bool:
    """The ad-hoc console is for roles that see sensitive values in full: masking a result
    after the fact cannot be made sound (`p.id_number + 'a'`, `split(p.id_number, '')`), so
    a role that may not see a value may not compute on it either."""
    return may(role_name, Permission.CONSOLE) and sees_sensitive(role_name)


def console_denial(role_name: str) -> str:
    return (
        f"the {role_name} role may not use the console: it is only for roles that see ID numbers and phones "
        "in full (控制台仅限可查看完整身份号码和电话的角色)"
    )


def denial(role_name: str, permission: Permission) -> str:
    zh, en = DESCRIPTIONS[permission]
    return f"the {role_name} role does not allow {en} (角色无权：{zh})"
