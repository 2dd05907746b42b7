"""``python -m governance_app round list|new|freeze|reopen|diff`` and ``report --round``."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from governance_app import rounds
from governance_app.core import context
from governance_app.core import formatting as fmt
from governance_app.core.auth import Actor, cli_actor
from governance_app.core.db import get_engine, migrate, session
from governance_app.core.i18n import NOTHING_SAVED, josa, particle
from governance_app.core.submitted import RoundSubmittedError


def iso_date(text: str) -> date:
    """An argparse type: a calendar date written YYYY-MM-DD, refused in Korean otherwise."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}'{particle(text, '은')} 없는 날짜입니다 (YYYY-MM-DD로 적으십시오)"
        ) from None


def add_parsers(commands: Any) -> None:
    p = commands.add_parser("round", help="reporting rounds: list, new, freeze, reopen, diff")
    p.set_defaults(func=run)
    sub = p.add_subparsers(dest="round_command", required=True)
    sub.add_parser("list", help="every round: code, title, fiscal year, as-of dates, state, current")
    p = sub.add_parser("new", help="open the next round from the current one (or --from) and make it current")
    p.add_argument("code")
    p.add_argument("--fiscal-year", type=int, required=True)
    p.add_argument("--report-date", type=iso_date, required=True, help="YYYY-MM-DD (a month: its first day)")
    p.add_argument("--execution-as-of", type=iso_date, required=True, help="YYYY-MM-DD")
    p.add_argument("--from", dest="source", default=None, help="source round (default: the current one)")
    p.add_argument("--title", default=None, help="default: the source round's title")
    p.add_argument("--audit-session", default=None, help="the audit session it reports on (default: the year before)")
    p = sub.add_parser("freeze", help="submit a round: store its documents and refuse changes to its data")
    p.add_argument("code")
    p = sub.add_parser("reopen", help="make a submitted round 작성중 again (reason required, logged)")
    p.add_argument("code")
    p.add_argument("--reason", required=True)
    p = sub.add_parser("diff", help="what changed between two rounds, as one table")
    p.add_argument("a")
    p.add_argument("b")


def run(args: argparse.Namespace) -> int:
    engine = get_engine()
    migrate(engine)
    actor = cli_actor()
    try:
        with session(engine) as s:
            if args.round_command == "list":
                print_list(context.rounds(s))
            elif args.round_command == "new":
                ctx = rounds.new_round(
                    session=s,
                    actor=actor,
                    code=args.code,
                    fiscal_year=args.fiscal_year,
                    report_date=args.report_date,
                    execution_as_of=args.execution_as_of,
                    source=args.source,
                    title=args.title,
                    audit_session_code=args.audit_session,
                )
                made = f"{ctx.fiscal_year}년, 원본 {ctx.previous_code}"
                print(f"회차 {josa(ctx.report_code, '을')} 만들었습니다 ({made}); 현재 회차입니다.")
            elif args.round_command == "freeze":
                docs = rounds.freeze(session=s, actor=actor, code=args.code)
                print(f"회차 {josa(args.code, '을')} 제출했습니다. 저장한 문서 {len(docs)}건:")
                for d in docs:
                    print(f"  {d.file_name}  {d.size:,}바이트  sha256 {d.sha256}")
                seq, mac = rounds.log_anchor(s, args.code)
                print(f"변경 이력 기준점: {seq}번 {mac} (verify-log가 이 값을 확인합니다; 따로 적어 두십시오)")
            elif args.round_command == "reopen":
                rounds.reopen(session=s, actor=actor, code=args.code, reason=args.reason)
                print(f"회차 {josa(args.code, '을')} 다시 열었습니다 (작성중). 사유: {args.reason.strip()}")
            elif args.round_command == "diff":
                print_diff(args.a, args.b, rounds.diff(s, args.a, args.b))
    except (rounds.RoundError, RoundSubmittedError, LookupError) as exc:
        print(f"오류: {exc}", file=sys.stderr)
        print(NOTHING_SAVED, file=sys.stderr)
        return 1
    return 0


def print_list(found: list[context.Context]) -> None:
    print("코드\t제목\t회계연도\t보고일\t집행 기준일\t상담 통계\t감사 회기\t상태\t현재")
    for r in found:
        print(
            "\t".join(
                [
                    r.report_code,
                    r.report_title,
                    str(r.fiscal_year),
                    r.report_date.isoformat(),
                    r.execution_as_of.isoformat(),
                    r.call_period_code,
                    r.audit_session_code,
                    r.state,
                    "*" if r.is_current else "",
                ]
            )
        )


def cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return fmt.amount(value)
    if isinstance(value, Decimal):
        return fmt.points(value)
    return str(value)


def print_diff(a: str, b: str, rows: list[rounds.DiffRow]) -> None:
    print(f"구분\t항목\t{a}\t{b}\t증감")
    for r in rows:
        print(f"{r.group}\t{r.label.strip()}\t{cell(r.a)}\t{cell(r.b)}\t{cell(r.change)}")


def write_report(
    kind: str,
    formats: list[str],
    out: Path,
    round_code: str | None,
    actor: Actor | None = None,
    as_of: date | None = None,
) -> list[Path]:
    """``report [--round CODE]``: a submitted round's stored files byte for byte; otherwise
    the documents generated now from the round's data."""
    from governance_app.report import build as reports

    engine = get_engine()
    migrate(engine)
    actor = actor or cli_actor()
    with session(engine) as s:
        ctx = context.current(s, round_code)
        stored = {f: rounds.stored_file(s, actor, ctx.report_code, kind, f) for f in formats}
    if all(stored.values()):
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, data in (v for v in stored.values() if v):
            (out / name).write_bytes(data)
            written.append(out / name)
        return written
    return reports.write(
        engine, kind, formats, out, ctx.report_code, actor=actor, round_code=ctx.report_code, as_of=as_of
    )
