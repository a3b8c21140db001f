"""How Alembic reaches minitwit's database (run by ``flask db ...``).

Flask-Migrate's template, for Flask-SQLAlchemy 3: the engine and the
models' metadata come from the app, so the migrations always run against
the database the app is configured for (SQLite or PostgreSQL).
"""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config

# Log what Alembic does (alembic.ini), unless the program already set up
# logging (the tests do): then keep its set-up and its loggers.
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

migrate = current_app.extensions["migrate"]
engine = migrate.db.engine
config.set_main_option(
    "sqlalchemy.url",
    engine.url.render_as_string(hide_password=False).replace("%", "%%"),
)
target_metadata = migrate.db.metadata


def run_migrations_offline():
    """Write the SQL of the migrations instead of running it (``--sql``)."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run the migrations on the app's database."""

    def process_revision_directives(context, revision, directives):
        """Write no empty migration when the models did not change."""
        if directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    configure_args = dict(migrate.configure_args)
    configure_args.setdefault(
        "process_revision_directives", process_revision_directives
    )
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            **configure_args,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
