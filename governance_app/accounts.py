"""Local sign-in accounts (table ``user_account``): argon2id password hashes, the account
service the CLI and the bootstrap call, and ``authenticate`` for the sign-in page.

Managing accounts is the planning office's right (``user.manage``); every change goes through
the ORM in a session attributed to the acting person, so the change log records who created,
re-keyed or disabled which account (the hash itself is redacted there, ``changelog.REDACTED``).
Each service validates every field before it writes and commits once: a refused request
leaves nothing half-written.
"""

from __future__ import annotations

import getpass
import re
import secrets
import sys
import unicodedata
from argparse import Namespace
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlmodel import Session

from audit_followup.models import AuditItem
from governance_app import throttle
from governance_app.core import changelog, clock, conflicts, context
from governance_app.core.auth import ROLES, Actor, cli_actor, require
from governance_app.core.db import get_engine, migrate, session
from governance_app.core.errors import RefusalError
from governance_app.core.i18n import NOTHING_SAVED, ROLE_LABELS, josa, particle
from governance_app.core.models import UserAccount
from governance_app.core.settings import get_settings
from major_work import todo as work_todo
from staffing.models import Department

MIN_PASSWORD_LENGTH = 10
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
FIELD_LABELS = {
    "username": "아이디",
    "role": "역할",
    "department": "부서",
    "display_name": "이름",
    "password": "비밀번호",
}

# argon2-cffi's defaults (RFC 9106 low-memory profile): argon2id. When they change, a stored hash
# with the old parameters is replaced at the account's next successful sign-in.
HASHER = PasswordHasher()


