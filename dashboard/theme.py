"""One palette for every chart (plotly pages, ECharts large screen, PPTX deck)."""
from __future__ import annotations

FONT = "Noto Sans CJK SC"
FONT_STACK = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif"

RED = "#e8473c"
GOLD = "#f2c14e"
BLUE = "#4da3ff"
TEAL = "#2ec4b6"
GREEN = "#22a06b"
GREY = "#8a9bb5"
PURPLE = "#9b8cff"
ORANGE = "#ff9f43"
SERIES = [BLUE, GOLD, RED, TEAL, PURPLE, "#7fd6ff", ORANGE, "#a3e635", "#f472b6", "#c5d3e8"]
AMBER = "#d69e2e"
# 正常/关注/滞后: the same three colours on every page, the big screen, the deck and the exports
# (static/css/alerts.css and dashboard/ui.py's .s-绿/.s-黄/.s-红 use these values); None = no status.
STATUS_COLOR = {"绿": GREEN, "黄": AMBER, "红": RED, None: BLUE}

# large screen (always dark)
SCREEN_BG = "#050d1f"
SCREEN_PANEL = "rgba(16, 42, 84, 0.55)"
SCREEN_BORDER = "#1f4f8f"
SCREEN_TEXT = "#e8eef7"
SCREEN_MUTED = "#8fb3e0"
SCREEN_ACCENT = "#39c5ff"
