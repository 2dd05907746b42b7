"""The annual business report (주요업무보고) in the order of the source document."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from board import service as board
from board.charts import terms_chart
from budget import execution as budget_execution
from calls import service as calls
from calls.charts import channel_mix_chart, daily_share_chart, phone_chart
from esg import service as esg
from governance_app.core import context
from governance_app.core import formatting as fmt
from governance_app.core.auth import Actor, may_see_personal_data
from governance_app.report.sections import audit_blocks, audit_committee, budget_tables, execution_blocks
from governance_app.report.tree import (
    Block,
    Chart,
    Column,
    Contents,
    Cover,
    Document,
    Group,
    Heading,
    PageBreak,
    Paragraph,
    Table,
)
from institution import service as institution
from major_work import service as work
from staffing import service as staffing
from timeline import service as timeline

PART_I = ["기관 연혁", "상담 현황", "조직 및 인력", "이사회 현황", "예산 현황", "비전 및 추진전략"]
MARK = {"완료": "●", "추진": "◐", "예정": "○"}
BULLET = {1: "○ ", 2: "- ", 3: ""}


def build_business_report(
    s: Session, actor: Actor, round_code: str | None = None, as_of: date | None = None
) -> Document:
    """The whole 주요업무보고 of a round (default: the current one); personal data (birth dates,
    contacts) only if ``actor`` may see it. Budget execution as of ``as_of`` (a recorded snapshot),
    by default the latest of the round's year (a submitted round: its own date)."""
    ctx = context.current(s, round_code)
    as_of = budget_execution.shown_as_of(s, ctx, as_of)
    doc = Document(f"{ctx.org_name} {ctx.report_title}", author=ctx.org_name)
    doc.add(Cover(ctx.org_name, ctx.report_title, fmt.month_ko(ctx.report_date)), Contents())
    doc.add(Heading("I. 일반현황", 1))
    sections = [_history, _calls, _organisation, lambda s, ctx: _board(s, ctx, actor), _budget, _vision]
    for number, (title, section) in enumerate(zip(PART_I, sections, strict=True), start=1):
        label = f"'{ctx.fiscal_year % 100}년 {title}" if title == "예산 현황" else title
        doc.add(Heading(f"{fmt.circled(number)} {label}", 2))
        doc.add(*section(s, ctx))
    doc.add(PageBreak(), Heading("II. 주요업무 추진 실적", 1))
    doc.add(*_major_work(s, ctx, actor))
    doc.add(PageBreak(landscape=True), Heading(f"참고 {ctx.fiscal_year}년 {ctx.org_name} 사업 추진 현황", 1))
    doc.add(*_timeline(s, ctx))
    doc.add(
        PageBreak(landscape=False),
        Heading(f"참고 '{ctx.fiscal_year % 100}년 예산 현황 ({fmt.date_short(as_of)} 기준)", 2),
    )
    doc.add(*execution_blocks(s, ctx, as_of, actor=actor))
    audit_year = ctx.audit_session_code.split("-")[0]
    doc.add(PageBreak(), Heading(f"III. {audit_year} 행정사무감사 처리결과", 1))
    if committee := audit_committee(s, ctx):
        doc.add(Paragraph(f"({committee})", bold=True))
    doc.add(*audit_blocks(s, ctx))
    return doc


def _history(s: Session, ctx: context.Context) -> list[Block]:
    statements = institution.statements(s, ctx.org_id, ctx.fiscal_year)
    blocks: list[Block] = [Heading("□ 설립근거", 4)]
    blocks += [Paragraph(f"ㅇ {x.text}", 1) for x in statements if x.section == "basis"]
    blocks.append(Heading("□ 설립목적", 4))
    blocks += [Paragraph(f"ㅇ {x.text}", 1) for x in statements if x.section == "purpose"]
    blocks.append(Heading("□ 주요 연혁", 4))
    blocks += [
        Paragraph(f"ㅇ {_history_line(e.year, e.month, e.day, e.text)}", 1) for e in institution.history(s, ctx.org_id)
    ]
    return blocks


def _history_line(year: int, month: int, day: int | None, text: str) -> str:
    """'2007. 9. 서울특별시 120다산콜센터 창설(2007. 9. 12.)': the month leads, the day follows the text."""
    return f"{year}. {month}. {text}" + (f"({year}. {month}. {day}.)" if day else "")