class AccountError(RefusalError):
    """A refused account change; ``field`` names the field (username, role, department, ...)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{FIELD_LABELS.get(field, field)}({field}): {message}")


@dataclass(frozen=True)
class Account:
    """An account as shown and listed: everything but the password hash."""

    username: str
    display_name: str
    role: str
    department: str | None
    active: bool
    demo: bool
    created_at: datetime
    password_changed_at: datetime

    @property
    def actor(self) -> Actor:
        return Actor(self.username, self.role, self.department)


def _account(row: UserAccount) -> Account:
    return Account(
        row.username,
        row.display_name,
        row.role,
        row.department,
        row.active,
        row.demo,
        row.created_at,
        row.password_changed_at,
    )


# --- passwords -----------------------------------------------------------------------------


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def check_password_rule(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            "password", f"비밀번호는 {MIN_PASSWORD_LENGTH}자 이상이어야 합니다 (입력한 길이 {len(password)}자)"
        )


def _matches(stored_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    """A hash with the current parameters that no password matches in practice: an unknown
    username costs one verification, like a known one."""
    return HASHER.hash(secrets.token_urlsafe(32))


# --- reading -------------------------------------------------------------------------------


def _row(session: Session, username: str) -> UserAccount | None:
    query = select(UserAccount).where(UserAccount.username == username)  # type: ignore[arg-type]
    return session.execute(query).scalars().first()


def find(session: Session, username: str) -> Account | None:
    """The account of ``username`` (active or not): one query on the unique username index."""
    row = _row(session, username)
    return _account(row) if row else None


def list_users(session: Session, actor: Actor) -> list[Account]:
    require(actor, "user.manage")
    rows = session.execute(select(UserAccount).order_by(UserAccount.username)).scalars().all()
    return [_account(r) for r in rows]


def known_departments(session: Session) -> set[str]:
    """Department names a department account may belong to: the organisation chart's and the
    audit items' (the department role's rights are matched on AuditItem.department)."""
    chart = session.execute(select(Department.name).distinct()).scalars()
    audited = session.execute(select(AuditItem.department).where(AuditItem.department.is_not(None)).distinct())  # type: ignore[union-attr]
    return {*chart, *audited.scalars()}


def busiest_department(session: Session) -> str | None:
    """The department the demo account belongs to: of those owning major-work items (so plan
    progress can be tried), the one owning the most audit items (ties: the first by name); any
    department owning audit items when none owns both."""
    count = func.count()
    query = (
        select(AuditItem.department, count)
        .where(AuditItem.department.is_not(None))  # type: ignore[union-attr]
        .group_by(AuditItem.department)
        .order_by(count.desc(), AuditItem.department)
    )
    ranked = [row[0] for row in session.execute(query)]
    try:
        owners = set(work_todo.owning_departments(session, context.current(session)))
    except LookupError:  # no report round yet
        owners = set()
    return next((d for d in ranked if d in owners), ranked[0] if ranked else None)


def active_demo_usernames(session: Session) -> list[str]:
    query = select(UserAccount.username).where(UserAccount.demo, UserAccount.active).order_by(UserAccount.username)
    return list(session.execute(query).scalars())


# --- changing ------------------------------------------------------------------------------


def _check_role_and_department(session: Session, role: str, department: str | None) -> None:
    if role not in ROLES:
        choices = ", ".join(f"{r}({ROLE_LABELS[r]})" for r in ROLES)
        raise AccountError("role", f"'{role}'{particle(role, '은')} 없는 역할입니다. 다음 중 하나를 쓰세요: {choices}")
    if role == "department" and not department:
        raise AccountError(
            "department", "부서(department) 역할에는 부서명이 필요합니다 (예: --department 스마트전산부)"
        )
    if department and role != "department":
        raise AccountError("department", f"부서명은 부서(department) 역할에만 지정합니다 (역할: {role})")
    if department:
        known = known_departments(session)
        if department not in known:
            listed = ", ".join(sorted(known)) or "등록된 부서가 없습니다"
            raise AccountError(
                "department",
                f"'{department}'{particle(department, '은')} 등록된 부서가 아닙니다 (등록된 부서: {listed})",
            )


def add_user(
    session: Session,
    actor: Actor,
    username: str,
    role: str,
    password: str,
    *,
    department: str | None = None,
    display_name: str | None = None,
    demo: bool = False,
) -> Account:
    """Create an account; every field is checked before anything is written."""
    require(actor, "user.manage")
    username = username.strip()
    if not USERNAME.match(username):
        raise AccountError(
            "username", f"'{username}': 영문자·숫자로 시작하고 영문자·숫자·._@- 만 쓰는 64자 이하여야 합니다"
        )
    department = (department or "").strip() or None
    _check_role_and_department(session, role, department)
    display_name = (display_name or "").strip() or username
    check_password_rule(password)
    if _row(session, username) is not None:
        raise AccountError("username", f"'{username}' 계정이 이미 있습니다")
    now = clock.now_utc()
    row = UserAccount(
        username=username,
        display_name=display_name,
        role=role,
        department=department,
        password_hash=hash_password(password),
        active=True,
        demo=demo,
        created_at=now,
        password_changed_at=now,
    )
    changelog.attribute(session, actor)
    session.add(row)
    try:
        session.commit()
    except conflicts.RACES:  # created meanwhile by someone else (the unique username index)
        session.rollback()
        raise AccountError("username", f"'{username}' 계정이 이미 있습니다") from None
    return _account(row)


def _existing(session: Session, username: str) -> UserAccount:
    row = _row(session, username)
    if row is None:
        raise AccountError("username", f"'{username}' 계정이 없습니다")
    return row


def set_password(session: Session, actor: Actor, username: str, password: str) -> Account:
    require(actor, "user.manage")
    row = _existing(session, username)
    check_password_rule(password)
    changelog.attribute(session, actor)
    row.password_hash = hash_password(password)
    row.password_changed_at = clock.now_utc()
    session.commit()
    return _account(row)


def disable_user(session: Session, actor: Actor, username: str) -> Account:
    """Stop an account from signing in; a signed-in session of it ends at its next page run."""
    require(actor, "user.manage")
    row = _existing(session, username)
    if row.active:
        changelog.attribute(session, actor)
        row.active = False
        session.commit()
    return _account(row)


def authenticate(session: Session, username: str, password: str) -> Actor | None:
    """The account's Actor when ``password`` is its password and the account is active; None
    for an unknown username, a wrong password or a disabled account alike, after one argon2
    verification in every case (an unknown username is verified against a dummy hash)."""
    row = _row(session, username.strip()) if username else None
    if row is None:
        _matches(_dummy_hash(), password)
        return None
    if not _matches(row.password_hash, password) or not row.active:
        return None
    actor = Actor(row.username, row.role, row.department)
    if HASHER.check_needs_rehash(row.password_hash):
        changelog.attribute(session, actor)  # the account holder's own sign-in re-keys it
        row.password_hash = hash_password(password)
        session.commit()
    return actor


@dataclass(frozen=True)
class SignIn:
    """The answer to a sign-in: the actor, or None with the end of the wait when it was refused
    (or just started) by the throttle (``throttle``)."""

    actor: Actor | None
    locked_until: datetime | None = None


def sign_in(session: Session, username: str, password: str, client: str) -> SignIn:
    """``authenticate`` behind the throttle: a waiting client or name is refused before any
    password is checked (the right one too); otherwise the attempt is counted for the name (an
    unknown name alike, so the answer and its time never tell which names exist), checked with
    one argon2 verification, and a success clears the name's streak while a failure counts for
    the client too. ``client`` is the address (``throttle.client_address``)."""
    now = clock.now_utc()
    name = username.strip()
    client_key = (str(session.get_bind().url), client)
    waiting = throttle.CLIENTS.locked_until(client_key, now)
    if waiting is not None:
        return SignIn(None, waiting)
    attempt = throttle.begin_attempt(session, name, now) if USERNAME.match(name) else None
    if attempt is not None and attempt.refused:
        return SignIn(None, attempt.locked_until)
    actor = authenticate(session, name, password)
    if actor is not None:
        if attempt is not None:
            throttle.succeeded(session, name)
        return SignIn(actor)
    ends = [t for t in (throttle.CLIENTS.failed(client_key, now), attempt and attempt.locked_until) if t]
    return SignIn(None, max(ends) if ends else None)


def unlock_user(session: Session, actor: Actor, username: str) -> datetime | None:
    """Forget the account's wrong attempts and end its wait (the row's deletion is logged as
    ``actor``'s change); returns the end of the wait it had, None when it was not waiting."""
    require(actor, "user.manage")
    row = _existing(session, username)
    found = throttle.streak(session, row.username)
    if found is None:
        return None
    now = clock.now_utc()
    until = found.locked_until if found.locked_until and found.locked_until > now else None
    changelog.attribute(session, actor)
    session.delete(found)
    session.commit()
    return until


