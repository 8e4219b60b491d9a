"""统一社会信用代码 (GB 32100-2015) and its embedded 组织机构代码 (GB 11714) check digits."""
from __future__ import annotations

import numpy as np

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARSET)}
_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def org_check_char(body8: str) -> str:
    total = sum(int(c, 36) * w for c, w in zip(body8, _ORG_WEIGHTS))
    c = 11 - total % 11
    return "X" if c == 10 else ("0" if c == 11 else str(c))


def uscc_check_char(body17: str) -> str:
    total = sum(_USCC_VALUE[c] * w for c, w in zip(body17, _USCC_WEIGHTS))
    return USCC_CHARSET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    """True when the 18 characters use the allowed set and the final check digit is right."""
    if not isinstance(code, str) or len(code) != 18:
        return False
    if any(c not in _USCC_VALUE for c in code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def make_usccs(numbers: np.ndarray, region: np.ndarray) -> list[str]:
    """Valid codes '91' + 6-digit region + 8-digit org body + org check + USCC check.

    `numbers` must be distinct integers < 10**8 (they become the org code body).
    """
    out = []
    for num, reg in zip(numbers.tolist(), region.tolist()):
        body8 = f"{num:08d}"
        org = body8 + org_check_char(body8)
        body17 = "91" + reg + org
        out.append(body17 + uscc_check_char(body17))
    return out
