"""Accounts, follows and messages: minitwit's first schema.

Written by ``flask --app minitwit db migrate`` from ``models.py`` (against
PostgreSQL, which can read back the indexes on ``lower(...)``), then read.

Revision ID: f46fd174b88c
Revises:
Create Date: 2026-11-29 18:08:21.952994
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f46fd174b88c"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    """Create the three tables and their indexes."""
    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=30), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("pw_hash", sa.String(length=255), nullable=False),
        sa.Column("session_token", sa.String(length=64), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
        sa.UniqueConstraint(
            "session_token", name=op.f("uq_account_session_token")
        ),
    )
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.create_index(
            "ix_account_email_lower",
            [sa.literal_column("lower(email)")],
            unique=True,
        )
        batch_op.create_index(
            "ix_account_username_lower",
            [sa.literal_column("lower(username)")],
            unique=True,
        )

    op.create_table(
        "follower",
        sa.Column("who_id", sa.Integer(), nullable=False),
        sa.Column("whom_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "who_id <> whom_id", name=op.f("ck_follower_not_self")
        ),
        sa.ForeignKeyConstraint(
            ["who_id"],
            ["account.id"],
            name=op.f("fk_follower_who_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["whom_id"],
            ["account.id"],
            name=op.f("fk_follower_whom_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("who_id", "whom_id", name=op.f("pk_follower")),
    )
    with op.batch_alter_table("follower", schema=None) as batch_op:
        batch_op.create_index(
            "ix_follower_whom_id_who_id", ["whom_id", "who_id"], unique=False
        )

    op.create_table(
        "message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=280), nullable=False),
        sa.Column("pub_date", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "length(text) BETWEEN 1 AND 280", name=op.f("ck_message_length")
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["account.id"],
            name=op.f("fk_message_author_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message")),
    )
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.create_index(
            "ix_message_author_id_pub_date",
            ["author_id", "pub_date", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_message_pub_date", ["pub_date", "id"], unique=False
        )


def downgrade():
    """Drop them again (every row is lost)."""
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_index("ix_message_pub_date")
        batch_op.drop_index("ix_message_author_id_pub_date")

    op.drop_table("message")
    with op.batch_alter_table("follower", schema=None) as batch_op:
        batch_op.drop_index("ix_follower_whom_id_who_id")

    op.drop_table("follower")
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_index("ix_account_username_lower")
        batch_op.drop_index("ix_account_email_lower")

    op.drop_table("account")
