"""The audit log: who did what to which account or message, when, why.

Revision ID: f0b2d4e6a8c3
Revises: d2a4c6e8f0b1
Create Date: 2026-12-08 01:50:00.000000
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f0b2d4e6a8c3"
down_revision = "d2a4c6e8f0b1"
branch_labels = None
depends_on = None


def upgrade():
    """Add the table, empty."""
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


def downgrade():
    """Drop it: the log is lost."""
    op.drop_table("audit_log")
