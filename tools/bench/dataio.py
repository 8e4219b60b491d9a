"""Import benchmark for `python -m dashboard bench`: export the ×1 warehouse as the template workbook,
then read + validate it and build + verify + publish it as a new version (target: ≤ 30 s together).

Works on a copy in a temporary folder; the warehouse given is never touched.
"""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path


def measure(db_path: str) -> dict:
    from dashboard import db
    from dashboard.dataio import publish as pub
    with tempfile.TemporaryDirectory(prefix="import-bench-") as d:
        d = Path(d)
        work = d / "warehouse.duckdb"
        shutil.copyfile(db_path, work)
        xlsx = d / "export.xlsx"
        t0 = time.perf_counter()
        pub.export_warehouse(xlsx, work)
        t1 = time.perf_counter()
        res = pub.check([xlsx], work, mode="replace")
        t2 = time.perf_counter()
        if not res.plan.ok:
            raise RuntimeError(res.plan.summary() + ":" + "; ".join(i.message for i in res.plan.issues[:5]))
        pub.build_candidate(res)
        pub.publish(res)
        t3 = time.perf_counter()
        db.release(res.candidate or work)
        return {"export_s": t1 - t0, "validate_s": t2 - t1, "publish_s": t3 - t2,
                "validate_publish_s": t3 - t1, "target_s": 30, "rows": sum(res.plan.uploaded.values()),
                "xlsx_mb": round(xlsx.stat().st_size / 2**20, 1)}
