"""budget history: 본예산 and each 추경 (budget_amount.revision, budget_revision)

Revision ID: 0006
Revises: 0007
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0006"
down_revision = "0007"
branch_labels = None
depends_on = None

# SQLite keeps the unnamed unique constraint of 0001 without a name: batch mode names it by this
# convention so it can be dropped; PostgreSQL named it itself (<table>_<columns>_key).
SQLITE_NAMES = {"uq": "uq_%(table_name)s_%(column_0_N_name)s"}
OLD_KEY = ["org_id", "line_code", "fiscal_year"]
NEW_KEY = [*OLD_KEY, "revision"]


def _old_name() -> str:
    if op.get_bind().dialect.name == "sqlite":
        return "uq_budget_amount_org_id_line_code_fiscal_year"
    return "budget_amount_org_id_line_code_fiscal_year_key"


def upgrade() -> None:
    op.create_table(
        "budget_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisation.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("org_id", "fiscal_year", "revision"),
    )
    with op.batch_alter_table("budget_revision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_budget_revision_org_id"), ["org_id"], unique=False)
    # every stored amount is the 본예산 of its year (revision 0)
    with op.batch_alter_table("budget_amount", schema=None, naming_convention=SQLITE_NAMES) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))
        batch_op.drop_constraint(_old_name(), type_="unique")
        batch_op.create_unique_constraint("budget_amount_org_id_line_code_fiscal_year_revision_key", NEW_KEY)
    with op.batch_alter_table("budget_amount", schema=None) as batch_op:
        batch_op.alter_column("revision", server_default=None)


def downgrade() -> None:
    op.execute("DELETE FROM budget_amount WHERE revision <> 0")
    with op.batch_alter_table("budget_amount", schema=None, naming_convention=SQLITE_NAMES) as batch_op:
        batch_op.drop_constraint("budget_amount_org_id_line_code_fiscal_year_revision_key", type_="unique")
        batch_op.create_unique_constraint(_old_name(), OLD_KEY)
        batch_op.drop_column("revision")
    with op.batch_alter_table("budget_revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_revision_org_id"))
    op.drop_table("budget_revision")
