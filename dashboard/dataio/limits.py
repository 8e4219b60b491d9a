"""What one import may cost, checked before anything is inflated or parsed, so that refusing any file keeps
the server process far below 1 GiB and costs about a second of a core.

- Upload size: ONE setting, `server.maxUploadSize` (MiB) in .streamlit/config.toml. Streamlit enforces it on
  the page's uploads; the importer enforces it on every file it reads (the CLI too, before reading a byte);
  the 数据管理 page shows it before upload.
- .xlsx (a zip): the central directory is checked first — entry count, each part's declared inflated size
  and compression ratio, the total declared size; then every part is inflated once in bounded chunks (a
  part that inflates beyond what it declares is refused), the sheets are scanned while streaming.
- Cells: the used range of every sheet (rows × columns — spreadsheet readers allocate it densely, so one cell
  at XFD1048576 would cost gigabytes) and the fields of every CSV count against one budget per import.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache

from ..paths import ROOT

CONFIG_TOML = ROOT / ".streamlit" / "config.toml"
MiB = 1 << 20

MAX_UNCOMPRESSED = 256 * MiB     # an .xlsx: the declared inflated size of all its parts together
MAX_RATIO = 100                  # a part larger than RATIO_FLOOR may inflate at most this many times
RATIO_FLOOR = 1 * MiB
MAX_ZIP_ENTRIES = 10_000
MAX_DIRECTORY = 4 * MiB          # the zip's central directory (parsed before anything else)
MAX_META_PART = 8 * MiB          # workbook.xml and its relationships (parsed as a tree)
MAX_CELLS = 5_000_000            # one import: every sheet's used range (rows × columns) and CSV fields
MAX_ROW_BYTES = 32 * MiB         # one row of a sheet's XML, one CSV line


@lru_cache(maxsize=1)
def max_upload_mb() -> int:
    """server.maxUploadSize from .streamlit/config.toml (MiB)."""
    with open(CONFIG_TOML, "rb") as fh:
        return int(tomllib.load(fh)["server"]["maxUploadSize"])


def max_upload_bytes() -> int:
    return max_upload_mb() * MiB


def mb(n: int) -> str:
    """Bytes as Chinese-UI megabytes: 52428800 → '50 MB', 1572864 → '1.5 MB'."""
    v = n / MiB
    return f"{v:,.0f} MB" if v >= 10 or v == int(v) else f"{v:.1f} MB"


def cells_text(n: int) -> str:
    return f"{n / 10_000:,.0f} 万" if n >= 100_000 else f"{n:,}"


def describe() -> str:
    """The limits as the 数据管理 page shows them before upload."""
    return (f"单个文件不超过 {max_upload_mb()} MB;Excel 工作簿解压后合计不超过 {mb(MAX_UNCOMPRESSED)};"
            f"一次导入的数据合计不超过 {cells_text(MAX_CELLS)} 个单元格(行数 × 列数)。"
            "超过时请按工作表或按季度拆分后分批导入。")


@dataclass
class Budget:
    """Cells one import may still read (shared by all its files)."""
    cells: int = MAX_CELLS

    def take(self, n: int) -> bool:
        if n > self.cells:
            return False
        self.cells -= n
        return True
