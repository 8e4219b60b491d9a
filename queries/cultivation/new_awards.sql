-- 本季新获认定:认定日期在所选季度内的认定(首次认定或复核通过),按认定日期从新到旧,最多 $limit 行;n_total 为总行数。One row per award.
-- 复核通过:同一企业此前已获同类认定。范围为季末在营企业(成立 ≤ Q 且未注销或注销 > Q)。
-- params: quarter_end, chain_id, park_id, limit
WITH rows AS (
    SELECT h.enterprise_id, e.park_id, h.honor, h.batch, h.awarded_on, h.expires_on,
           list_position(['单项冠军', '小巨人', '省级专精特新', '创新型中小企业', '两高四新', '高新技术企业'], h.honor) AS honor_ord,
           count(*) OVER () AS n_total
    FROM honors h
    JOIN enterprises e USING (enterprise_id)
    WHERE h.awarded_on BETWEEN CAST(date_trunc('quarter', $quarter_end) AS DATE) AND $quarter_end
      AND e.founded_on <= $quarter_end AND (e.closed_on IS NULL OR e.closed_on > $quarter_end)
      AND h.enterprise_id IN (SELECT enterprise_id FROM dim_scope_enterprise WHERE chain_id = $chain_id AND park_id = $park_id)
    ORDER BY h.awarded_on DESC, honor_ord, h.enterprise_id
    LIMIT $limit
), prior AS (
    SELECT DISTINCT r.enterprise_id, r.honor
    FROM rows r JOIN honors p ON p.enterprise_id = r.enterprise_id AND p.honor = r.honor AND p.awarded_on < r.awarded_on
)
SELECT r.enterprise_id, n.name, n.uscc, r.honor, r.batch, r.awarded_on, r.expires_on,
       CASE WHEN pr.enterprise_id IS NULL THEN '首次认定' ELSE '复核通过' END AS award_kind,
       n.chain_names, n.park_name, r.n_total
FROM rows r
JOIN dim_enterprise n ON n.enterprise_id = r.enterprise_id
LEFT JOIN prior pr ON pr.enterprise_id = r.enterprise_id AND pr.honor = r.honor
ORDER BY r.awarded_on DESC, r.honor_ord, r.enterprise_id;
