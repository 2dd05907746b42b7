"""audit sign-off comment and no-evidence confirmation; 보완 요구 (returned) status changes

Revision ID: 0010
Revises: 0009 (sign-in failures)
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # existing sign-offs had no comment and were given without the no-evidence question;
    # existing status changes were not 보완 요구
    with op.batch_alter_table("audit_signoff", schema=None) as batch_op:
        batch_op.add_column(sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("without_evidence", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("audit_status_change", schema=None) as batch_op:
        batch_op.add_column(sa.Column("returned", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("audit_signoff", schema=None) as batch_op:
        batch_op.alter_column("without_evidence", server_default=None)
    with op.batch_alter_table("audit_status_change", schema=None) as batch_op:
        batch_op.alter_column("returned", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("audit_status_change", schema=None) as batch_op:
        batch_op.drop_column("returned")
    with op.batch_alter_table("audit_signoff", schema=None) as batch_op:
        batch_op.drop_column("without_evidence")
        batch_op.drop_column("comment")
