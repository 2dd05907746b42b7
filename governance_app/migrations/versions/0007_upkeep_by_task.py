"""upkeep by task: board term rules (term length, 연임, serving until a successor) and how a term ended

Revision ID: 0007
Revises: 0004
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Empty in an upgraded database: the rules are the 정관's, loaded with the dataset
    # (data/board_term_rule.csv); appointing is refused until they are there.
    op.create_table(
        "board_term_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("term_months", sa.Integer(), nullable=True),
        sa.Column("reappoint_months", sa.Integer(), nullable=True),
        sa.Column("serves_until_successor", sa.Boolean(), nullable=False),
        sa.Column("legal_basis", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisation.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("org_id", "title"),
    )
    with op.batch_alter_table("board_term_rule", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_board_term_rule_org_id"), ["org_id"], unique=False)
    # every existing term: a first appointment that ran (or runs) its course
    with op.batch_alter_table("board_term", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reappointment", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("end_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    with op.batch_alter_table("board_term", schema=None) as batch_op:
        batch_op.alter_column("reappointment", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("board_term", schema=None) as batch_op:
        batch_op.drop_column("end_reason")
        batch_op.drop_column("reappointment")
    with op.batch_alter_table("board_term_rule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_board_term_rule_org_id"))
    op.drop_table("board_term_rule")
