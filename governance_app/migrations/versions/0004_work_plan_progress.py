"""work plan progress: status, its date and the department's note

Revision ID: 0004
Revises: 0003
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Empty for every existing plan: the document reports no status (not yet reported).
    with op.batch_alter_table('work_plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('status_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('progress_note', sqlmodel.sql.sqltypes.AutoString(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('work_plan', schema=None) as batch_op:
        batch_op.drop_column('progress_note')
        batch_op.drop_column('status_on')
        batch_op.drop_column('status')
