"""Profiles: a display name and "about me", empty until their owner fills
them at ``/settings/profile``.

Revision ID: 980490156cb7
Revises: 17e16bdc9b9d
Create Date: 2026-12-07 20:05:00.000000
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "980490156cb7"
down_revision = "17e16bdc9b9d"
branch_labels = None
depends_on = None


def upgrade():
    """Add the two columns, empty."""
    # Plain ALTER TABLE, no batch: SQLite adds and drops a column in
    # place, keeping the account's indexes on lower(username).
    op.add_column("account", sa.Column("display_name", sa.String()))
    op.add_column("account", sa.Column("about", sa.String()))


def downgrade():
    """Drop them."""
    op.drop_column("account", "about")
    op.drop_column("account", "display_name")
