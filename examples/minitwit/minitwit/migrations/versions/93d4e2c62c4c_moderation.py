"""Moderation: roles, reports, the audit log, and hidden messages.

Revision ID: 93d4e2c62c4c
Revises: a9e3c5b7d1f2
Create Date: 2026-12-07 22:43:37.811459
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "93d4e2c62c4c"
down_revision = "a9e3c5b7d1f2"
branch_labels = None
depends_on = None


def upgrade():
    """Add the three tables; every message is shown, in the new indexes."""
    op.create_table(
        "role",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.CheckConstraint(
            "name IN ('admin', 'moderator')", name=op.f("ck_role_known")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["account.id"],
            name=op.f("fk_role_user_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "name", name=op.f("pk_role")),
    )
    op.create_table(
        "report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["message.id"],
            name=op.f("fk_report_message_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["account.id"],
            name=op.f("fk_report_reporter_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report")),
    )
    op.create_index(
        "ix_report_message",
        "report",
        ["message_id", "reporter_id"],
        unique=True,
    )
    op.create_index("ix_report_reporter_id", "report", ["reporter_id"])
    op.create_index("ix_report_resolved_id", "report", ["resolved", "id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.add_column("account", sa.Column("suspended", sa.String()))
    op.add_column("message", sa.Column("hidden", sa.String()))
    op.drop_index("ix_message_author_id_pub_date", table_name="message")
    op.create_index(
        "ix_message_author_id_pub_date",
        "message",
        ["author_id", "hidden", "pub_date", "id"],
    )
    # The public timeline's index holds the shown messages only.
    op.drop_index("ix_message_pub_date", table_name="message")
    op.create_index(
        "ix_message_pub_date",
        "message",
        ["pub_date", "id"],
        sqlite_where=sa.text("hidden IS NULL"),
        postgresql_where=sa.text("hidden IS NULL"),
    )


def downgrade():
    """Drop them again: roles, reports and the log are lost, hidden messages
    show again."""
    op.drop_index("ix_message_pub_date", table_name="message")
    op.create_index("ix_message_pub_date", "message", ["pub_date", "id"])
    op.drop_index("ix_message_author_id_pub_date", table_name="message")
    op.create_index(
        "ix_message_author_id_pub_date",
        "message",
        ["author_id", "pub_date", "id"],
    )
    op.drop_column("message", "hidden")
    op.drop_column("account", "suspended")
    op.drop_table("audit_log")
    op.drop_table("report")
    op.drop_table("role")
