-- 梯度培育各认定类型在所选季度与范围的存量与流量:季末有效、本季认定(其中复核通过)、未来 12 个月到期、近 12 个月撤销/到期未续。One row per honor.
-- 范围:季末在营企业(成立 ≤ Q 且未注销或注销 > Q);链按企业所属产业链,园区按企业所在园区。
-- 有效:认定 ≤ Q 且(无到期日或到期 > Q)且(未撤销或撤销 > Q)。复核通过:同一企业此前已获同类认定。
-- 到期未续:到期日在 (Q − 12 个月, Q]、未撤销(或撤销 > Q),且季末不再持有同类有效认定。
-- params: quarter_end, chain_id, park_id
WITH h AS (
    SELECT h.enterprise_id, h.honor, h.awarded_on, h.expires_on, h.revoked_on,
           h.awarded_on <= $quarter_end
             AND (h.expires_on IS NULL OR h.expires_on > $quarter_end)
             AND (h.revoked_on IS NULL OR h.revoked_on > $quarter_end) AS is_valid
    FROM honors h
    JOIN enterprises e ON e.enterprise_id = h.enterprise_id
    WHERE e.founded_on <= $quarter_end AND (e.closed_on IS NULL OR e.closed_on > $quarter_end)
      AND h.enterprise_id IN (SELECT enterprise_id FROM dim_scope_enterprise WHERE chain_id = $chain_id AND park_id = $park_id)
), f AS (
    SELECT *,
           awarded_on > min(awarded_on) OVER (PARTITION BY enterprise_id, honor) AS is_renewal,
           bool_or(is_valid) OVER (PARTITION BY enterprise_id, honor) AS still_held
    FROM h
), names(honor, ord) AS (
    VALUES ('创新型中小企业', 1), ('省级专精特新', 2), ('小巨人', 3), ('单项冠军', 4), ('两高四新', 5), ('高新技术企业', 6)
)
SELECT n.honor, n.ord,
       count(DISTINCT f.enterprise_id) FILTER (WHERE f.is_valid) AS n_valid,
       count(f.enterprise_id) FILTER (WHERE f.awarded_on BETWEEN CAST(date_trunc('quarter', $quarter_end) AS DATE) AND $quarter_end) AS n_awarded,
       count(f.enterprise_id) FILTER (WHERE f.awarded_on BETWEEN CAST(date_trunc('quarter', $quarter_end) AS DATE) AND $quarter_end
                          AND f.is_renewal) AS n_renewed,
       count(f.enterprise_id) FILTER (WHERE f.is_valid AND f.expires_on <= CAST($quarter_end + INTERVAL 12 MONTH AS DATE)) AS n_expiring,
       count(f.enterprise_id) FILTER (WHERE f.revoked_on > CAST($quarter_end - INTERVAL 12 MONTH AS DATE)
                          AND f.revoked_on <= $quarter_end) AS n_revoked,
       count(f.enterprise_id) FILTER (WHERE (f.revoked_on IS NULL OR f.revoked_on > $quarter_end)
                          AND f.expires_on > CAST($quarter_end - INTERVAL 12 MONTH AS DATE)
                          AND f.expires_on <= $quarter_end
                          AND NOT f.still_held) AS n_lapsed
FROM names n
LEFT JOIN f ON f.honor = n.honor
GROUP BY n.honor, n.ord
ORDER BY n.ord;
