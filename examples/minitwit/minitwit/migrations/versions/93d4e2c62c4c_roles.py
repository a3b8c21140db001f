"""Roles: which accounts may moderate, and administer.

Revision ID: 93d4e2c62c4c
Revises: a9e3c5b7d1f2
Create Date: 2026-12-08 01:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "93d4e2c62c4c"
down_revision = "a9e3c5b7d1f2"
branch_labels = None
depends_on = None


def upgrade():
    """Add the table: nobody has a role yet."""
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


def downgrade():
    """Drop it: every role is lost."""
    op.drop_table("role")
