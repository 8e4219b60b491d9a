-- 季末持有有效认定的企业名单(可按认定类型筛选,'*' 为全部),按认定层级、认定日期从新到旧排序,最多 $limit 行;n_total 为不限行数时的总行数。One row per (enterprise, honor award) held at the quarter end.
-- 有效:认定日期 ≤ Q 且(无到期日或到期日 > Q)且(未撤销或撤销日期 > Q);范围为季末在营企业(成立 ≤ Q 且未注销或注销 > Q)。
-- params: quarter_end, chain_id, park_id, honor, limit
WITH rows AS (
    SELECT h.enterprise_id, e.park_id, h.honor, h.batch, h.awarded_on, h.expires_on,
           list_position(['单项冠军', '小巨人', '省级专精特新', '创新型中小企业', '两高四新', '高新技术企业'], h.honor) AS honor_ord,
           count(*) OVER () AS n_total
    FROM honors h
    JOIN enterprises e USING (enterprise_id)
    WHERE ($honor = '*' OR h.honor = $honor)
      AND h.awarded_on <= $quarter_end
      AND (h.expires_on IS NULL OR h.expires_on > $quarter_end)
      AND (h.revoked_on IS NULL OR h.revoked_on > $quarter_end)
      AND e.founded_on <= $quarter_end AND (e.closed_on IS NULL OR e.closed_on > $quarter_end)
      AND h.enterprise_id IN (SELECT enterprise_id FROM dim_scope_enterprise WHERE chain_id = $chain_id AND park_id = $park_id)
    ORDER BY honor_ord, h.awarded_on DESC, h.enterprise_id
    LIMIT $limit
)
SELECT r.enterprise_id, n.name, n.uscc, r.honor, r.batch, r.awarded_on, r.expires_on,
       n.chain_names, n.park_name, r.n_total
FROM rows r
JOIN dim_enterprise n ON n.enterprise_id = r.enterprise_id
ORDER BY r.honor_ord, r.awarded_on DESC, r.enterprise_id;
