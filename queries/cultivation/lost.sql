-- 近 12 个月失去的认定:撤销日期在 (Q − 12 个月, Q] 内,或到期日在该区间、未撤销且季末不再持有同类有效认定(到期未复核通过),按日期从新到旧,最多 $limit 行;n_total 为总行数。One row per award.
-- 范围为季末在营企业(成立 ≤ Q 且未注销或注销 > Q)。
-- params: quarter_end, chain_id, park_id, limit
WITH ent AS (
    SELECT e.enterprise_id, e.park_id
    FROM enterprises e
    WHERE e.enterprise_id IN (SELECT enterprise_id FROM honors
                              WHERE revoked_on > CAST($quarter_end - INTERVAL 12 MONTH AS DATE)
                                 OR expires_on > CAST($quarter_end - INTERVAL 12 MONTH AS DATE))
      AND e.founded_on <= $quarter_end AND (e.closed_on IS NULL OR e.closed_on > $quarter_end)
      AND e.enterprise_id IN (SELECT enterprise_id FROM dim_scope_enterprise WHERE chain_id = $chain_id AND park_id = $park_id)
), h AS (
    SELECT h.*, ent.park_id FROM honors h JOIN ent USING (enterprise_id)
), held AS (
    SELECT DISTINCT enterprise_id, honor FROM h
    WHERE awarded_on <= $quarter_end
      AND (expires_on IS NULL OR expires_on > $quarter_end)
      AND (revoked_on IS NULL OR revoked_on > $quarter_end)
), cand AS (
    SELECT h.enterprise_id, h.park_id, h.honor, h.batch, h.awarded_on, h.expires_on,
           CASE WHEN h.revoked_on > CAST($quarter_end - INTERVAL 12 MONTH AS DATE) AND h.revoked_on <= $quarter_end
                THEN '撤销' ELSE '到期未复核通过' END AS loss_kind,
           CASE WHEN h.revoked_on > CAST($quarter_end - INTERVAL 12 MONTH AS DATE) AND h.revoked_on <= $quarter_end
                THEN h.revoked_on ELSE h.expires_on END AS lost_on
    FROM h
    LEFT JOIN held v ON v.enterprise_id = h.enterprise_id AND v.honor = h.honor
    WHERE (h.revoked_on > CAST($quarter_end - INTERVAL 12 MONTH AS DATE) AND h.revoked_on <= $quarter_end)
       OR ((h.revoked_on IS NULL OR h.revoked_on > $quarter_end)
           AND h.expires_on > CAST($quarter_end - INTERVAL 12 MONTH AS DATE) AND h.expires_on <= $quarter_end
           AND v.enterprise_id IS NULL)
), rows AS (
    SELECT *, list_position(['单项冠军', '小巨人', '省级专精特新', '创新型中小企业', '两高四新', '高新技术企业'], honor) AS honor_ord,
           count(*) OVER () AS n_total
    FROM cand
    ORDER BY lost_on DESC, honor_ord, enterprise_id
    LIMIT $limit
)
SELECT r.enterprise_id, n.name, n.uscc, r.honor, r.batch, r.awarded_on, r.expires_on, r.loss_kind, r.lost_on,
       n.chain_names, n.park_name, r.n_total
FROM rows r
JOIN dim_enterprise n ON n.enterprise_id = r.enterprise_id
ORDER BY r.lost_on DESC, r.honor_ord, r.enterprise_id;
