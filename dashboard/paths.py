"""Where things are, and how the app and every subcommand find the warehouse."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = ROOT / "queries"
DATA_DIR = ROOT / "data"
GEO_DIR = DATA_DIR / "geo"
DEFAULT_DB = DATA_DIR / "warehouse.duckdb"
ENV_DB = "DASHBOARD_DB"


def resolve_db(cli_path: str | os.PathLike | None = None) -> Path:
    """--db PATH, else $DASHBOARD_DB, else data/warehouse.duckdb (relative paths from the cwd)."""
    if cli_path:
        return Path(cli_path).expanduser().resolve()
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env).expanduser().resolve()
    return DEFAULT_DB
