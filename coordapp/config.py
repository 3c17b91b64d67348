"""Configuration: embedded defaults for a laptop, overridden by environment variables."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

RUN_URL_FILE = "base_url"  # in the instance folder: the URL `make run` serves (tools/run.py writes and removes it)


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(instance: Path) -> str:
    """Return SECRET_KEY, or a key generated once and kept in the instance folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    if os.environ.get("APP_ENV") == "production":
        raise RuntimeError("SECRET_KEY must be set in production (APP_ENV=production).")
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _database_url(instance: Path) -> str:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{instance / 'coordapp.db'}")
    # Heroku-style URLs name the old driver; psycopg 3 is the one installed.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _base_url(instance: Path) -> str:
    """Return the address links in emails point to: BASE_URL, else where this machine's `make run` serves.

    `make run` writes the URL it serves into instance/base_url, so a sweep run by hand in another
    shell (without PORT) still mails links to the port the web server really listens on.
    """
    if os.environ.get("BASE_URL"):
        return os.environ["BASE_URL"]
    if os.environ.get("PORT"):
        return "http://127.0.0.1:" + os.environ["PORT"]
    served = instance / RUN_URL_FILE
    if served.is_file() and (url := served.read_text().strip()).startswith(("http://", "https://")):
        return url
    return "http://127.0.0.1:5000"


