"""Avatars: the name of the picture its owner uploaded, in AVATAR_FOLDER.

Revision ID: 5d7a2c9e41b3
Revises: 980490156cb7
Create Date: 2026-12-07 22:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5d7a2c9e41b3"
down_revision = "980490156cb7"
branch_labels = None
depends_on = None


def upgrade():
    """Add the column, empty: everyone keeps the drawn picture."""
    op.add_column("account", sa.Column("avatar_name", sa.String()))


def downgrade():
    """Drop it (the picture files stay in AVATAR_FOLDER)."""
    op.drop_column("account", "avatar_name")
