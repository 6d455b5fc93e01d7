"""Unbound extension singletons, bound to an app in `init_app` (never at import time)."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from .database import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
api = Api()


def init_app(app):
    db.init_app(app)
    # SQLite cannot ALTER most things in place; batch mode makes Alembic copy-and-move tables.
    migrate.init_app(app, db, directory=str(_migrations_dir()), render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    api.init_app(app)


def _migrations_dir():
    from . import PROJECT_DIR

    return PROJECT_DIR / "migrations"
