"""64-bit integer columns for figures that can pass 2^31 (call counts, 천원 amounts); the keyed change log

Revision ID: 0008
Revises: 0006

PostgreSQL's INTEGER is 32-bit: a call count of 3,000,000,000 failed there and imported on
SQLite. These columns become BIGINT. SQLite stores every INTEGER as up to 64 bits already, so
there is nothing to change there (and no table is rebuilt): the models' type is
Integer with a BigInteger variant for PostgreSQL (core.record.WIDE_INTEGER).

The change log becomes an HMAC chain (core.changelog, core.logkey): entries already written keep
their SHA-256 (their content cannot be rewritten: the table is append-only) and
``log_head.keyed_from`` records the first seq chained with the key, so verify checks the old part
as before and everything after with the key; the first keyed entry's MAC covers the last old one.
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0006'
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


def _first_keyed() -> int:
    """1 + the newest entry whose hash is its plain SHA-256 (the entries before the key); an
    upgrade after a downgrade finds the keyed entries again and keeps them keyed."""
    from governance_app.core.changelog import entry_hash

    log = sa.table(
        'change_log',
        *(sa.column(c) for c in ('seq', 'at', 'actor', 'role', 'action', 'table_name', 'record_id',
                                 'record_key', 'changes', 'prev_hash', 'hash')),
    )
    rows = op.get_bind().execute(sa.select(log).order_by(log.c.seq.desc())).mappings()
    for row in rows:
        values = {k: v for k, v in row.items() if k != 'hash'}
        if isinstance(values['at'], str):  # SQLite hands back text in a Core select
            from datetime import datetime

            values['at'] = datetime.fromisoformat(values['at'])
        if entry_hash(**values, keyed=False) == row['hash']:
            return int(row['seq']) + 1
    return 1


def upgrade() -> None:
    _alter(sa.BigInteger(), sa.Integer())
    with op.batch_alter_table('log_head', schema=None) as batch_op:
        batch_op.add_column(sa.Column('keyed_from', sa.Integer(), nullable=False, server_default='1'))
    op.execute(sa.text('UPDATE log_head SET keyed_from = :first').bindparams(first=_first_keyed()))


def downgrade() -> None:
    with op.batch_alter_table('log_head', schema=None) as batch_op:
        batch_op.drop_column('keyed_from')
    _alter(sa.Integer(), sa.BigInteger())
