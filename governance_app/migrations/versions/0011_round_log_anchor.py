"""The change log's head recorded when a round is submitted (round_state.log_seq, log_mac)

Revision ID: 0011
Revises: 0010

verify-log checks every submitted round's head as an anchor, like a backup's manifest and the
local anchor file: an entry at or before it that was rewritten, or a log cut back behind it, is
named. Rounds submitted before this revision have none (NULL).
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("round_state") as batch:
        batch.add_column(sa.Column("log_seq", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("log_mac", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("round_state") as batch:
        batch.drop_column("log_mac")
        batch.drop_column("log_seq")
