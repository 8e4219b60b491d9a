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


def absolute_path(p: str | os.PathLike) -> Path:
    """Absolute path WITHOUT following symlinks: the warehouse path may be a symlink to the current
    version (data/versions/<id>.duckdb) and must stay the link, so a publish can repoint it."""
    return Path(os.path.abspath(os.path.expanduser(os.fspath(p))))


def resolve_db(cli_path: str | os.PathLike | None = None) -> Path:
    """--db PATH, else $DASHBOARD_DB, else data/warehouse.duckdb (relative paths from the cwd).

    Symlinks are not resolved here (the link is what an import repoints); readers resolve it on
    every query (`db.current_version`)."""
    if cli_path:
        return absolute_path(cli_path)
    env = os.environ.get(ENV_DB)
    if env:
        return absolute_path(env)
    return DEFAULT_DB


def versions_dir(db: str | os.PathLike) -> Path:
    """Folder of the published versions of warehouse `db`: data/warehouse.duckdb → data/versions/;
    any other name → <name>.versions/ next to it (so two warehouses in one folder never mix)."""
    p = absolute_path(db)
    return p.parent / ("versions" if p.stem == "warehouse" else f"{p.stem}.versions")
