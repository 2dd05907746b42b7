"""``template KIND FILE --year Y`` and ``load KIND FILE [--change-date D] [--label TEXT]``."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from governance_app import intake
from governance_app.core.auth import cli_actor
from governance_app.core.db import get_engine, migrate, session
from governance_app.core.i18n import CLI_SEVERITY, NOTHING_SAVED
from governance_app.core.intake import IntakeRefusedError


def add_commands(commands: argparse._SubParsersAction) -> None:
    kinds = list(intake.KINDS)
    p = commands.add_parser("template", help="write a yearly intake template (XLSX) pre-filled from the database")
    p.add_argument("kind", choices=kinds)
    p.add_argument("file", type=Path)
    p.add_argument("--year", type=int, default=None, help="fiscal year (audit: the audit's year)")
    p.set_defaults(func=run_template)
    p = commands.add_parser("load", help="check a filled template (XLSX or CSV) and save it, all or nothing")
    p.add_argument("kind", choices=kinds)
    p.add_argument("file", type=Path)
    p.add_argument("--change-date", type=date.fromisoformat, default=None, help="budget: the 추경 takes effect")
    p.add_argument("--label", default=None, help="budget: the 추경's name (default 제N회 추경)")
    p.set_defaults(func=run_load)


def run_template(args: argparse.Namespace) -> int:
    engine = get_engine()
    migrate(engine)
    with session(engine) as s:
        data = intake.template(s, args.kind, args.year)
    args.file.write_bytes(data)
    print(f"양식을 썼습니다: {args.file} ({len(data):,}바이트)")
    return 0


def run_load(args: argparse.Namespace) -> int:
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"오류: {args.file}: 파일을 읽을 수 없습니다 ({exc.strerror})", file=sys.stderr)
        return 1
    options = {"change_date": args.change_date, "label": args.label} if args.kind == "budget" else {}
    engine = get_engine()
    migrate(engine)
    with session(engine) as s:
        try:
            draft = intake.save(
                session=s, actor=cli_actor(), kind=args.kind, data=data, filename=args.file.name, **options
            )
        except IntakeRefusedError as exc:
            for f in exc.draft.findings:
                print(f"{CLI_SEVERITY.get(f.severity, f.severity)}  {f.message}")
            print(f"오류 {len(exc.draft.errors)}건: {NOTHING_SAVED}", file=sys.stderr)
            return 1
    for f in draft.warnings:
        print(f"경고  {f.message}")
    for line in draft.summary:
        print(line)
    print("저장했습니다.")
    return 0
