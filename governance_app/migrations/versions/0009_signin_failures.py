"""Sign-in throttling: wrong passwords in a row per sign-in name (table signin_failure)

Revision ID: 0009
Revises: 0008

One row per sign-in name with failures since its last success (an account's name or not: unknown
names are counted alike, so the answer never tells which names exist), the last failure's time
and the end of the current wait (governance_app.throttle). The same on SQLite and PostgreSQL.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('signin_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('locked_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )


def downgrade() -> None:
    op.drop_table('signin_failure')