def _calls(s: Session, ctx: context.Context) -> list[Block]:
    channels = calls.channels(s, ctx.org_id)
    menu = calls.ars_menu(s, ctx.org_id, ctx.fiscal_year)
    rows = calls.channel_table(s, ctx.org_id)
    counted = [c for c in channels if c.group == "nonphone"]
    phone = calls.phone_performance(s, ctx.org_id)
    daily = calls.daily_averages(s, ctx.org_id, ctx.call_period_code)
    period = next((r.label for r in rows if r.period_code == ctx.call_period_code), "")
    blocks: list[Block] = [
        Heading(f"□ 상담채널: {len(channels)}개 채널 운영", 4),
        Paragraph("ㅇ " + ", ".join(c.name for c in channels), 1),
        Heading("□ ARS: " + " ".join(f"{fmt.circled(m.key)} {m.label}" for m in menu), 4),
        Heading("□ 상담채널별 상담건 수", 4),
        Table(
            [
                Column("연도", "date"),
                Column("총상담 건수", "number"),
                Column("전화상담", "number"),
                Column("소계", "number"),
                *(Column(c.stats_label or c.name, "number") for c in counted),
            ],
            [
                [
                    r.label,
                    fmt.count(r.total),
                    fmt.count(r.phone),
                    fmt.count(r.nonphone),
                    *("미도입" if r.counts.get(c.code) is None else fmt.count(r.counts[c.code]) for c in counted),
                ]
                for r in rows
            ],
            unit="(단위: 건)",
            font_size=7.5,
            groups=(Group("", 3), Group("비전화상담", 1 + len(counted))),
        ),
        Chart(channel_mix_chart(rows, channels)),
        Heading("□ 일평균 상담건 수", 4),
        Table(
            [Column("소계" if r.line_code == "nonphone" else r.label, "number") for r in daily],
            [[f"{fmt.count(r.average)}\n({fmt.percent(r.share_reported)}%)" for r in daily]],
            unit=f"(단위: 건, {period})",
            font_size=7.5,
            groups=_daily_groups(daily),
        ),
        Chart(daily_share_chart(daily, period), 900, 380),
        Heading("□ 연도별 전화상담 실적", 4),
        Table(
            [Column("구분", width=2.3), *(Column(r.label, "number") for r in phone)],
            [
                ["총인입량 (건)", *(fmt.count(r.total_inflow) for r in phone)],
                ["인입량 (건)", *(fmt.count(r.inflow) for r in phone)],
                ["응대량 (건)", *(fmt.count(r.answered) for r in phone)],
                ["응대율 (%)", *(fmt.percent(r.answer_rate) for r in phone)],
                ["총인입 대비 응대율 (%)", *(fmt.percent(r.total_answer_rate) for r in phone)],
            ],
            font_size=8,
        ),
        Paragraph(
            "※ 응대율 = 응대량 / 인입량, 총인입 대비 응대율 = 응대량 / 총인입량 (2024 행정사무감사 요구에 따라 병기)",
            1,
            small=True,
        ),
        Chart(phone_chart(phone)),
    ]
    return blocks


def _organisation(s: Session, ctx: context.Context) -> list[Block]:
    departments = staffing.departments(s, ctx.org_id, ctx.fiscal_year)
    kinds = [d.kind for d in departments]
    names = {d.code: d.name for d in departments}
    blocks: list[Block] = [
        Heading(f"□ 조직 : {kinds.count('본부')}본부 {kinds.count('실')}실 {kinds.count('부')}부", 4)
    ]
    snapshot = staffing.latest_snapshot(s, ctx.org_id, on=ctx.report_date)
    if snapshot:
        grades = staffing.grades(s, ctx.org_id, snapshot.code)
        quota, current, short = staffing.totals(grades)
        blocks += [
            Heading(f"□ 인력 : 정원 {quota}명 (현원 {current}명)", 4),
            Table(
                [Column("구분"), Column("계", "number"), *(Column(g.label, "number") for g in grades)],
                [
                    ["정원", fmt.count(quota), *(fmt.count(g.quota) for g in grades)],
                    ["현원", fmt.count(current), *(fmt.count(g.current) for g in grades)],
                    ["과부족", fmt.amount(short), *(fmt.amount(g.shortfall) for g in grades)],
                ],
                unit="(단위: 명)",
                groups=(Group("", 2), *_runs([g.group_label for g in grades])),
            ),
            Paragraph(
                "※ 계는 정원外 인원(" + ", ".join(g.group_label for g in grades if not g.in_quota) + ") 제외",
                1,
                small=True,
            ),
        ]
    blocks.append(Heading("□ 부서별 주요업무", 4))
    units = [d for d in departments if d.kind != "본부"]
    sizes = {code: sum(1 for d in units if d.parent_code == code) for code in names}
    blocks.append(
        Table(
            [Column("소속", width=1.3, merge_repeats=True), Column("부서", width=1.5), Column("주요 업무", width=5)],
            [
                [
                    f"{names[d.parent_code]} ({sizes[d.parent_code]}부)" if d.parent_code in names else "-",
                    d.name,
                    d.duties or "",
                ]
                for d in units
            ],
        )
    )
    return blocks


