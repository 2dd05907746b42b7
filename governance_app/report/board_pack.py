"""이사회 현황 자료: the dashboards a board member may see, as one document without personal data.

Built as the board role sees the data whoever asks for it (``BOARD_VIEW``): the services withhold
birth dates and contacts from that role, and this builder prints neither staff names nor the
members' birth dates, careers or contacts — board members' names and titles only, as the public
report has them. Anyone may make it (``report.board``: every role)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from audit_followup import service as audit
from audit_followup.models import CATEGORIES, STATUSES
from board import service as board
from board.charts import terms_chart
from budget import execution as budget_execution
from budget import service as budget
from budget.charts import execution_rate_chart
from calls import service as calls
from governance_app.core import context
from governance_app.core import formatting as fmt
from governance_app.core.auth import Actor
from governance_app.report.tree import Block, Chart, Column, Cover, Document, Heading, Paragraph, Table

TITLE = "이사회 현황 자료"
# the reader every service is asked for: the board role, which is never given personal data
BOARD_VIEW = Actor("board-document", "board")


def build_board_report(s: Session, _actor: Actor, round_code: str | None = None, as_of: date | None = None) -> Document:
    """The board's document of a round (default: the current one), budget execution as of
    ``as_of`` (a recorded snapshot; by default the latest of the round's year)."""
    ctx = context.current(s, round_code)
    as_of = budget_execution.shown_as_of(s, ctx, as_of)
    doc = Document(f"{ctx.org_name} {TITLE}", author=ctx.org_name)
    doc.add(Cover(ctx.org_name, TITLE, fmt.month_ko(ctx.report_date)))
    doc.add(Heading("1. 주요 현황", 1), *_overview(s, ctx, as_of))
    doc.add(Heading(f"2. 예산 집행 현황 ({fmt.date_ko(as_of)} 기준)", 1), *_execution(s, ctx, as_of))
    doc.add(Heading("3. 상담 현황", 1), *_calls(s, ctx))
    doc.add(Heading(f"4. 이사회 구성 및 임기 ({fmt.date_ko(ctx.report_date)} 기준)", 1), *_board(s, ctx))
    doc.add(Heading("5. 행정사무감사 후속조치 현황", 1), *_audit(s, ctx))
    return doc


def _overview(s: Session, ctx: context.Context, as_of: date) -> list[Block]:
    """The 개요 page's figures: budget, execution, answer rate, officers, audit follow-ups."""
    total = budget.total_budget(s, ctx.org_id, ctx.fiscal_year)
    executed = budget_execution.execution_total(s, ctx.org_id, as_of)
    phone = {p.period_code: p for p in calls.phone_performance(s, ctx.org_id)}.get(ctx.call_period_code)
    heads = board.headcount(s, ctx.org_id, ctx.report_date)
    counts = audit.status_counts(s, ctx.org_id, ctx.audit_session_code)
    rows = [[f"{ctx.fiscal_year}년 예산 (세출)", f"{fmt.amount(total)}천원" if total is not None else "-"]]
    if executed:
        rows.append(
            [
                f"집행액·집행률 ({fmt.date_short(executed.as_of)} 기준)",
                f"{fmt.amount(executed.executed)}천원 ({fmt.percent(executed.rate)}%)",
            ]
        )
    if phone:
        rows.append([f"전화상담 응대율 ({phone.label})", f"{fmt.percent(phone.answer_rate)}%"])
        rows.append([f"총인입 대비 응대율 ({phone.label})", f"{fmt.percent(phone.total_answer_rate)}%"])
    rows.append(["임원 (보고 기준일)", f"이사 {heads['directors']}명, 감사 {heads['auditors']}명"])
    rows.append(
        [
            "행정사무감사 후속조치",
            f"총 {counts['계']}건 (" + ", ".join(f"{k} {v}건" for k, v in counts.items() if k != "계") + ")",
        ]
    )
    return [Table([Column("구분", width=1.2), Column("현황", width=1.8)], rows)]


def _execution(s: Session, ctx: context.Context, as_of: date) -> list[Block]:
    """The total and each line's execution against the elapsed year (no contacts), with the chart."""
    rows = budget_execution.execution(s, ctx.org_id, as_of, BOARD_VIEW)
    if not rows:
        return [Paragraph("※ 이 기준일의 집행 실적이 없습니다.", 1, small=True)]
    return [
        Table(
            [
                Column("구분", width=3.0),
                Column("예산액", "number"),
                Column("집행액", "number"),
                Column("집행률", "rate"),
                Column("잔액", "number"),
                Column("경과율 대비(%p)", "rate"),
            ],
            [
                [
                    r.label,
                    fmt.amount(r.budget),
                    fmt.amount(r.executed),
                    fmt.percent(r.rate),
                    fmt.amount(r.remaining),
                    fmt.points(r.gap),
                ]
                for r in rows
            ],
            unit="(단위: 천원, %)",
            total_rows=frozenset(i for i, r in enumerate(rows) if r.is_total),
        ),
        Paragraph(
            f"※ 연중 경과율 {fmt.percent(rows[0].elapsed)}% ({fmt.date_ko(as_of)} 기준). "
            "경과율 대비 △는 집행이 경과율에 못 미침을 뜻함",
            1,
            small=True,
        ),
        Chart(execution_rate_chart(rows), 900, 400),
    ]


def _calls(s: Session, ctx: context.Context) -> list[Block]:
    """Calls per year (total, phone, other channels) and the phone answer rates."""
    rows = calls.channel_table(s, ctx.org_id)
    phone = calls.phone_performance(s, ctx.org_id)
    return [
        Heading("□ 연도별 상담건 수", 4),
        Table(
            [
                Column("연도", "date"),
                Column("총상담 건수", "number"),
                Column("전화상담", "number"),
                Column("비전화상담", "number"),
            ],
            [[r.label, fmt.count(r.total), fmt.count(r.phone), fmt.count(r.nonphone)] for r in rows],
            unit="(단위: 건)",
        ),
        Heading("□ 연도별 전화상담 응대율", 4),
        Table(
            [
                Column("연도", "date"),
                Column("인입량", "number"),
                Column("응대량", "number"),
                Column("응대율", "rate"),
                Column("총인입 대비 응대율", "rate"),
            ],
            [
                [
                    r.label,
                    fmt.count(r.inflow),
                    fmt.count(r.answered),
                    fmt.percent(r.answer_rate),
                    fmt.percent(r.total_answer_rate),
                ]
                for r in phone
            ],
            unit="(단위: 건, %)",
        ),
    ]


def _board(s: Session, ctx: context.Context) -> list[Block]:
    """The statutory composition and every seat's holder, term and term status; no birth dates."""
    on = ctx.report_date
    entries = board.roster(s, ctx.org_id, on, actor=BOARD_VIEW)
    checks = board.composition(s, ctx.org_id, on)
    blocks: list[Block] = [
        Heading("□ 정관상 구성 요건", 4),
        Table(
            [Column("구분", width=1.5), Column("현원", "number"), Column("요건", width=1.5), Column("충족", "mark")],
            [
                [c.seat_class, f"{c.count}명", fmt.head_range(c.min_count, c.max_count), "충족" if c.ok else "미충족"]
                for c in checks
            ],
        ),
        Heading("□ 임원 명단 및 임기", 4),
        Table(
            [
                Column("구분", width=1.1, merge_repeats=True),
                Column("직책", width=1.5),
                Column("성명", width=1.0),
                Column("임기", "date"),
                Column("상태", width=1.2),
            ],
            [[e.group, e.title, e.name, fmt.term_range(e.start_date, e.end_date), e.status] for e in entries],
        ),
    ]
    if entries:
        blocks.append(Chart(terms_chart(entries, on), 900, 460))
    return blocks


def _audit(s: Session, ctx: context.Context) -> list[Block]:
    """총괄: items per category and status, counted from the items (no departments, no names)."""
    cells = {(c.category, c.status): c.computed for c in audit.summary(s, ctx.org_id, ctx.audit_session_code)}
    if not cells:
        return [Paragraph("※ 이 회차의 행정사무감사 자료가 없습니다.", 1, small=True)]
    return [
        Paragraph(
            f"○ {ctx.audit_session_code.split('-')[0]} 행정사무감사 처리요구사항 등 총 {cells[('계', '계')]}건", 1
        ),
        Table(
            [Column("구분", width=3), Column("계", "number"), *(Column(st, "number") for st in STATUSES)],
            [[c, str(cells[(c, "계")]), *(str(cells[(c, st)]) for st in STATUSES)] for c in ("계", *CATEGORIES)],
            total_rows=frozenset({0}),
            unit="(단위: 건)",
        ),
    ]
