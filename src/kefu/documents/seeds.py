"""Where the seed documents live (DOC-1): the repository's docs/spec/seeds/*.txt, the policy texts the
demo loads as the group's policy library and `kefu manage import_policies` imports by default."""

from pathlib import Path

SEED_DIR = Path(__file__).resolve().parents[3] / "docs" / "spec" / "seeds"


def seed_files() -> list[Path]:
    return sorted(SEED_DIR.glob("*.txt")) if SEED_DIR.is_dir() else []
