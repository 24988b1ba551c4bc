"""Every setting goldenbell reads, declared once.

Settings come from environment variables. The table below is the only place a
setting is named; the README's settings table is checked against it by a test.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from settings import parsers

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """A setting has a value goldenbell cannot use."""


@dataclass(frozen=True)
class Setting:
    env: str
    field: str
    default: str
    help: str
    parse: Callable[[str], object] = str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "GOLDENBELL_HOME",
        "home",
        ".goldenbell",
        "Folder for the local Neo4j (store, logs, password file, pid file). "
        "Relative paths are taken from the current directory.",
        Path,
    ),
    Setting(
        "NEO4J_URI",
        "neo4j_uri",
        "",
        "Bolt URI of an external Neo4j (`bolt://`, `neo4j://` for a cluster, `neo4j+s://` for Aura). "
        "Empty: use the local Neo4j.",
        str,
    ),
    Setting("NEO4J_USER", "neo4j_user", "neo4j", "User for `NEO4J_URI`.", str),
    Setting(
        "NEO4J_PASSWORD",
        "neo4j_password",
        "",
        "Password for `NEO4J_URI`. Ignored for the local Neo4j, whose password is generated "
        "at first start into `$GOLDENBELL_HOME/neo4j-password` (mode 0600).",
        str,
    ),
    Setting("NEO4J_DATABASE", "neo4j_database", "neo4j", "Database name on the server.", str),
    Setting(
        "GOLDENBELL_BOLT_PORT", "bolt_port", "7687", "Loopback port of the local Neo4j's Bolt connector.", parsers.port
    ),
    Setting(
        "GOLDENBELL_STORE_DIR",
        "store_dir",
        "",
        "Neo4j home of the local server (databases, transaction logs, Neo4j's own logs). "
        "Empty: `$GOLDENBELL_HOME/neo4j`.",
        parsers.optional_path,
    ),
    Setting("GOLDENBELL_HEAP", "heap", "4g", "JVM heap of the local Neo4j (`-Xms` and `-Xmx`).", parsers.size),
    Setting(
        "GOLDENBELL_PAGECACHE",
        "pagecache",
        "6g",
        "Page cache of the local Neo4j (`server.memory.pagecache.size`).",
        parsers.size,
    ),
    Setting(
        "GOLDENBELL_EVENTS_MEMORY",
        "events_memory",
        "1g",
        "Memory each DuckDB connection over the event store may use (rules, lookups, evidence); past it "
        "DuckDB spills to an owner-only folder in the store. A city's co-travel rule runs in 14 s with 6g, "
        "20 s with 1g.",
        parsers.size,
    ),
    Setting(
        "GOLDENBELL_TX_TIMEOUT",
        "tx_timeout",
        "300",
        "Seconds after which the local Neo4j ends any transaction (`db.transaction.timeout`).",
        parsers.seconds,
    ),
    Setting(
        "GOLDENBELL_TX_MEMORY",
        "tx_memory",
        "1g",
        "Memory one transaction may use on the local Neo4j (`db.memory.transaction.max`).",
        parsers.size,
    ),
    Setting(
        "GOLDENBELL_TX_MEMORY_TOTAL",
        "tx_memory_total",
        "3g",
        "Memory all transactions together may use on the local Neo4j (`dbms.memory.transaction.total.max`).",
        parsers.size,
    ),
    Setting(
        "GOLDENBELL_TX_LOG_KEEP",
        "tx_log_keep",
        "1G size",
        "Transaction logs the local Neo4j keeps (`db.tx_log.rotation.retention_policy`); older ones are "
        "pruned at checkpoints. Neo4j's own default, two days, fills the disk during a city-scale import.",
        parsers.log_retention,
    ),
    Setting(
        "GOLDENBELL_QUERY_TIMEOUT",
        "query_timeout",
        "30",
        "Seconds a read query may run before goldenbell ends it (sent with each transaction).",
        parsers.seconds,
    ),
    Setting(
        "GOLDENBELL_CONSOLE_MAX_CHARS",
        "console_max_chars",
        "4000",
        "Longest Cypher text, in characters, the console accepts; longer text is refused before the server "
        "plans it, since planning a long expression can outrun `GOLDENBELL_QUERY_TIMEOUT`. The longest "
        "built-in pack query is about 3,200.",
        parsers.positive_int,
    ),
    Setting(
        "GOLDENBELL_START_TIMEOUT",
        "start_timeout",
        "120",
        "Seconds `goldenbell db start` waits for Bolt to answer.",
        parsers.seconds,
    ),
    Setting("GOLDENBELL_JAVA", "java", "java", "Java 17+ executable that runs the local Neo4j.", str),
    Setting(
        "GOLDENBELL_SCHEMA_DIR",
        "schema_dir",
        "",
        "Folder of the graph schema files. Empty: the schema shipped in `graph/schema/`.",
        parsers.optional_path,
    ),
    Setting(
        "GOLDENBELL_SCHEMA_PROFILE",
        "schema_profile",
        "china",
        "Schema profile (`graph/schema/profiles/<name>/`): `china`, the schema as shipped, with citizen ID "
        "numbers, Chinese plates, mobiles and addresses; `neutral`, identifiers of any country, with "
        "organisations, events and documents. Chosen before the graph is first loaded (see "
        "docs/schema-files.md).",
        parsers.profile_name,
    ),
    Setting(
        "GOLDENBELL_SCHEMA_EXTRA_DIR",
        "schema_extra_dir",
        "",
        "Folder of your own label and relationship type files (`nodes/<Label>.yaml`, "
        "`relationships/<TYPE>.yaml`) laid over the schema: a new name adds a label or type, a built-in "
        "name replaces that file (see docs/schema-files.md).",
        parsers.optional_path,
    ),
    Setting(
        "GOLDENBELL_ROW_CAP",
        "row_cap",
        "5000",
        "Most rows a saved or ad-hoc query returns; more are cut off and the result says so.",
        parsers.positive_int,
    ),
    Setting(
        "GOLDENBELL_RESULT_MAX_BYTES",
        "result_max_bytes",
        "32m",
        "Most data, counted as text, one saved or ad-hoc query returns; the rows past it are cut off and the "
        "result says so. A single row larger than this is not returned at all. `0`: no cap.",
        parsers.byte_size,
    ),
    Setting(
        "GOLDENBELL_CASE_REF_PATTERN",
        "case_ref_pattern",
        "",
        "Regular expression a case reference must match in full (after full-width forms become ASCII and "
        "letters upper case), in the workbench and on the command line alike. Empty: 3 to 64 letters, digits "
        "or Chinese characters with `- _ / . ( ) [ ] 〔 〕 【 】 #` between them, at least one a digit.",
        parsers.pattern,
    ),
    Setting(
        "GOLDENBELL_MAP_NODE_CAP",
        "map_node_cap",
        "1000",
        "Most nodes drawn on one relationship map; larger results are aggregated or refused.",
        parsers.positive_int,
    ),
    Setting(
        "GOLDENBELL_EXPAND_CAP",
        "expand_cap",
        "25",
        "Most relationships one expansion in the link explorer follows from a node (most recent first); "
        'each "show more" follows as many again.',
        parsers.positive_int,
    ),
    Setting(
        "GOLDENBELL_ANALYSIS_MAX_NODES",
        "analysis_max_nodes",
        "5000",
        "Most nodes a graph analysis (`goldenbell analyse`, a pack query's `post:`) takes; a larger graph is "
        "refused with its size.",
        parsers.positive_int,
    ),
    Setting(
        "GOLDENBELL_ANALYSIS_MAX_RELATIONSHIPS",
        "analysis_max_relationships",
        "25000",
        "Most relationships a graph analysis takes; a larger graph is refused with its size, and a label's "
        "projection reads no more than one past it.",
        parsers.positive_int,
    ),
    Setting(
        "GOLDENBELL_PACKS_DIR",
        "packs_dir",
        "",
        "Extra folder of query pack files, loaded after the built-in packs in `queries/packs/`.",
        parsers.optional_path,
    ),
    Setting(
        "GOLDENBELL_SPECS_DIR",
        "specs_dir",
        "",
        "Extra folder of your own mapping specs (`*.yaml`), found by name and chosen per file like the "
        "built-in specs in `ingest/specs/`; a name a built-in spec has is refused.",
        parsers.optional_path,
    ),
    Setting(
        "GOLDENBELL_AUDIT_LOG",
        "audit_log",
        "",
        "Append-only audit log file. Empty: `$GOLDENBELL_HOME/audit.jsonl`.",
        parsers.optional_path,
    ),
    Setting(
        "GOLDENBELL_AUDIT_ANCHORS",
        "audit_anchors",
        "",
        "Where each sync of the audit log also sends its head, comma-separated: `file:/path` (a line appended "
        "before the head moves; put it where the service account cannot rewrite it), `syslog`, "
        "`syslog:/dev/log` or `syslog:host:port`, and `http(s)://` URLs of a log server (JSON POSTed, 3 s "
        "timeout). `goldenbell audit verify` checks the log against the file anchors. Empty: none.",
        parsers.anchor_list,
    ),
    Setting(
        "GOLDENBELL_AUDIT_KEY_FILE",
        "audit_key_file",
        "",
        "File holding a secret (16 bytes or more) with which audit entries are sealed (HMAC-SHA256) and the "
        "entities they name are hashed; keep it apart from the log. Empty: entries are sealed with SHA-256 and "
        "entities kept as they are.",
        parsers.optional_path,
    ),
    Setting(
        "GOLDENBELL_AUDIT_ROTATE_SIZE",
        "audit_rotate_bytes",
        "100m",
        "Size at which the audit log is rotated into `<log>.<last seq>`, the chain running on across "
        "files; `0`: never.",
        parsers.byte_size,
    ),
    Setting(
        "GOLDENBELL_AUDIT_RETENTION",
        "audit_retention",
        "all",
        "Rotated audit log files kept: `all`, `N files` (the newest N) or `N days`; older ones are removed "
        "at the next rotation.",
        parsers.audit_retention,
    ),
    Setting(
        "GOLDENBELL_ACCESS_DB",
        "access_db",
        "",
        "Users, password hashes and sessions of the workbench (SQLite, mode 0600). "
        "Empty: `$GOLDENBELL_HOME/access.db`.",
        parsers.optional_path,
    ),
    Setting(
        "GOLDENBELL_SESSION_IDLE_MINUTES",
        "session_idle_minutes",
        "30",
        "Minutes without activity after which a workbench session ends and the user signs in again.",
        parsers.positive_int,
    ),
    Setting(
        "GOLDENBELL_SESSION_MAX_HOURS",
        "session_max_hours",
        "12",
        "Hours after sign-in at which a session ends however active it is.",
        parsers.positive_int,
    ),
    Setting(
        "GOLDENBELL_LOGIN_ATTEMPTS",
        "login_attempts",
        "5",
        "Wrong passwords in a row after which a user name is locked for `GOLDENBELL_LOGIN_LOCKOUT_MINUTES`.",
        parsers.positive_int,
    ),
    Setting(
        "GOLDENBELL_LOGIN_LOCKOUT_MINUTES",
        "login_lockout_minutes",
        "15",
        "Minutes a user name stays locked after too many wrong passwords.",
        parsers.positive_int,
    ),
    Setting(
        "GOLDENBELL_SSO_CLAIM",
        "sso_claim",
        "preferred_username",
        "Claim of a single-sign-on identity that names the goldenbell user it signs in as "
        "(used only when Streamlit's OIDC login is configured).",
        str,
    ),
    Setting(
        "GOLDENBELL_BATCH_SIZE",
        "batch_size",
        "5000",
        "Rows per write transaction when importing.",
        parsers.positive_int,
    ),
    Setting(
        "GOLDENBELL_WORKBENCH_PORT",
        "workbench_port",
        "8501",
        "Port the workbench (Streamlit) listens on, on 127.0.0.1.",
        parsers.port,
    ),
    Setting(
        "GOLDENBELL_POOL_SIZE",
        "pool_size",
        "50",
        "Largest number of Bolt connections the driver keeps open.",
        parsers.positive_int,
    ),
)


@dataclass(frozen=True)
class Settings:
    home: Path
    neo4j_uri: str
    neo4j_user: str
    neo4j_password: str
    neo4j_database: str
    bolt_port: int
    store_dir: Path | None
    heap: str
    pagecache: str
    events_memory: str
    tx_timeout: float
    tx_memory: str
    tx_memory_total: str
    tx_log_keep: str
    query_timeout: float
    console_max_chars: int
    start_timeout: float
    java: str
    schema_dir: Path | None
    schema_profile: str
    schema_extra_dir: Path | None
    row_cap: int
    result_max_bytes: int
    case_ref_pattern: re.Pattern[str] | None
    map_node_cap: int
    expand_cap: int
    analysis_max_nodes: int
    analysis_max_relationships: int
    packs_dir: Path | None
    specs_dir: Path | None
    audit_log: Path | None
    audit_anchors: tuple[str, ...]
    audit_key_file: Path | None
    audit_rotate_bytes: int
    audit_retention: str
    access_db: Path | None
    session_idle_minutes: int
    session_max_hours: int
    login_attempts: int
    login_lockout_minutes: int
    sso_claim: str
    batch_size: int
    workbench_port: int
    pool_size: int

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        values = {}
        for setting in SETTINGS:
            raw = env.get(setting.env, setting.default).strip()
            try:
                values[setting.field] = setting.parse(raw)
            except ValueError as exc:
                raise SettingsError(f"{setting.env}={raw!r}: {exc}") from exc
        return cls(**values)

    @property
    def uses_external_neo4j(self) -> bool:
        return bool(self.neo4j_uri)

    @property
    def neo4j_home(self) -> Path:
        return (self.store_dir or self.home / "neo4j").resolve()

    @property
    def password_file(self) -> Path:
        return (self.home / "neo4j-password").resolve()

    @property
    def graph_changes(self) -> Path:
        """What goldenbell's writes changed in the graph (graph/changes.py)."""
        return (self.home / "graph-changes.json").resolve()

    @property
    def local_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def uri(self) -> str:
        return self.neo4j_uri or self.local_uri

    @property
    def audit_log_path(self) -> Path:
        return (self.audit_log or self.home / "audit.jsonl").resolve()

    @property
    def access_db_path(self) -> Path:
        return (self.access_db or self.home / "access.db").resolve()

    @property
    def schema_path(self) -> Path:
        return self.schema_dir or PROJECT_ROOT / "graph" / "schema"
