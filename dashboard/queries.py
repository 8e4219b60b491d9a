"""Named SQL files: queries/<page>/<panel>.sql with a header comment and declared `$params`.

Header: first line(s) `-- <what it returns>. One row per …`, then `-- params: a, b` (or `none`).
The declared names must equal the `$name` placeholders used in the body.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .paths import QUERIES_DIR

PARAM_RE = re.compile(r"(?<![\w$])\$([A-Za-z_][A-Za-z0-9_]*)")
BUILD_DIR = "_build"


class QueryError(ValueError):
    pass


@dataclass(frozen=True)
class Query:
    name: str
    description: str
    params: tuple[str, ...]
    sql: str
    # `-- rows: chain_id, park_id`: one row per chain / park (columns of those names, no total across
    # rows), so a session whose grant does not cover the whole query gets the rows of its grant only.
    rows: tuple[str, ...] = ()


def _strip_comments(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())


def parse(name: str, text: str) -> Query:
    header = []
    for line in text.splitlines():
        s = line.strip()
        if not s.startswith("--"):
            break
        header.append(s[2:].strip())
    if not header or header[0].lower().startswith("params"):
        raise QueryError(f"{name}: the file must start with a comment saying what it returns")
    declared_line = [h for h in header if h.lower().startswith("params:")]
    if len(declared_line) != 1:
        raise QueryError(f"{name}: the header needs exactly one '-- params: …' line")
    raw = declared_line[0].split(":", 1)[1].strip()
    declared = () if raw.lower() in ("", "none") else tuple(p.strip() for p in raw.split(","))
    used = set(PARAM_RE.findall(_strip_comments(text)))
    if set(declared) != used:
        missing = sorted(used - set(declared))
        extra = sorted(set(declared) - used)
        raise QueryError(f"{name}: header params {sorted(declared)} do not match placeholders "
                         f"(undeclared: {missing}, unused: {extra})")
    rows_line = [h for h in header if h.lower().startswith("rows:")]
    rows = tuple(x.strip() for x in rows_line[0].split(":", 1)[1].split(",") if x.strip()) if rows_line else ()
    if any(r not in ("chain_id", "park_id") for r in rows):
        raise QueryError(f"{name}: '-- rows:' may name chain_id and/or park_id only")
    return Query(name, header[0], declared, text, rows)


@lru_cache(maxsize=None)
def load(name: str) -> Query:
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file() or name.startswith(BUILD_DIR) or ".." in name:
        raise QueryError(f"unknown query {name!r}")
    return parse(name, path.read_text(encoding="utf-8"))


def all_names() -> list[str]:
    return sorted(
        str(p.relative_to(QUERIES_DIR).with_suffix("")).replace("\\", "/")
        for p in QUERIES_DIR.rglob("*.sql")
        if p.relative_to(QUERIES_DIR).parts[0] != BUILD_DIR
    )


def build_sql(name: str) -> str:
    """Build-time SQL (DDL, marts) from queries/_build/."""
    return (QUERIES_DIR / BUILD_DIR / f"{name}.sql").read_text(encoding="utf-8")


def check_params(q: Query, params: dict) -> None:
    given = set(params)
    if given != set(q.params):
        raise QueryError(f"{q.name}: expected params {sorted(q.params)}, got {sorted(given)}")
