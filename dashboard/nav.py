"""The page list of the app: (section, file, title, icon, url_path). One place to add a page."""
from __future__ import annotations

from .paths import ROOT

PAGES: list[tuple[str, str, str, str, str]] = [
    ("驾驶舱", "pages/overview.py", "总览", ":material/dashboard:", "overview"),
]


def existing() -> list[tuple[str, str, str, str, str]]:
    return [p for p in PAGES if (ROOT / p[1]).is_file()]
