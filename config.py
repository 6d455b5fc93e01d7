"""Configuration classes, read from the environment.

`create_app()` picks one by name (`RELIEF_STOCK_CONFIG`: development, testing, production) or takes a
mapping of overrides. The database defaults to an SQLite file in the instance folder so that a depot
laptop needs no set-up; `DATABASE_URL` points the app at PostgreSQL for a multi-server install.
"""

import os
import secrets
from pathlib import Path


def _instance_secret(instance_path: str) -> str:
    """The secret key: from the environment, else generated once into the instance folder.

    Generated rather than hard-coded so that no two installs share a key, and kept on disk so that
    sessions survive a restart.
    """
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _database_url(instance_path: str) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{Path(instance_path) / 'relief_stock.sqlite3'}"
    # psycopg 3 is the only PostgreSQL driver we ship; accept the common short spellings.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    LANGUAGES = ("zh", "en")
    BABEL_DEFAULT_LOCALE = "zh"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("TIMEZONE", "Asia/Shanghai")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    WTF_CSRF_TIME_LIMIT = None  # a keeper's form may stay open for a whole shift
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024  # catalogue and norm imports; nothing larger is legitimate
    # Printed QR codes carry this base so that any phone camera opens the batch page.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    API_TITLE = "relief-stock"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    # Daily alert run, local time "HH:MM" (the scheduler process reads it).
    ALERTS_DAILY_AT = os.environ.get("ALERTS_DAILY_AT", "06:30")
    # Days the scan log and stored form/API answers are kept; the daily job purges older rows.
    SCAN_EVENTS_KEEP_DAYS = int(os.environ.get("SCAN_EVENTS_KEEP_DAYS", "365"))
    IDEMPOTENCY_KEYS_KEEP_DAYS = int(os.environ.get("IDEMPOTENCY_KEYS_KEEP_DAYS", "7"))

    def __init__(self, instance_path: str):
        self.SECRET_KEY = self.secret_key(instance_path)
        self.SQLALCHEMY_DATABASE_URI = _database_url(instance_path)

    def secret_key(self, instance_path: str) -> str:
        return _instance_secret(instance_path)


class DevelopmentConfig(Config):
    DEBUG = False


class TestingConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = False  # tests that prove CSRF switch it back on
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast and weak: tests create hundreds of users

    def secret_key(self, instance_path: str) -> str:
        return "testing"  # never read or write instance/secret_key from the test suite


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") == "1"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
