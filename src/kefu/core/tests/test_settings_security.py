"""Security by default: argon2, generated secrets stay private, configuration errors are clear."""

import stat

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core.exceptions import ImproperlyConfigured

from kefu import settings as kefu_settings
from kefu.core.config import database_from_url, secret_from_env_or_file


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(settings, django_user_model):  # SEC-10
    settings.PASSWORD_HASHERS = kefu_settings.PASSWORD_HASHERS
    user = django_user_model.objects.create_user("argon", password="a-long-password-1")
    assert identify_hasher(user.password).algorithm == "argon2"
    assert kefu_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_generated_secret_is_private_and_stable(tmp_path, monkeypatch):
    monkeypatch.delenv("KEFU_TEST_SECRET", raising=False)
    path = tmp_path / "secret"
    first = secret_from_env_or_file("KEFU_TEST_SECRET", path, generate=True)
    assert len(first) >= 40
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret_from_env_or_file("KEFU_TEST_SECRET", path, generate=True) == first
    monkeypatch.setenv("KEFU_TEST_SECRET", "from-env")
    assert secret_from_env_or_file("KEFU_TEST_SECRET", path, generate=True) == "from-env"


def test_shared_databases_never_get_generated_keys(tmp_path, monkeypatch):
    monkeypatch.delenv("KEFU_TEST_SECRET", raising=False)
    assert secret_from_env_or_file("KEFU_TEST_SECRET", tmp_path / "none", generate=False) == ""


def test_database_urls():
    pg = database_from_url("postgresql://kefu:p%40ss@db.internal:6432/kefu?sslmode=require")
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "kefu",
        "p@ss",
        "db.internal",
        "6432",
        "kefu",
    )
    assert pg["OPTIONS"] == {"sslmode": "require", "server_side_binding": True, "prepare_threshold": 5}
    pooled = database_from_url("postgresql://kefu@pgbouncer:6432/kefu?prepared=0")
    assert pooled["OPTIONS"] == {}  # a transaction pooler keeps no prepared statements
    lite = database_from_url("sqlite:////srv/kefu/var/kefu.sqlite3")
    assert lite["NAME"] == "/srv/kefu/var/kefu.sqlite3"
    assert "journal_mode=WAL" in lite["OPTIONS"]["init_command"]
    with pytest.raises(ImproperlyConfigured):
        database_from_url("mysql://root@localhost/kefu")


def test_no_secret_material_in_the_repository():
    """The embedded secrets live in the data directory, which git ignores."""
    gitignore = (kefu_settings.REPO_DIR / ".gitignore").read_text().split()
    assert "var/" in gitignore
    assert not (kefu_settings.SRC_DIR / "secret_key").exists()