def _board(s: Session, ctx: context.Context, actor: Actor) -> list[Block]:
    on = ctx.report_date
    entries = board.roster(s, ctx.org_id, on, actor=actor)
    heads = board.headcount(s, ctx.org_id, on)
    checks = board.composition(s, ctx.org_id, on)
    blocks: list[Block] = [
        Heading(
            f"□ 임원 : {heads['directors'] + heads['auditors']}명 (이사 {heads['directors']}명, "
            f"감사 {heads['auditors']}명)",
            4,
        )
    ]
    if checks:
        for basis in checks[0].legal_basis.split("; "):
            blocks.append(Paragraph(f"ㅇ {basis}", 1))
        blocks.append(
            Paragraph(
                "- "
                + ", ".join(
                    f"{c.seat_class} {c.min_count}인"
                    + (f" 이상 {c.max_count}인 이내" if c.max_count != c.min_count else "")
                    for c in checks
                ),
                2,
            )
        )
        for c in checks:
            if c.count < c.min_count:  # e.g. terms that ended without a successor by the report date
                blocks.append(Paragraph(f"※ {c.seat_class} {c.count}인: 정관 기준({c.min_count}인 이상) 미달", 2))
            elif c.count > c.max_count:
                blocks.append(Paragraph(f"※ {c.seat_class} {c.count}인: 정관 기준({c.max_count}인 이내) 초과", 2))
    seats = {g: sum(1 for e in entries if e.group == g) for g in {e.group for e in entries}}
    blocks.append(
        Table(
            [
                Column("구분", width=1.1, merge_repeats=True),
                Column("직책", width=1.5),
                Column("성명 (생년월일)", width=1.3),
                Column("임기", "date"),
                Column("주요 경력 및 학력", width=4.2),
            ],
            [
                [
                    f"{e.group} ({seats[e.group]}명)",
                    e.title,
                    f"{e.name}\n({fmt.date_short(e.birth_date)})" if e.birth_date else e.name,
                    fmt.term_range(e.start_date, e.end_date, open_end=fmt.PRINTED_WHILE_IN_OFFICE),
                    "\n".join(f"○ {x}" for x in e.education + e.career),
                ]
                for e in entries
            ],
            font_size=8,
        )
    )
    blocks.append(Chart(terms_chart(entries, on), 900, 460))
    return blocks


def _runs(labels: list[str]) -> list[Group]:
    """Consecutive equal labels as header groups: 임원 | 전문직 ×6 | 업무직."""
    groups: list[Group] = []
    for label in labels:
        if groups and groups[-1].label == label:
            groups[-1] = Group(label, groups[-1].span + 1)
        else:
            groups.append(Group(label))
    return groups


def _daily_groups(daily: list[calls.DailyRow]) -> tuple[Group, ...]:
    """비전화상담 over its subtotal and channels; the total and the phone column stand alone."""
    codes = [r.line_code for r in daily]
    if "nonphone" not in codes:
        return ()
    first = codes.index("nonphone")
    return (Group("", first), Group("비전화상담", len(codes) - first))


def _budget(s: Session, ctx: context.Context) -> list[Block]:
    return budget_tables(s, ctx)


