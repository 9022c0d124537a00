"""Test settings: the product's settings plus the toy app that exercises the engine (tests only)."""

from kefu.settings import *  # noqa: F403
from kefu.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.toy"]
