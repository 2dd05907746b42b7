"""64-bit integer columns for figures that can pass 2^31 (call counts, 천원 amounts)

Revision ID: 0008
Revises: 0007

PostgreSQL's INTEGER is 32-bit: a call count of 3,000,000,000 failed there and imported on
SQLite. These columns become BIGINT. SQLite stores every INTEGER as up to 64 bits already, so
there is nothing to change there (and no table is rebuilt): the models' type is
Integer with a BigInteger variant for PostgreSQL (core.record.WIDE_INTEGER).
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

COLUMNS = {
    'budget_amount': ['amount'],
    'budget_change': ['change_reported'],
    'execution_snapshot': ['budget_amount', 'executed_amount', 'remaining_reported'],
    'call_period': ['total_reported', 'nonphone_reported'],
    'channel_count': ['count'],
    'phone_performance': ['total_inflow', 'inflow', 'answered'],
    'work_item': ['cost_thousand'],
    'reported_figure': ['value'],
    'esg_figure': ['value'],
}


def _alter(to: sa.types.TypeEngine, from_: sa.types.TypeEngine) -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table, columns in COLUMNS.items():
        for column in columns:
            op.alter_column(table, column, type_=to, existing_type=from_)


def upgrade() -> None:
    _alter(sa.BigInteger(), sa.Integer())


def downgrade() -> None:
    _alter(sa.Integer(), sa.BigInteger())
