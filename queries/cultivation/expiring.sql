-- 未来 12 个月到期、需复核的认定:季末有效且到期日在 (Q, Q + 12 个月] 内,按到期日从近到远,最多 $limit 行;n_total 为总行数。One row per award.
-- 季末有效:认定日期 ≤ Q 且未撤销(或撤销日期 > Q);范围为季末在营企业(成立 ≤ Q 且未注销或注销 > Q)。
-- params: quarter_end, chain_id, park_id, limit
WITH rows AS (
    SELECT h.enterprise_id, e.park_id, h.honor, h.batch, h.awarded_on, h.expires_on,
           CAST(h.expires_on - $quarter_end AS INTEGER) AS days_left,
           list_position(['单项冠军', '小巨人', '省级专精特新', '创新型中小企业', '两高四新', '高新技术企业'], h.honor) AS honor_ord,
           count(*) OVER () AS n_total
    FROM honors h
    JOIN enterprises e USING (enterprise_id)
    WHERE h.awarded_on <= $quarter_end
      AND (h.revoked_on IS NULL OR h.revoked_on > $quarter_end)
      AND h.expires_on > $quarter_end
      AND h.expires_on <= CAST($quarter_end + INTERVAL 12 MONTH AS DATE)
      AND e.founded_on <= $quarter_end AND (e.closed_on IS NULL OR e.closed_on > $quarter_end)
      AND h.enterprise_id IN (SELECT enterprise_id FROM dim_scope_enterprise WHERE chain_id = $chain_id AND park_id = $park_id)
    ORDER BY h.expires_on, honor_ord, h.enterprise_id
    LIMIT $limit
)
SELECT r.enterprise_id, n.name, n.uscc, r.honor, r.batch, r.awarded_on, r.expires_on, r.days_left,
       n.chain_names, n.park_name, r.n_total
FROM rows r
JOIN dim_enterprise n ON n.enterprise_id = r.enterprise_id
ORDER BY r.expires_on, r.honor_ord, r.enterprise_id;
