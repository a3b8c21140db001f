"""The outbox: mails kept until the mail server has taken them.

Revision ID: 6f06ee3a1a37
Revises: f46fd174b88c
Create Date: 2026-12-07 16:09:48.772034
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "6f06ee3a1a37"
down_revision = "f46fd174b88c"
branch_labels = None
depends_on = None


def upgrade():
    """Create the outbox table."""
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )


def downgrade():
    """Drop it (the mails not yet sent are lost)."""
    op.drop_table("outbox")
