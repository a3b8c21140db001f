"""Profiles and avatars: a display name, "about me", an uploaded picture.

Three empty columns: an account shows its username and the drawn picture
until its owner fills them (``/settings/profile``, ``/settings/avatar``).
``avatar_name`` is the file's name in ``AVATAR_FOLDER``, not the file.

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
    """Add the three columns, empty."""
    # Plain ALTER TABLE, no batch: SQLite adds and drops a column in
    # place, keeping the account's indexes on lower(username).
    op.add_column("account", sa.Column("display_name", sa.String()))
    op.add_column("account", sa.Column("about", sa.String()))
    op.add_column("account", sa.Column("avatar_name", sa.String()))


def downgrade():
    """Drop them (the picture files stay in AVATAR_FOLDER)."""
    for name in ("avatar_name", "about", "display_name"):
        op.drop_column("account", name)
