"""report rounds: round state and the documents stored when a round is submitted; statements per
year (key fiscal_year + code); ESG figures may be empty (a new round's copy)

Revision ID: 0005
Revises: 0004
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# 0001 left the unique constraints unnamed; name them as reflected so batch mode can drop one.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_N_name)s"}


def upgrade() -> None:
    op.create_table('round_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('report_code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('changed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('changed_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['organisation.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('org_id', 'report_code')
    )
    with op.batch_alter_table('round_state', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_state_org_id'), ['org_id'], unique=False)
    op.create_table('round_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('report_code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('format', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisation.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('org_id', 'report_code', 'kind', 'format')
    )
    with op.batch_alter_table('round_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_document_org_id'), ['org_id'], unique=False)

    # A new round copies its statements to the new year under the same codes.
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        name = bind.execute(sa.text(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'statement'::regclass AND contype = 'u'"
        )).scalar_one()
        op.drop_constraint(name, 'statement', type_='unique')
        op.create_unique_constraint('uq_statement_org_id_fiscal_year_code', 'statement', ['org_id', 'fiscal_year', 'code'])
    else:
        with op.batch_alter_table('statement', naming_convention=NAMING) as batch_op:
            batch_op.drop_constraint('uq_statement_org_id_code', type_='unique')
            batch_op.create_unique_constraint('uq_statement_org_id_fiscal_year_code', ['org_id', 'fiscal_year', 'code'])
    with op.batch_alter_table('esg_figure', schema=None) as batch_op:
        batch_op.alter_column('value', existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table('esg_figure', schema=None) as batch_op:
        batch_op.alter_column('value', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('statement', schema=None) as batch_op:
        batch_op.drop_constraint('uq_statement_org_id_fiscal_year_code', type_='unique')
        batch_op.create_unique_constraint('uq_statement_org_id_code', ['org_id', 'code'])
    op.drop_table('round_document')
    op.drop_table('round_state')
