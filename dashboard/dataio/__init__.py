"""数据管理: load each quarter's real data from Excel/CSV — validated, atomic, reversible.

- template.py  the import contract as sheets (Chinese headers ↔ contract columns), template and export writers
- readers.py   .xlsx (Excel/WPS, via fastexcel) and .csv (UTF-8 / UTF-8 BOM / GBK) → text grids
- validate.py  every check at once (file, sheet, row, column, value, rule — in Chinese) and the merge plan
- publish.py   versions folder, atomic publish by repointing the warehouse symlink, rollback, import log
- cli.py       `python -m dashboard template|export|import|versions|rollback`
"""
