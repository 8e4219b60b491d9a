-- 有效荣誉:某季末仍有效的认定(认定 ≤ Q,且未到期、未撤销)。One row per (quarter_end, enterprise_id, honor).
CREATE TABLE mart_honor_valid AS
SELECT DISTINCT q.quarter_end, h.enterprise_id, h.honor
FROM honors h
JOIN dim_quarter q
  ON h.awarded_on <= q.quarter_end
 AND (h.expires_on IS NULL OR h.expires_on > q.quarter_end)
 AND (h.revoked_on IS NULL OR h.revoked_on > q.quarter_end);
