"""Suspension: why a moderator suspended an account, if one did.

Revision ID: e1f3a5c7b9d2
Revises: f0b2d4e6a8c3
Create Date: 2026-12-08 01:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e1f3a5c7b9d2"
down_revision = "f0b2d4e6a8c3"
branch_labels = None
depends_on = None


def upgrade():
    """Add the column, empty: no account is suspended."""
    op.add_column("account", sa.Column("suspended", sa.String()))


def downgrade():
    """Drop it: suspended accounts may log in again."""
    op.drop_column("account", "suspended")