def locked_accounts(session: Session, actor: Actor) -> dict[str, datetime]:
    """Accounts (and other sign-in names) waiting now -> the end of their wait."""
    require(actor, "user.manage")
    return throttle.locks(session, clock.now_utc())


# --- command line --------------------------------------------------------------------------


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("비밀번호 (password): ")
    second = getpass.getpass("비밀번호 확인 (again): ")
    if first != second:
        raise AccountError("password", "두 번 입력한 비밀번호가 다릅니다")
    return first


def _role_text(account: Account) -> str:
    role = f"{account.role}({ROLE_LABELS[account.role]})" if account.role in ROLE_LABELS else account.role
    return f"{role} {account.department}" if account.department else role


def _width(text: str) -> int:
    """Terminal columns: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def text_table(rows: list[tuple[str, ...]], indent: str = "") -> list[str]:
    """Rows as aligned lines (the first row is the heading)."""
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        (indent + "  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths, strict=True))).rstrip() for r in rows
    ]


def _local_time(at: datetime) -> str:
    return f"{throttle.shown_end(at):%Y-%m-%d %H:%M}"


def _print_accounts(accounts: list[Account], locked: dict[str, datetime]) -> None:
    zone = get_settings().timezone
    rows = [("아이디", "이름", "역할", "상태", "만든 때 (UTC)", "비밀번호 바꾼 때 (UTC)", f"잠김 ({zone})")]
    for a in accounts:
        state = ("사용" if a.active else "사용 중지") + (" · 데모" if a.demo else "")
        rows.append(
            (
                a.username,
                a.display_name,
                _role_text(a),
                state,
                f"{a.created_at:%Y-%m-%d %H:%M}",
                f"{a.password_changed_at:%Y-%m-%d %H:%M}",
                f"{_local_time(locked[a.username])}까지" if a.username in locked else "",
            )
        )
    for line in text_table(rows):
        print(line)
    print(f"계정 {len(accounts)}개")


def run_user_command(args: Namespace) -> int:
    """``python -m governance_app user add|passwd|disable|unlock|list`` as the CLI operator (planning)."""
    engine = get_engine()
    migrate(engine)
    actor = cli_actor()
    try:
        with session(engine) as s:
            if args.user_command == "add":
                password = _read_password(args.password_stdin)
                account = add_user(
                    s,
                    actor,
                    args.username,
                    args.role,
                    password,
                    department=args.department,
                    display_name=args.name,
                )
                print(
                    f"계정 {josa(account.username, '을')} 만들었습니다: {account.display_name}, {_role_text(account)}"
                )
                return 0
            if args.user_command == "passwd":
                _existing(s, args.username)  # before asking for a password
                account = set_password(s, actor, args.username, _read_password(args.password_stdin))
                print(f"{account.username}: 새 비밀번호를 정했습니다")
                return 0
            if args.user_command == "disable":
                was_active = (found := find(s, args.username)) is not None and found.active
                account = disable_user(s, actor, args.username)
                print(
                    f"{account.username}: 사용을 중지했습니다"
                    if was_active
                    else f"{account.username}: 이미 사용 중지된 계정입니다"
                )
                return 0
            if args.user_command == "unlock":
                until = unlock_user(s, actor, args.username)
                if until is None:
                    print(f"{args.username}: 잠겨 있지 않습니다")
                else:
                    print(f"{args.username}: 잠금을 풀었습니다 ({_local_time(until)}까지 잠겨 있었음)")
                return 0
            if args.user_command == "list":
                _print_accounts(list_users(s, actor), locked_accounts(s, actor))
                return 0
    except AccountError as exc:
        print(f"오류: {exc}", file=sys.stderr)
        print(NOTHING_SAVED, file=sys.stderr)
        return 1
    return 2
