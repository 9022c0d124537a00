"""Test settings: the product's settings plus the toy app that exercises the engine (tests only)."""

from kefu.settings import *  # noqa: F403
from kefu.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.toy"]

# No stream handler of our own under pytest: a handler bound to the stderr of one test's capture
# would write to a closed file in later tests. pytest's log capture shows records of failing tests.
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "INFO", "handlers": []}}

# argon2 is the production hasher (tested on its own, test_settings_security.py); tests create many
# users, so a fast one first
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
