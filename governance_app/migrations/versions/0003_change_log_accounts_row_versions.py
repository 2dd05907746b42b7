"""change log, accounts, row versions

Revision ID: 0003
Revises: 0002
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# Every dataset table gets the optimistic-locking column (governance_app.record.OrgRecord.version).
VERSIONED = ('ars_menu', 'audit_evidence', 'audit_item', 'audit_progress_note', 'audit_session', 'audit_signoff', 'audit_status_change', 'audit_summary_reported', 'board_person', 'board_person_line', 'board_rule', 'board_seat', 'board_term', 'budget_amount', 'budget_change', 'budget_line', 'call_period', 'channel', 'channel_count', 'correction', 'daily_average', 'department', 'esg_activity', 'esg_figure', 'execution_line', 'execution_snapshot', 'healing_programme', 'history_event', 'phone_performance', 'report', 'reported_figure', 'staff_grade', 'staffing_snapshot', 'statement', 'timeline_task', 'work_area', 'work_budget_link', 'work_bullet', 'work_contact', 'work_item', 'work_plan')

GENESIS = '0' * 64

# The change log is append-only for everyone who goes through the database.
APPEND_ONLY = {
    'sqlite': [
        "CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log "
        "BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END",
        "CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log "
        "BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END",
    ],
    'postgresql': [
        "CREATE FUNCTION change_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'change_log is append-only'; END $$",
        "CREATE TRIGGER change_log_no_update BEFORE UPDATE OR DELETE ON change_log "
        "FOR EACH ROW EXECUTE FUNCTION change_log_append_only()",
        "CREATE TRIGGER change_log_no_truncate BEFORE TRUNCATE ON change_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION change_log_append_only()",
    ],
}
DROP_APPEND_ONLY = {
    'sqlite': ["DROP TRIGGER change_log_no_update", "DROP TRIGGER change_log_no_delete"],
    'postgresql': ["DROP FUNCTION change_log_append_only() CASCADE"],
}


def upgrade() -> None:
    op.create_table('change_log',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('table_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('record_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('changes', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('prev_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('seq')
    )
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_log_record_key'), ['record_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_change_log_table_name'), ['table_name'], unique=False)

    log_head = op.create_table('log_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.bulk_insert(log_head, [{'id': 1, 'seq': 0, 'hash': GENESIS}])
    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('display_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('demo', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('password_changed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
        # the model supplies the value; the default only filled the existing rows
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('version', server_default=None)
    for statement in APPEND_ONLY[op.get_bind().dialect.name]:
        op.execute(statement)


def downgrade() -> None:
    for statement in DROP_APPEND_ONLY[op.get_bind().dialect.name]:
        op.execute(statement)
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
    op.drop_table('user_account')
    op.drop_table('log_head')
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_log_table_name'))
        batch_op.drop_index(batch_op.f('ix_change_log_record_key'))
    op.drop_table('change_log')
