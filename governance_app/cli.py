"""``python -m governance_app <command>``: init-db, validate, import, export, report, round, serve,
verify-log, user, backup, restore, template, load."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from governance_app import incidents, round_commands, store
from governance_app.core import changelog
from governance_app.core.auth import ROLES, cli_actor
from governance_app.core.boundary import InputRefusedError
from governance_app.core.db import get_engine, migrate, session
from governance_app.core.errors import ConflictError
from governance_app.core.findings import Finding
from governance_app.core.settings import get_settings
from governance_app.core.submitted import RoundSubmittedError
from governance_app.validation import validate


def load_dir(path: Path) -> tuple[store.Dataset, list[Finding]]:
    """Parse and validate a dataset directory."""
    dataset, findings = store.read_dir(path)
    parsed = not any(f.severity == "error" for f in findings)
    return dataset, findings + validate(dataset, reconcile=parsed)


def load_db(org_code: str | None = None) -> tuple[store.Dataset, list[Finding]]:
    engine = get_engine()
    migrate(engine)
    with session(engine) as s:
        dataset = store.from_db(s, org_code)
    return dataset, validate(dataset)


def init_db(data_dir: Path, reset: bool = False) -> int:
    """Create the schema and load ``data_dir``; refuses to overwrite data unless ``reset``."""
    engine = get_engine()
    migrate(engine)
    dataset, findings = load_dir(data_dir)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise store.DatasetError(findings)
    with session(engine) as s:
        if store.has_data(s) and not reset:
            raise FileExistsError("the database already holds data; use --reset to replace it")
        return store.replace_in_db(session=s, actor=cli_actor(), dataset=dataset)


def _print_findings(findings: list[Finding], as_json: bool) -> None:
    if as_json:
        print(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
        return
    for f in findings:
        print(
            f"{f.severity.upper():7} {f.table} | {f.row} | {f.field} | reported={f.reported!r} "
            f"expected={f.expected!r} | {f.message}"
        )
    errors = sum(f.severity == "error" for f in findings)
    print(f"{errors} error(s), {len(findings) - errors} warning(s)")


def verify_log() -> int:
    engine = get_engine()
    migrate(engine)
    with session(engine) as s:
        result = changelog.verify(s)
    for problem in result.problems:
        print(f"ERROR   {problem}")
    state = "intact" if result.intact else f"BROKEN ({len(result.problems)} problem(s))"
    print(f"change log: {result.entries} entries, chain {state}; head {result.head_seq} {result.head_hash[:16]}")
    return 0 if result.intact else 1


# --- one function per command: each takes the parsed arguments and returns the exit status ---


def _init_db(args: argparse.Namespace) -> int:
    written = init_db(args.data or get_settings().data_dir, reset=args.reset)
    print(f"loaded {written} rows into {get_engine().url.render_as_string(hide_password=True)}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    _, findings = load_dir(args.path) if args.path else load_db()
    _print_findings(findings, args.json)
    return 1 if any(f.severity == "error" for f in findings) else 0


def _import(args: argparse.Namespace) -> int:
    dataset, findings = load_dir(args.path)
    if any(f.severity == "error" for f in findings):
        _print_findings([f for f in findings if f.severity == "error"], False)
        print("nothing was imported", file=sys.stderr)
        return 1
    engine = get_engine()
    migrate(engine)
    with session(engine) as s:
        written = store.replace_in_db(session=s, actor=cli_actor(), dataset=dataset)
    print(f"imported {written} rows; {len(findings)} reconciliation warning(s)")
    return 0


def _export(args: argparse.Namespace) -> int:
    engine = get_engine()
    migrate(engine)
    with session(engine) as s:
        files = store.export_dir(session=s, actor=cli_actor(), path=args.path, org_code=args.org)
    print(f"wrote {len(files)} files to {args.path}")
    return 0


def _report(args: argparse.Namespace) -> int:
    """A round's documents (default: the current round); a submitted round's stored files."""
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    out = args.out or get_settings().exports_dir
    for path in round_commands.write_report(args.kind, formats, out, args.round, as_of=args.as_of):
        print(path)
    return 0


def _serve(args: argparse.Namespace) -> int:
    from governance_app.serve import serve

    serve(args.port)  # replaces this process with Streamlit's
    return 2


def _verify_log(_args: argparse.Namespace) -> int:
    return verify_log()


def _user(args: argparse.Namespace) -> int:
    from governance_app.accounts import run_user_command

    return run_user_command(args)


def _backup(args: argparse.Namespace) -> int:
    from governance_app.backup import run_backup

    return run_backup(args.file)


def _restore(args: argparse.Namespace) -> int:
    from governance_app.backup import run_restore

    return run_restore(args.file)


def parser() -> argparse.ArgumentParser:
    """The command line: each command's parser names its function (``set_defaults(func=...)``)."""
    parser = argparse.ArgumentParser(prog="python -m governance_app", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("init-db", help="create the schema and load the seed dataset")
    p.add_argument("--data", type=Path, default=None, help="dataset directory (default: data/)")
    p.add_argument("--reset", action="store_true", help="replace data already in the database")
    p.set_defaults(func=_init_db)
    p = commands.add_parser("validate", help="check a dataset directory, or the database when no PATH")
    p.add_argument("path", nargs="?", type=Path)
    p.add_argument("--json", action="store_true", help="print findings as a JSON list")
    p.set_defaults(func=_validate)
    p = commands.add_parser("import", help="replace the database's dataset with PATH, all or nothing")
    p.add_argument("path", type=Path)
    p.set_defaults(func=_import)
    p = commands.add_parser("export", help="write the database's dataset to PATH as CSV files")
    p.add_argument("path", type=Path)
    p.add_argument("--org", default=None, help="organisation code (default: the first)")
    p.set_defaults(func=_export)
    p = commands.add_parser("report", help="generate a document (business, audit or budget) as PDF, DOCX and/or HWPX")
    p.add_argument("--kind", choices=["business", "audit", "budget"], default="business")
    p.add_argument("--format", default="pdf,docx,hwpx", help="comma-separated: pdf, docx, hwpx, xlsx")
    p.add_argument("--out", type=Path, default=None, help="output directory (default: exports/)")
    p.add_argument(
        "--round", default=None, help="report round (default: the current one); a submitted round's stored files"
    )
    p.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=None,
        metavar="DATE",
        help="budget execution as of this recorded snapshot (YYYY-MM-DD; default: the latest of the round's year)",
    )
    p.set_defaults(func=_report)
    round_commands.add_parsers(commands)
    p = commands.add_parser("serve", help="prepare the database and serve the app on localhost")
    p.add_argument("--port", type=int, default=8501)
    p.set_defaults(func=_serve)
    p = commands.add_parser("verify-log", help="recompute the change log's hash chain; exit 1 if it was altered")
    p.set_defaults(func=_verify_log)
    p = commands.add_parser("user", help="manage sign-in accounts")
    p.set_defaults(func=_user)
    users = p.add_subparsers(dest="user_command", required=True)
    p = users.add_parser("add", help="create an account (the password is asked for, or read from stdin)")
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--department", default=None, help="the department role's own department (부서명)")
    p.add_argument("--name", default=None, help="display name (default: the username)")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p = users.add_parser("passwd", help="set a new password")
    p.add_argument("username")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p = users.add_parser("disable", help="stop an account from signing in (it stays in the change log)")
    p.add_argument("username")
    users.add_parser("list", help="list the accounts")
    p = commands.add_parser("backup", help="write the whole database (attachments, accounts, log) to FILE")
    p.add_argument("file", type=Path)
    p.set_defaults(func=_backup)
    p = commands.add_parser("restore", help="load a backup FILE into an empty database")
    p.add_argument("file", type=Path)
    p.set_defaults(func=_restore)
    from governance_app.intake_cli import add_commands as add_intake_commands

    add_intake_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.func
    try:
        return command(args)
    except store.DatasetError as exc:
        _print_findings([f for f in exc.findings if f.severity == "error"], False)
        print("nothing was loaded", file=sys.stderr)
        return 1
    except RoundSubmittedError as exc:  # an import touching a submitted round's rows
        print(f"error: {exc}", file=sys.stderr)
        print("nothing was written", file=sys.stderr)
        return 1
    except (FileExistsError, LookupError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except ConflictError as exc:  # another process saved the same rows first (core.conflicts)
        print(f"오류: {exc}", file=sys.stderr)
        print("nothing was written", file=sys.stderr)
        return 1
    except InputRefusedError as exc:  # a value no file or form check caught, refused at the database
        print(f"오류: {exc}", file=sys.stderr)
        print("nothing was loaded", file=sys.stderr)
        return 1
    except Exception as exc:  # no traceback reaches a user; the incident log has it
        print(incidents.message(incidents.record(exc, f"cli {args.command}")), file=sys.stderr)
        return 1
