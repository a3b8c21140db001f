"""Reports: which messages people reported to the moderators, and why.

Revision ID: c4e8b2a6d0f1
Revises: 93d4e2c62c4c
Create Date: 2026-12-08 01:50:00.000000
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c4e8b2a6d0f1"
down_revision = "93d4e2c62c4c"
branch_labels = None
depends_on = None


def upgrade():
    """Add the table and its indexes."""
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


def downgrade():
    """Drop it: every report is lost."""
    op.drop_table("report")
