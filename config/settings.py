"""Compact Tracker settings: one module, driven by environment variables.

Every variable is listed in .env.example. Defaults are safe for development; production
sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envint(name: str, default: str, *, minimum: int = 1) -> int:
    value = os.environ.get(name, default).strip()
    if not value.isdigit() or int(value) < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number, {minimum} or more")
    return int(value)


DEBUG = envbool("DEBUG", "true")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-true"
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SYNTHETIC_DATA = envbool("SYNTHETIC_DATA", "false")
# Charts mark a city stale when its newest published assessment is older than this many
# years before the as-of month.
STALE_AFTER_YEARS = int(os.environ.get("STALE_AFTER_YEARS", "3"))
if STALE_AFTER_YEARS < 1:
    raise ImproperlyConfigured("STALE_AFTER_YEARS must be a whole number of years, 1 or more")
# A source quote counts as evidence from this many words (or as a named table cell).
EVIDENCE_MIN_WORDS = envint("EVIDENCE_MIN_WORDS", "8")
# Below this many cases an agreement figure (calibration, agreement over time) reads
# "not enough cases" instead of an alpha.
CALIBRATION_MIN_CASES = envint("CALIBRATION_MIN_CASES", "5", minimum=2)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_filters",
    "axes",
    "config",
    "simple_history",
    "pgtrigger",
    "django_tasks",
    "django_tasks_db",
    # The project's rooms, ground floor first (the import rules are in pyproject.toml).
    "caching",
    "sources",
    "accounts",
    "cities",
    "compacts",
    "charts",
    "workspace",
    "dashboard",
    "alerts",
    "releases",
    "seed",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost but security: every response, cached or not, carries the policy.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # NUL bytes and non-UTF-8 in the query or a form: 400, before any cache or view.
    "config.middleware.BadInputMiddleware",
    # Before sessions and auth: a cached anonymous page costs one read of the data version.
    "caching.middleware.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After auth and messages: signed-in visitors get a page's shared part from the cache,
    # their own parts (header, messages, watch button) filled in per request.
    "caching.shared.SharedPageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
            ],
        },
    },
]

# PostgreSQL everywhere. DATABASE_URL picks a server; without it an embedded server in
# var/pgdata is started (or reused) on first connection, and restarted if it died, unless
# `manage.py db stop` stopped it on purpose.
EMBEDDED_PG_DATA_DIR = Path(os.environ.get("EMBEDDED_PG_DATA_DIR", BASE_DIR / "var" / "pgdata"))
EMBEDDED_PG = not os.environ.get("DATABASE_URL")
# Both servers keep a connection open for CONN_MAX_AGE seconds (0: one per request) rather
# than opening one per request. The health check at the start of each request replaces a
# connection the server dropped (a restart) instead of failing that request. Not in
# development: runserver answers each request in a new thread, whose kept connection nobody
# reuses or closes, and a few hundred requests ran the server out of connections.
_conn_max_age = int(os.environ.get("CONN_MAX_AGE", "0" if DEBUG else "60"))
if not EMBEDDED_PG:
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=_conn_max_age, conn_health_checks=True
        )
    }
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL")
else:
    _embedded_name = os.environ.get("EMBEDDED_PG_DATABASE", "compact_tracker")
    DATABASES = {
        "default": {
            "ENGINE": "config.embedded_postgres",
            "NAME": _embedded_name,
            "USER": "postgres",
            "CONN_MAX_AGE": _conn_max_age,
            "CONN_HEALTH_CHECKS": True,
            "EMBEDDED": {"DATA_DIR": str(EMBEDDED_PG_DATA_DIR), "DATABASE": _embedded_name},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches keyed on the public data's version (caching/), so an entry is never older than
# the data. One machine: the file cache in var/cache, shared by every process with no
# extra server (measured faster than the database cache for a hit: docs/caching.md).
# Several machines: REDIS_URL, Django's Redis backend.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }
# Whole anonymous pages from the cache: on in production, off in development (DEBUG) so a
# template being edited shows at once; PAGE_CACHE=true turns it on anyway.
PAGE_CACHE = envbool("PAGE_CACHE", "false" if DEBUG else "true")
PAGE_CACHE_ALIAS = "default"
# The per-user parts of cached pages (caching/holes.py), and what decides which shared part a
# signed-in visitor may see (caching/shared.py).
PAGE_HOLES = {
    "header": "accounts.holes.header",
    "messages": "accounts.holes.messages",
    "watch": "alerts.holes.watch_button",
}
PAGE_VARIANT = "accounts.holes.page_variant"
# Lists the holes read, loaded with the signed-in user in one query (caching.auth): name on
# the user -> (model, the field listed, the field naming the user).
PAGE_USER_LISTS = {"watched_city_ids": ("alerts.Watch", "city", "user")}
# Entries are keyed on the data version, so this only bounds how long unused ones stay.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "86400"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (django-axes), on the site's and the admin's sign-in alike: after
# LOGIN_FAILURE_LIMIT failed attempts for one username from one IP address, that pair is
# locked out for LOGIN_COOLOFF_MINUTES (counted again from each attempt while locked out).
# Lockouts are logged (logger "axes") and listed in the admin.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend's sign-in; a request's user, roles and data version in one query.
    "caching.auth.OneQueryUserBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Log lockouts with the username and IP address (axes masks them by default), so whoever
# reads the log can tell which account was attacked, and from where.
AXES_SENSITIVE_PARAMETERS: list[str] = []
AXES_LOCKOUT_CALLABLE = "accounts.throttling.lockout_response"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Database triggers (caching, releases, alerts; docs/architecture.md lists them) are declared
# with django-pgtrigger and installed after every `migrate`, not through migrations: the
# data-version trigger sits on every public table, and the auto-created many-to-many tables
# have no migration state of their own, so no migration could carry theirs; installing them
# all after `migrate` (and `flush`) also covers a public table added later with no step of
# its own, keeps the trigger that alerts puts on a compacts table out of compacts'
# migrations, and removes triggers no longer declared (pruning). config/triggers.py does
# what PGTRIGGER_INSTALL_ON_MIGRATE would, but skips tables a backward migrate removed.
PGTRIGGER_MIGRATIONS = False
PGTRIGGER_INSTALL_ON_MIGRATE = False

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Serve from the finders in development so a fresh clone needs no collectstatic.
WHITENOISE_USE_FINDERS = DEBUG

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Sessions read from the cache, written through to the database (docs/caching.md): a
# signed-in page served from the shared cache costs no session query, and a session
# outlives a cache that is cleared or full.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# HTTPS in production (docs/operations.md, Production): redirect plain HTTP and tell browsers
# to use HTTPS only. Each can be turned off, e.g. HSTS_SECONDS=0 while trying a new domain.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", str(not DEBUG))
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("HSTS_INCLUDE_SUBDOMAINS", "true")
SECURE_HSTS_PRELOAD = envbool("HSTS_PRELOAD", "true")
# Reverse proxies in front of the app (a TLS-terminating load balancer: 1). With one or
# more, the app believes their X-Forwarded-Proto (so a request that reached the proxy over
# HTTPS counts as secure) and takes the client's IP, for sign-in throttling, from
# X-Forwarded-For, as many hops from the right as there are proxies. Leave it at 0 when
# clients reach the app directly: they could then forge both headers.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more")
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_ip"

# Content-Security-Policy (django-csp), the same for every page and without nonces, so
# cached pages can be served as they are. Scripts come only from this site (plotly.js is
# vendored, figures are JSON data). plotly.js injects a <style> element, hence inline
# styles; PNG and SVG downloads are data: and blob: URLs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        # No site may frame a page, but the embeds (common/framing.py allows them).
        "frame-ancestors": [NONE],
    }
}

# Absolute links in emails (alerts, password reset) point here.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Password-reset and alert mail. Development prints it to the console; production sends it
# by SMTP, settings through the variables below.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "false")
# Seconds each SMTP step may take: a server that accepts the connection and never answers
# fails that send (retried later) instead of hanging send_alerts.
try:
    EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))
except ValueError:
    EMAIL_TIMEOUT = 0
if not EMAIL_TIMEOUT > 0:
    raise ImproperlyConfigured("EMAIL_TIMEOUT must be a number of seconds above 0")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Compact Tracker <noreply@localhost>")

# Background jobs (reading uploaded sources' text) on a queue in PostgreSQL, run by
# `manage.py db_worker` (docs/text-extraction.md). Tests run them at once instead.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The child process that reads an uploaded file's text (sources.reading): its address
# space, processor seconds and wall-clock seconds before it is stopped and the source
# marked "could not read".
TEXT_READ_MEMORY_MB = envint("TEXT_READ_MEMORY_MB", "512", minimum=64)
TEXT_READ_CPU_SECONDS = envint("TEXT_READ_CPU_SECONDS", "20")
TEXT_READ_TIMEOUT_SECONDS = envint("TEXT_READ_TIMEOUT_SECONDS", "30")
# A PDF page with more text operators than this is refused before they are run; 0: no count.
TEXT_READ_MAX_PAGE_OPERATORS = envint("TEXT_READ_MAX_PAGE_OPERATORS", "100000", minimum=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Django's own console handler (DEBUG only) would print every record a second time
    # before it reaches the root's: one handler, the root's, prints each once.
    "loggers": {"django": {"handlers": [], "propagate": True}},
}
