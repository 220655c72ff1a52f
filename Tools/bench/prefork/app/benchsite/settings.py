"""Settings of the pre-fork benchmark's site: production-like (DEBUG off,
cached template loader, persistent database connections), one app
(catalog) and a SQLite file database that the runner creates and fills
beforehand (app/populate.py) and names in EMBER_PREFORK_DB."""

import os

from django.core.exceptions import ImproperlyConfigured

DB_PATH = os.environ.get("EMBER_PREFORK_DB")
if not DB_PATH:
    raise ImproperlyConfigured(
        "EMBER_PREFORK_DB must name the SQLite database file "
        "(Tools/bench/prefork/run creates it with app/populate.py)")

DEBUG = False
SECRET_KEY = "ember-prefork-benchmark-not-secret"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = ["catalog"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "benchsite.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,           # with DEBUG off: the cached loader
    "OPTIONS": {},
}]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DB_PATH,
        # One connection per worker for its lifetime, as a server keeps it;
        # the master closes its own before fork (wsgi.py).
        "CONN_MAX_AGE": None,
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
TIME_ZONE = "UTC"
USE_I18N = False
USE_L10N = False
LOGGING_CONFIG = None
