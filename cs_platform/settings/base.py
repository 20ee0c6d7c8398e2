"""Settings shared by every environment.

Every variable is read from the environment (or a `.env` file) through
django-environ and has a safe default: the defaults give the embedded demo
(SQLite, Celery tasks run eagerly in-process). `.env.example` lists them all.
"""

import datetime as dt
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="django-insecure-embedded-demo-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
# The public address, for links in messages sent outside a request (the award webhook). Empty: paths only.
SITE_URL = env("SITE_URL", default="")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "taggit",
    "axes",
    "csp",
    "core",
    "teams",
    "conversations",
    "kpi",
    "notifications",
    "plans",
    "qa_reviews",
    "training",
    "recognition",
    "dashboard",
    "audit",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "audit.middleware.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout page
]

ROOT_URLCONF = "cs_platform.urls"
WSGI_APPLICATION = "cs_platform.wsgi.application"

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
                "django.template.context_processors.i18n",
                "notifications.context_processors.notification_bell",
                "dashboard.context_processors.dashboard_links",
            ],
        },
    },
]

# Embedded default: a SQLite file next to manage.py. Production sets DATABASE_URL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "teams.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Content-Security-Policy (django-csp): scripts and styles from this site only; no inline script anywhere
# (behaviour lives in static files). Inline style attributes stay allowed (progress bars, chart boxes);
# images may come from https (knowledge-base articles link them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "https:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Brute-force protection (django-axes): 5 failed logins for a username, from anywhere (a rotated
# X-Forwarded-For changes nothing), lock that username for AXES_COOLOFF_MINUTES, on the login page
# and on POST /api/v1/auth/token/ alike; a successful login clears the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.auth.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.auth.client_ip"  # recorded only: the lockout is by username
AXES_VERBOSE = False
# axes.W006 asks for the client address among the lockout parameters. Behind a proxy every client shares one
# address (one attacker would lock the whole floor out), and with the username as the key, rotating user
# agents or cookies gains nothing: the warning does not apply to this configuration.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Internationalisation: English and Simplified Chinese, switched per session.
LANGUAGE_CODE = env("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploaded chat exports can be large; Django streams bigger uploads to a temporary file.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=20 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end libraries come from the npm registry at setup (`npm ci`), never a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Redis is optional: without it the cache is in-process and Celery runs eagerly.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "core.cache.ReusedClientRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: JSON only, acknowledged after the task finished (a killed worker's task is
# redelivered), bounded in time. Tasks themselves are idempotent (see CONVENTIONS.md).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=600)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=540)
# Redis keeps a delivered task until its ack; one whose worker was killed (SIGKILL, OOM, lost host) returns to
# the queue this many seconds after it was delivered. Longer than the longest task (and any countdown), so a
# task still running is not delivered a second time; see docs/production.md.
CELERY_BROKER_VISIBILITY_TIMEOUT = env.int("CELERY_BROKER_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT * 2)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT}
CELERY_RESULT_EXPIRES = 3600
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.authentication.CachedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "core.api.filters.StrictDjangoFilterBackend",  # 400 for a filter value it cannot read, not "no filter"
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "core.api.parsers.StrictMultiPartParser",  # a multipart body it can read nothing from is a 400
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # Per token (its user) and, without one, per client address; over the rate: 429 with Retry-After.
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttling.AnonThrottle", "core.api.throttling.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="60/minute"),
        "user": env("API_THROTTLE_USER", default="1200/minute"),
        "webhook": env("API_THROTTLE_WEBHOOK", default="6000/minute"),
    },
    # Trusted proxies in front of the site: the client address is the one the outermost of them saw.
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
}

# Days after which chat text and customer identifiers are removed (conversations.retention; 0 keeps them).
# Off for the demo and tests (historical datasets import as they are); production defaults to a year.
CHAT_RETENTION_DAYS = env.int("CHAT_RETENTION_DAYS", default=0)

# How long a worker remembers whose an API token is, and how long answers read over and over are kept
# (per person; their own changes forget them at once). 0 turns either off.
API_TOKEN_CACHE_SECONDS = env.int("API_TOKEN_CACHE_SECONDS", default=10)
MY_DAY_CACHE_SECONDS = env.int("MY_DAY_CACHE_SECONDS", default=30)
DASHBOARD_TEAM_CACHE_SECONDS = env.int("DASHBOARD_TEAM_CACHE_SECONDS", default=30)

SPECTACULAR_SETTINGS = {
    "TITLE": "Customer-service team platform API",
    "DESCRIPTION": (
        "Teams, roles, shifts and responsibilities of a customer-service floor. "
        "Authenticate with `Authorization: Token <key>`; get a key from `POST /api/v1/auth/token/`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.document_errors",
    ],
    # Swagger UI is served from the installed sidecar package, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Category is used by several serializers: one enum component, named once.
    "ENUM_NAME_OVERRIDES": {
        "CategoryEnum": "conversations.models.Category",
        "ImportStatusEnum": "conversations.models.ImportStatus",
        "PlanStatusEnum": "plans.models.PlanStatus",
        "TaskStatusEnum": "plans.models.TaskStatus",
        "ReviewStatusEnum": "qa_reviews.models.ReviewStatus",
        "AssignmentStatusEnum": "qa_reviews.models.AssignmentStatus",
        "CalibrationStatusEnum": "qa_reviews.models.CalibrationStatus",
        "ComplaintStatusEnum": "qa_reviews.models.ComplaintStatus",
        "ComplaintCategoryEnum": "qa_reviews.models.ComplaintCategory",
        "CaseStatusEnum": "qa_reviews.models.CaseStatus",
        "SamplingKindEnum": "qa_reviews.models.SamplingKind",
        "ComplaintPriorityEnum": "qa_reviews.models.ComplaintPriority",
        "ArticleKindEnum": "training.models.ArticleKind",
        "ArticleStatusEnum": "training.models.ArticleStatus",
        "QuestionKindEnum": "training.models.QuestionKind",
        "AttemptStatusEnum": "training.models.AttemptStatus",
        "MaterialKindEnum": "training.models.MaterialKind",
        "StepKindEnum": "training.models.StepKind",
        "AwardKindEnum": "recognition.models.AwardKind",
        "KudosValueEnum": "recognition.models.KudosValue",
        "DeliveryStatusEnum": "recognition.models.DeliveryStatus",
        "KindEnum": "plans.models.ItemKind",  # the name plan items had before sampling rules also had a kind
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
