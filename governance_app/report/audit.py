"""The audit follow-up report (처리결과 보고서) on its own, for auditors."""

from __future__ import annotations

from sqlmodel import Session

from audit_followup import service as audit
from governance_app.core import context
from governance_app.core import formatting as fmt
from governance_app.report.sections import audit_blocks
from governance_app.report.tree import Cover, Document, Heading


def build_audit_report(s: Session, round_code: str | None = None) -> Document:
    ctx = context.current(s, round_code)
    session_row = audit.audit_session(s, ctx.org_id, ctx.audit_session_code)
    title = session_row.report_title if session_row else "행정사무감사 처리결과 보고서"
    doc = Document(f"{ctx.org_name} {title}", author=ctx.org_name)
    doc.add(
        Cover(
            ctx.org_name,
            title,
            fmt.month_ko(ctx.report_date),
            subtitle=f"({session_row.committee})" if session_row else None,
        )
    )
    doc.add(Heading(title, 1))
    doc.add(*audit_blocks(s, ctx, heading_level=0))
    return doc