def _celery_config(instance: Path, redis_url: str | None) -> dict:
    if redis_url:
        broker = {"broker_url": redis_url}
    else:
        folder = instance / "celery"
        for sub in ("out", "processed", "control"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        broker = {
            "broker_url": "filesystem://",
            "broker_transport_options": {
                "data_folder_in": str(folder / "out"),
                "data_folder_out": str(folder / "out"),
                "processed_folder": str(folder / "processed"),
                "control_folder": str(folder / "control"),
                "store_processed": False,
            },
        }
    return {
        **broker,
        "task_ignore_result": True,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "broker_connection_retry_on_startup": True,
        "timezone": "UTC",
        "beat_schedule_filename": str(instance / "celerybeat-schedule"),
    }


def _account_settings() -> dict:
    """Settings of accounts: sessions, links, two-factor sign-in, throttling, retention."""
    return {
        "SESSION_IDLE_MINUTES": int(os.environ.get("SESSION_IDLE_MINUTES", "30")),
        "SESSION_MAX_HOURS": int(os.environ.get("SESSION_MAX_HOURS", "12")),
        "INVITATION_HOURS": int(os.environ.get("INVITATION_HOURS", "72")),
        "PASSWORD_RESET_MINUTES": int(os.environ.get("PASSWORD_RESET_MINUTES", "60")),
        "PASSWORD_RESET_RATE_LIMIT": os.environ.get("PASSWORD_RESET_RATE_LIMIT", "5 per hour"),
        "REQUIRE_2FA_FOR": tuple(r.strip() for r in os.environ.get("REQUIRE_2FA_FOR", "admin").split(",") if r.strip()),
        "LOGIN_FREE_FAILURES": int(os.environ.get("LOGIN_FREE_FAILURES", "3")),  # per account and address
        "LOGIN_FREE_FAILURES_IP": int(os.environ.get("LOGIN_FREE_FAILURES_IP", "10")),  # per address, any account
        "LOGIN_NOTIFY_FAILURES": int(os.environ.get("LOGIN_NOTIFY_FAILURES", "5")),  # then the owner gets an email
        "SECURITY_LOG_RETENTION_DAYS": int(os.environ.get("SECURITY_LOG_RETENTION_DAYS", "365")),
        "CONTACT_RETENTION_DAYS": int(os.environ.get("CONTACT_RETENTION_DAYS", "0")),  # 0: keep inactive contacts
    }


def build_config(instance_path: str) -> dict:
    """Build the configuration mapping for an app whose instance folder is instance_path."""
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    redis_url = os.environ.get("REDIS_URL") or None
    production = os.environ.get("APP_ENV") == "production"
    mail_server = os.environ.get("MAIL_SERVER")
    return {
        "APP_ENV": "production" if production else "development",
        "SECRET_KEY": _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": redis_url,
        "CELERY": _celery_config(instance, redis_url),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT_IP": os.environ.get("LOGIN_RATE_LIMIT_IP", "20 per minute"),
        "LOGIN_RATE_LIMIT_ACCOUNT": os.environ.get("LOGIN_RATE_LIMIT_ACCOUNT", "10 per 15 minutes"),
        "BABEL_DEFAULT_LOCALE": "id",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Jakarta",
        "LANGUAGES": {"id": "Bahasa Indonesia", "en": "English"},
        "BASE_URL": _base_url(instance),
        "MAIL_BACKEND": "smtp" if mail_server else "coordapp.core.mailfiles",  # one .eml file per message
        "MAIL_FILE_PATH": str(instance / "mail"),
        "MAIL_SERVER": mail_server or "localhost",
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _env_bool("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _env_bool("MAIL_USE_SSL"),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_TIMEOUT": 30,
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "CoordApp <noreply@coordapp.local>"),
        "MAIL_REPLY_TO": os.environ.get("MAIL_REPLY_TO"),
        "MAIL_REPLY_DOMAIN": os.environ.get("MAIL_REPLY_DOMAIN"),  # reply+TOKEN@ this domain comes back by mail-in
        "MAILIN_MAX_BYTES": int(os.environ.get("MAILIN_MAX_BYTES", str(10 * 1024 * 1024))),
        "MAILIN_SENDER_PER_HOUR": int(os.environ.get("MAILIN_SENDER_PER_HOUR", "30")),
        "MAILIN_IMAP_URL": os.environ.get("MAILIN_IMAP_URL") or None,  # imap(s)://user:pass@host/INBOX, fetched by beat
        "MAILIN_IMAP_INTERVAL": int(os.environ.get("MAILIN_IMAP_INTERVAL", "60")),  # seconds between fetches
        "REPLY_TOKEN_DAYS": int(os.environ.get("REPLY_TOKEN_DAYS", "14")),
        "UNSUBSCRIBE_TOKEN_DAYS": int(os.environ.get("UNSUBSCRIBE_TOKEN_DAYS", "180")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production or _env_bool("SECURE_COOKIES"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production or _env_bool("SECURE_COOKIES"),
        # Remember-me keeps the idle rule: its cookie lasts the idle timeout and each request renews it.
        "REMEMBER_COOKIE_DURATION": timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "30"))),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        **_account_settings(),
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
        "PAGE_SIZE": 25,
        # The public portal's page cache (invalidated on publication): shared Redis, or this process's memory.
        "CACHE_TYPE": "RedisCache" if redis_url else "SimpleCache",
        "CACHE_REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": "coordapp-public:",
        "CACHE_DEFAULT_TIMEOUT": 300,
        # Reverse proxies in front of the app (TLS terminators): trust that many X-Forwarded-* hops.
        "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", "0")),
        # Operations: /metrics needs this bearer token (without one, only loopback callers may read it).
        "METRICS_TOKEN": os.environ.get("METRICS_TOKEN") or None,
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "text"),  # "json": one JSON object per request line
        "BACKUP_DIR": os.environ.get("BACKUP_DIR") or None,  # default <instance>/backups
        "BACKUP_KEEP": int(os.environ.get("BACKUP_KEEP", "14")),
    }


def testing_overrides(instance_path: str) -> dict:
    """Settings the test suite layers on top of build_config."""
    return {
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "MAIL_BACKEND": "locmem",
        "RATELIMIT_ENABLED": True,
        "SERVER_NAME": None,
        # Other features' tests sign admins in with a password only; the two-factor tests turn it on.
        "REQUIRE_2FA_FOR": (),
        "CACHE_TYPE": "SimpleCache",  # each test app its own cache: tests never share cached pages
    }
