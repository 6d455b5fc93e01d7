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
    # hide_parameters: a failed statement is logged without its values (password hashes, tokens).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    WTF_CSRF_TIME_LIMIT = None  # a keeper's form may stay open for a whole shift
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024  # catalogue and norm imports; nothing larger is legitimate
    # Printed QR codes carry this base so that any phone camera opens the batch page.
    # Unset, it follows PORT (as scripts/run serves), so links and QR payloads never mix ports.
    PUBLIC_BASE_URL = (
        os.environ.get("PUBLIC_BASE_URL") or f"http://127.0.0.1:{os.environ.get('PORT', '5000')}"
    )
    # Field app: issue, move, count and pick prepared offline on older depot data are refused.
    FIELD_MAX_DATA_AGE_HOURS = int(os.environ.get("FIELD_MAX_DATA_AGE_HOURS", "24"))
    # Stocktake: differences of more than this many units need a second person's approval.
    STOCKTAKE_APPROVAL_UNITS = int(os.environ.get("STOCKTAKE_APPROVAL_UNITS", "10"))
    API_TITLE = "relief-stock"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    # Throttling of sign-in, bearer tokens and the public trace (auth/throttle.py for the limits).
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Daily alert run, local time "HH:MM" (the scheduler process reads it).
    ALERTS_DAILY_AT = os.environ.get("ALERTS_DAILY_AT", "06:30")
    # The movement ledger is sealed this often, and a signed checkpoint published daily at this time.
    LEDGER_SEAL_EVERY_SECONDS = int(os.environ.get("LEDGER_SEAL_EVERY_SECONDS", "60"))
    LEDGER_CHECKPOINT_DAILY_AT = os.environ.get("LEDGER_CHECKPOINT_DAILY_AT", "00:05")
    # Ed25519 key (PEM text) that signs seals; else a key file generated once in the instance folder.
    LEDGER_SIGNING_KEY = os.environ.get("LEDGER_SIGNING_KEY")
    LEDGER_SIGNING_KEY_FILE = os.environ.get("LEDGER_SIGNING_KEY_FILE")
    LEDGER_PUBLIC_KEY_FILE = os.environ.get("LEDGER_PUBLIC_KEY_FILE")
    # Days the scan log and stored form/API answers are kept; the daily job purges older rows.
    SCAN_EVENTS_KEEP_DAYS = int(os.environ.get("SCAN_EVENTS_KEEP_DAYS", "365"))
    IDEMPOTENCY_KEYS_KEEP_DAYS = int(os.environ.get("IDEMPOTENCY_KEYS_KEEP_DAYS", "7"))
    # Seconds a worker trusts a bearer token it has looked up (auth/token_cache.py): a token revoked
    # or a user deactivated through another worker or server stops working within this. 0: no cache.
    TOKEN_CACHE_SECONDS = float(os.environ.get("TOKEN_CACHE_SECONDS", "30"))
    # Scan log rows are written in batches this often (scanning/log.py); 0 writes each one at once.
    SCAN_LOG_FLUSH_SECONDS = float(os.environ.get("SCAN_LOG_FLUSH_SECONDS", "2"))

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
    RATELIMIT_ENABLED = False  # hundreds of sign-ins from one address; tests of throttling switch it on
    # Tests read the scan log right after a scan; the batched writer has tests of its own.
    SCAN_LOG_FLUSH_SECONDS = float(os.environ.get("SCAN_LOG_FLUSH_SECONDS", "0"))

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