def _vision(s: Session, ctx: context.Context) -> list[Block]:
    statements = institution.statements(s, ctx.org_id, ctx.fiscal_year)

    def section(name: str) -> list[str]:
        return [x.text for x in statements if x.section == name]

    blocks: list[Block] = [
        Heading("□ 미 션", 4),
        *(Paragraph(f'"{t}"', 1) for t in section("mission")),
        Heading("□ 비 전", 4),
        *(Paragraph(t, 1) for t in section("vision")),
        *(Paragraph(f'"{t}"', 1, bold=True) for t in section("slogan")),
        Heading("□ 경영목표", 4),
        *(Paragraph(f"ㅇ {t}", 1) for t in section("goal")),
        Heading("□ 전략방향", 4),
        *(Paragraph(f"ㅇ {t}", 1) for t in section("strategy")),
        Heading("□ 핵심과제", 4),
    ]
    for task in (x for x in statements if x.section == "core_task"):
        blocks.append(Paragraph(f"ㅇ {task.text}", 1, bold=True))
        blocks += [Paragraph(f"- {x.text}", 2) for x in statements if x.parent_code == task.code]
    return blocks


def _major_work(s: Session, ctx: context.Context, actor: Actor) -> list[Block]:
    areas = work.areas(s, ctx.org_id, ctx.fiscal_year)
    details = work.item_details(s, ctx.org_id, ctx.fiscal_year, actor=actor)
    blocks: list[Block] = [
        Table([Column("번호", "mark"), Column("주요업무")], [[str(a.number), a.title] for a in areas])
    ]
    for area in areas:
        blocks.append(PageBreak())
        blocks.append(Heading(f"{area.number}. {area.title}", 2))
        for d in (d for d in details if d.item.area_number == area.number):
            item = d.item
            if "-" in item.code:
                blocks.append(Heading(f"{item.code} {item.title}", 3))
            elif item.title != area.title:
                blocks.append(Heading(item.title, 3))
            blocks.append(Paragraph(item.lead, boxed=True))
            blocks.append(Heading("□ 사업개요", 4))
            blocks.append(Paragraph(f"ㅇ 목 적 : {item.purpose}", 1))
            blocks.append(Paragraph(f"ㅇ 내 용 : {item.content}", 1))
            if item.cost_thousand is not None:
                blocks.append(Paragraph(f"ㅇ 사 업 비 : {fmt.count(item.cost_thousand // 1000)}백만원", 1))
            blocks.append(Heading("□ 추진내용", 4))
            if item.highlight:
                blocks.append(Paragraph(item.highlight, 1, bold=True))
            section = None
            for b in d.bullets:
                if b.section != section:
                    section = b.section
                    blocks.append(Paragraph(f"【{section}】", 1, bold=True))
                blocks.append(Paragraph(BULLET.get(b.level, "") + b.text, b.level, small=b.level == 3))
            blocks.append(Heading("□ 추진계획", 4))
            for p in d.plans:
                blocks.append(Paragraph(f"ㅇ {p.text} : {p.timing}", 1))
                if p.detail:
                    blocks.append(Paragraph(f"- {p.detail}", 2))
            if d.contacts and may_see_personal_data(actor):
                blocks.append(
                    Paragraph("담당자  " + "  ".join(f"{c.role}: {c.name} ☎ {c.phone}" for c in d.contacts), small=True)
                )
            if item.code == "6":
                blocks += _healing(s, ctx)
    return blocks


def _healing(s: Session, ctx: context.Context) -> list[Block]:
    programmes = esg.healing_programmes(s, ctx.org_id, ctx.fiscal_year)
    return [
        Heading(f"□ {ctx.fiscal_year}년 힐링 프로그램", 4),
        Table(
            [
                Column("구분", width=1.4, merge_repeats=True),
                Column("프로그램명", width=2.2),
                Column("내용", width=4.4),
                Column("담당부서", width=1.3),
            ],
            [[p.category, p.name, p.content or "", p.department] for p in programmes],
            font_size=8,
        ),
    ]


def _timeline(s: Session, ctx: context.Context) -> list[Block]:
    tasks = timeline.tasks(s, ctx.org_id, ctx.fiscal_year, ctx.report_date)
    rows = [
        [f"{t.area_number}. {t.area_title}", t.name, *(MARK.get(t.months.get(m, ""), "") for m in range(1, 13))]
        for t in tasks
    ]
    return [
        Heading(f"□ '{ctx.fiscal_year % 100}년 사업별 추진 현황", 4),
        Paragraph(f"● 완료  ◐ 추진  ○ 예정 ({fmt.date_ko(ctx.report_date)} 기준)", small=True),
        Table(
            [
                Column("구분", width=3.6, merge_repeats=True),
                Column("추진내용", width=3.6),
                *(Column(f"{m}월", "mark") for m in range(1, 13)),
            ],
            rows,
            font_size=7.5,
            keep=True,  # the year at a glance: one landscape page
        ),
    ]
