"""The one scope object of the package, and the grant every query is checked against.

A *scope* is what a view shows: a chain, a park, both (their intersection) or the district —
`Scope(chain_id, park_id)`, with the keys the marts use ('*' = all). A *grant* is what a session may
see. The query loader (`db.run_query` / `db.execute`) calls `check(name, params)` before any query
runs: every scope parameter — `chain_id`, `park_id` ('*' = all), `chain_ids`, `enterprise_id` — must
lie inside the grant of the current request, or `ScopeDenied` is raised and nothing is read.

The grant of the current request comes from one place, `current_grant()`:
1. an explicit override (`granted(...)`, e.g. a deck generated for a given user);
2. inside a Streamlit script run: the signed-in session's grant (none → no data at all);
3. outside Streamlit (CLI run by an OS user who can read the warehouse file anyway): everything.
"""
from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass, field

ALL = "*"
SCOPE_PARAMS = ("chain_id", "park_id", "chain_ids", "enterprise_id")
# Reference lists every data role may read whatever its grant (names of chains and parks, quarters,
# the data stamp, the table contract): no enterprise and no figure in them.
REFERENCE_QUERIES = frozenset({"shared/chains", "shared/parks", "shared/quarters", "shared/meta",
                               "definitions/tables", "chain/profile"})


# What a signed-in account without data access (sys_admin, auditor) may still read: the data stamp.
STAMP_QUERIES = frozenset({"shared/meta"})


class ScopeDenied(PermissionError):
    """A query asked for data outside the session's grant (message in Chinese, for the page)."""


@dataclass(frozen=True)
class Scope:
    """A view's scope: chain × park (None = all)."""
    chain_id: str | None = None
    park_id: str | None = None

    @property
    def chain_key(self) -> str:
        return self.chain_id or ALL

    @property
    def park_key(self) -> str:
        return self.park_id or ALL

    @property
    def keys(self) -> tuple[str, str]:
        return self.chain_key, self.park_key

    @property
    def is_district(self) -> bool:
        return not (self.chain_id or self.park_id)


def keys(chain_id: str | None, park_id: str | None) -> tuple[str, str]:
    """(chain_key, park_key) of a scope given by ids (None or '*' = all)."""
    return Scope(chain_id if chain_id != ALL else None, park_id if park_id != ALL else None).keys


