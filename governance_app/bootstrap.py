"""First start: migrate the schema and load ``data/`` into an empty database; `serve` also
keeps the demo accounts (one per role) for trying the app."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from governance_app import accounts, store
from governance_app.core.auth import ROLES, Actor
from governance_app.core.db import migrate, session
from governance_app.core.i18n import ROLE_LABELS
from governance_app.core.settings import get_settings
from governance_app.validation import validate

SEED_ACTOR = Actor("system:seed", "planning")
DEMO_ACTOR = Actor("system:demo-users", "planning")
DEMO_PREFIX = "demo-"


def ensure_database(engine: Engine) -> bool:
    """Migrate; load the seed dataset when the database is empty. True when it loaded."""
    migrate(engine)
    with session(engine) as s:
        if store.has_data(s):
            return False
        dataset, findings = store.read_dir(get_settings().data_dir)
        findings = findings + validate(dataset, reconcile=False)
        if any(f.severity == "error" for f in findings):
            raise store.DatasetError(findings)
        store.replace_in_db(session=s, actor=SEED_ACTOR, dataset=dataset)
        return True


# --- demo accounts -------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    department: str | None
    password: str


def read_demo_file(path: Path) -> dict[str, str]:
    """username -> password as kept in the demo file (empty when there is none)."""
    if not path.is_file():
        return {}
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if line.startswith("#") or len(cells) != 4 or cells[0] == "username":
            continue
        found[cells[0]] = cells[3]
    return found


def _write_demo_file(path: Path, users: list[DemoUser], where: str) -> None:
    """Written to a temporary file created with mode 600 and renamed over the old one."""
    lines = [
        "# 데모 계정 (demo accounts): 앱을 시험해 보기 위한 계정입니다.",
        "# 실제 사용자가 쓰는 서버에서는 사용을 중지하세요 (disable them on a server with real users):",
        "#   .venv/bin/python -m governance_app user disable demo-<role>   (or start with DEMO_USERS=false)",
        f"# database: {where}",
        "username\trole\tdepartment\tpassword",
        *(f"{u.username}\t{u.role}\t{u.department or '-'}\t{u.password}" for u in users),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        os.fchmod(out.fileno(), 0o600)
        out.write("\n".join(lines) + "\n")
    os.replace(temporary, path)


def ensure_demo_users(engine: Engine, path: Path | None = None) -> list[DemoUser]:
    """One active demo account per role, each with a random password kept in ``path``
    (DEMO_USERS_FILE). A missing account is created; a kept password that no longer matches
    (another database, a lost file) is replaced. A disabled demo account stays disabled and a
    non-demo account that happens to have a demo name is left alone: neither is listed."""
    path = path or get_settings().demo_users_file
    kept = read_demo_file(path)
    users: list[DemoUser] = []
    with session(engine) as s:
        department = accounts.busiest_department(s)
        for role in ROLES:
            username = f"{DEMO_PREFIX}{role}"
            own_department = department if role == "department" else None
            if role == "department" and own_department is None:
                continue  # no audit items name a department: nothing for a department account to do
            existing = accounts.find(s, username)
            if existing is None:
                password = secrets.token_urlsafe(12)
                accounts.add_user(
                    s,
                    DEMO_ACTOR,
                    username,
                    role,
                    password,
                    department=own_department,
                    display_name=f"{ROLE_LABELS[role]} (데모)",
                    demo=True,
                )
            elif not existing.demo or not existing.active:
                continue
            else:
                password = kept.get(username, "")
                if not password or accounts.authenticate(s, username, password) is None:
                    password = secrets.token_urlsafe(12)
                    accounts.set_password(s, DEMO_ACTOR, username, password)
                own_department = existing.department
            users.append(DemoUser(username, role, own_department, password))
    _write_demo_file(path, users, engine.url.render_as_string(hide_password=True))
    return users


def demo_table(users: list[DemoUser], path: Path) -> str:
    """What `serve` prints at every start."""
    rows = [("아이디 (username)", "역할 (role)", "비밀번호 (password)")]
    rows += [
        (u.username, f"{u.role} {ROLE_LABELS[u.role]}" + (f" · {u.department}" if u.department else ""), u.password)
        for u in users
    ]
    rule = "=" * 88
    return "\n".join(
        [
            rule,
            "주의: 데모 계정입니다. 앱을 시험해 보기 위한 것이며 이 화면을 보는 누구나 비밀번호를 알 수 있습니다.",
            "실제 사용자가 있는 서버에서는 하나씩 사용 중지하십시오:",
            *(f"  .venv/bin/python -m governance_app user disable {u.username}" for u in users),
            "또는 DEMO_USERS=false로 시작하면 데모 계정을 만들지 않습니다.",
            f"비밀번호는 {path} 파일에도 있습니다 (서버를 시작한 사용자만 읽을 수 있음).",
            "",
            *accounts.text_table(rows, indent="  "),
            rule,
        ]
    )
