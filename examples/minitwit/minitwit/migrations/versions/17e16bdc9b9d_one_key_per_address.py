"""One key per address: ``email_key``, which every lookup compares.

SQLite's ``lower()`` changes the ASCII letters only, PostgreSQL's follows
the database's collation. So the unique index on ``lower(email)`` let
``ÉLODIE@example.com`` and ``élodie@example.com`` be two accounts on
SQLite. ``email_key`` is the address as Python compares it (Unicode's
NFKC form, case-folded): the same key on every engine.

Written by ``flask --app minitwit db migrate`` (against PostgreSQL), then
read and completed by hand: the new column is filled from the addresses
before it is indexed. It keeps the default "" it needed to be added (minitwit
always writes the key: ``keep_email_key`` in ``models.py``).

Revision ID: 17e16bdc9b9d
Revises: b3c1d2e4f5a6
Create Date: 2026-12-07 16:13:45.511572
"""

import unicodedata
from collections import defaultdict

import sqlalchemy as sa
from alembic import context, op

# revision identifiers, used by Alembic.
revision = "17e16bdc9b9d"
down_revision = "b3c1d2e4f5a6"
branch_labels = None
depends_on = None

account = sa.table(
    "account", sa.column("id"), sa.column("email"), sa.column("email_key")
)


def email_key(address: str) -> str:
    """``minitwit.models.email_key`` as it was when this was written (a
    copy: a later change there must not change what this migration did)."""
    return unicodedata.normalize("NFKC", address.strip()).casefold()


def email_keys() -> dict[int, str]:
    """Every account's key, by id; stop, changing nothing, if two share
    one (``flask db upgrade --sql`` reads no rows: none then)."""
    if context.is_offline_mode():
        return {}
    rows = op.get_bind().execute(sa.select(account.c.id, account.c.email))
    keys, owners = {}, defaultdict(list)
    for id_, email in rows.all():
        keys[id_] = email_key(email)
        owners[keys[id_]].append(email)
    shared = [emails for emails in owners.values() if len(emails) > 1]
    if shared:
        raise RuntimeError(
            "These accounts share an address once case is ignored; merge or "
            f"delete all but one of each, then upgrade again: {shared}"
        )
    return keys


def upgrade():
    """Add ``email_key``, fill it, then index it in place of lower(email)."""
    keys = email_keys()
    op.drop_index("ix_account_email_lower", table_name="account")
    # SQLite adds a NOT NULL column only with a default: "" until filled.
    key = sa.Column(
        "email_key", sa.String(), nullable=False, server_default=""
    )
    op.add_column("account", key)
    for id_, key in keys.items():
        keyed = account.update().where(account.c.id == id_)
        op.execute(keyed.values(email_key=key))
    op.create_index(
        "ix_account_email_key", "account", ["email_key"], unique=True
    )


def downgrade():
    """Go back to the index on lower(email); drop ``email_key``."""
    op.drop_index("ix_account_email_key", table_name="account")
    op.drop_column("account", "email_key")
    op.create_index(
        "ix_account_email_lower",
        "account",
        [sa.literal_column("lower(email)")],
        unique=True,
    )