@dataclass(frozen=True)
class Grant:
    """What a session may read. `everything`: all scopes incl. district totals (leader, data_admin,
    kiosk). Otherwise the union of the slices of `chains` (any park) and of `parks` (any chain).
    `data=False`: no warehouse data at all (sys_admin, auditor, anonymous)."""
    everything: bool = False
    chains: frozenset[str] = field(default_factory=frozenset)
    parks: frozenset[str] = field(default_factory=frozenset)
    data: bool = True
    stamp: bool = False          # data=False but a signed-in account: may read the data stamp (shared/meta)

    @classmethod
    def full(cls) -> "Grant":
        return cls(everything=True)

    @classmethod
    def none(cls) -> "Grant":
        return cls(data=False)

    @classmethod
    def of(cls, chains=(), parks=()) -> "Grant":
        return cls(chains=frozenset(chains), parks=frozenset(parks))

    # ------------------------------------------------------------------ scopes
    def allows(self, chain_id: str | None, park_id: str | None) -> bool:
        """May this grant see scope chain × park (None/'*' = all)?"""
        if not self.data:
            return False
        if self.everything:
            return True
        c, p = keys(chain_id, park_id)
        return c in self.chains or p in self.parks

    def chain_open(self) -> bool:
        """Any chain may be picked (with one of the granted parks)."""
        return self.everything or bool(self.parks)

    def park_open(self) -> bool:
        return self.everything or bool(self.chains)

    def default_scope(self) -> Scope:
        """The user's own scope: the district, else the first granted chain, else the first park."""
        if self.everything or not self.data:
            return Scope()
        if self.chains:
            return Scope(chain_id=sorted(self.chains)[0])
        if self.parks:
            return Scope(park_id=sorted(self.parks)[0])
        return Scope()

    def label(self, chain_names: dict | None = None, park_names: dict | None = None) -> str:
        if not self.data:
            return "无数据权限"
        if self.everything:
            return "全区"
        cn, pn = chain_names or {}, park_names or {}
        parts = [cn.get(c, c) for c in sorted(self.chains)] + [pn.get(p, p) for p in sorted(self.parks)]
        return "、".join(parts) or "无"

    # ------------------------------------------------------------------ the loader's check
    def check(self, name: str, params: dict) -> None:
        """Raise ScopeDenied unless every scope parameter of query `name` lies inside this grant."""
        if not self.data:
            if name in STAMP_QUERIES and self.stamp:     # the data stamp of the system pages
                return
            raise ScopeDenied("当前账号无权查看业务数据。")
        if self.everything:
            return
        if name in REFERENCE_QUERIES:       # names and set-up of chains/parks: no enterprise, no figure
            return
        present = [k for k in SCOPE_PARAMS if k in params]
        if not present:
            raise ScopeDenied("该内容为全区范围,超出当前账号的授权范围。")
        if "enterprise_id" in params and not self.allows_enterprise(str(params["enterprise_id"])):
            raise ScopeDenied("无权查看该企业。")
        if "chain_ids" in params:
            ids = list(params["chain_ids"] or [])
            if not ids or any(c not in self.chains for c in ids):
                raise ScopeDenied("所选产业链超出当前账号的授权范围。")
        has_c, has_p = "chain_id" in params, "park_id" in params
        c = str(params.get("chain_id") or ALL)
        p = str(params.get("park_id") or ALL)
        if has_c and has_p:
            ok = c in self.chains or p in self.parks
        elif has_c:
            ok = c in self.chains        # every park of this chain (or of all chains when '*')
        elif has_p:
            ok = p in self.parks
        else:
            ok = True
        if not ok:
            raise ScopeDenied("所选范围超出当前账号的授权范围(不显示全区或其他产业链、园区的数据)。")

    def rows(self, df, columns: tuple[str, ...], params: dict):
        """The rows of a per-chain / per-park result that lie inside this grant (a row's scope is its
        chain_id/park_id column, else the query's parameter)."""
        import polars as pl
        if self.everything:
            return df
        c = pl.col("chain_id") if "chain_id" in columns else pl.lit(str(params.get("chain_id") or ALL))
        p = pl.col("park_id") if "park_id" in columns else pl.lit(str(params.get("park_id") or ALL))
        return df.filter(c.is_in(list(self.chains)) | p.is_in(list(self.parks)))

    def allows_enterprise(self, enterprise_id: str) -> bool:
        if not self.data:
            return False
        if self.everything:
            return True
        from .db import enterprise_membership
        chains, park = enterprise_membership(enterprise_id)
        return bool(self.chains & set(chains)) or (park is not None and park in self.parks)


_NOBODY = Grant(data=False)   # anonymous / no session: nothing at all

_override: contextvars.ContextVar[Grant | None] = contextvars.ContextVar("dashboard_grant", default=None)
GRANT_KEY = "_grant"          # session-state key holding the signed-in session's Grant


@contextlib.contextmanager
def granted(grant: Grant):
    """Within this block (this thread/task) queries run under `grant`."""
    token = _override.set(grant)
    try:
        yield grant
    finally:
        _override.reset(token)


def current_grant() -> Grant:
    g = _override.get()
    if g is not None:
        return g
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
        ctx = get_script_run_ctx(suppress_warning=True)
    except Exception:  # noqa: BLE001 - no Streamlit: a CLI or a test of the package
        ctx = None
    if ctx is None:
        # No script run: a CLI or a test of the package reads everything; but inside a running server
        # (a deferred download, a background thread) nothing is read unless bound with `bind`.
        try:
            from streamlit import runtime
            in_server = runtime.exists()
        except Exception:  # noqa: BLE001
            in_server = False
        return _NOBODY if in_server else Grant.full()
    try:
        g = ctx.session_state[GRANT_KEY]
    except (KeyError, AttributeError):
        g = None
    return g if isinstance(g, Grant) else _NOBODY


def bind(fn):
    """`fn` with the grant of the current request: for work done later, outside the script run
    (deferred downloads are generated by the server when the browser asks for them)."""
    g = current_grant()

    def run(*a, **kw):
        with granted(g):
            return fn(*a, **kw)
    return run


def check(name: str, params: dict) -> None:
    current_grant().check(name, params)
