"""Hidden messages: why one is hidden, if it is; timelines skip them.

Revision ID: d2a4c6e8f0b1
Revises: c4e8b2a6d0f1
Create Date: 2026-12-08 01:50:00.000000
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d2a4c6e8f0b1"
down_revision = "c4e8b2a6d0f1"
branch_labels = None
depends_on = None


def upgrade():
    """Add the column, empty: every message is shown; index the shown ones."""
    op.add_column("message", sa.Column("hidden", sa.String()))
    op.drop_index("ix_message_author_id_pub_date", table_name="message")
    op.create_index(
        "ix_message_author_id_pub_date",
        "message",
        ["author_id", "pub_date", "id", "hidden"],
        sqlite_where=sa.text("hidden IS NULL"),
        postgresql_where=sa.text("hidden IS NULL"),
    )
    op.create_index("ix_message_author_id", "message", ["author_id"])
    op.drop_index("ix_message_pub_date", table_name="message")
    op.create_index(
        "ix_message_pub_date",
        "message",
        ["pub_date", "id"],
        sqlite_where=sa.text("hidden IS NULL"),
        postgresql_where=sa.text("hidden IS NULL"),
    )


def downgrade():
    """Drop it: the hidden messages show again."""
    op.drop_index("ix_message_pub_date", table_name="message")
    op.create_index("ix_message_pub_date", "message", ["pub_date", "id"])
    op.drop_index("ix_message_author_id", table_name="message")
    op.drop_index("ix_message_author_id_pub_date", table_name="message")
    op.create_index(
        "ix_message_author_id_pub_date",
        "message",
        ["author_id", "pub_date", "id"],
    )
    op.drop_column("message", "hidden")
