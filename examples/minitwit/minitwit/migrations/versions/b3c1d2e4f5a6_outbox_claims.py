"""Outbox claims: the time until which a sender holds a mail.

Revision ID: b3c1d2e4f5a6
Revises: 6f06ee3a1a37
Create Date: 2026-12-07 16:48:02.114530
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b3c1d2e4f5a6"
down_revision = "6f06ee3a1a37"
branch_labels = None
depends_on = None


def upgrade():
    """Add the claim column (empty: no mail is being sent)."""
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(
            sa.Column(
                "claimed_until", sa.DateTime(timezone=True), nullable=True
            )
        )


def downgrade():
    """Drop the claim column."""
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_column("claimed_until")
