"""API tokens: the digest of each bearer token, its owner, its expiry.

Revision ID: a9e3c5b7d1f2
Revises: 5d7a2c9e41b3
Create Date: 2026-12-08 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a9e3c5b7d1f2"
down_revision = "5d7a2c9e41b3"
branch_labels = None
depends_on = None


def upgrade():
    """Create the token table, empty: programs ask for tokens."""
    op.create_table(
        "token",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("session_token", sa.String(length=64), nullable=False),
        sa.Column("expires", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["account.id"],
            name=op.f("fk_token_user_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_token")),
    )
    op.create_index(op.f("ix_token_user_id"), "token", ["user_id"])


def downgrade():
    """Drop it: every token ends."""
    op.drop_index(op.f("ix_token_user_id"), table_name="token")
    op.drop_table("token")
