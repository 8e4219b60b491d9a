-- 各认定类型各批次:认定数与其中季末仍有效的企业数(范围内季末在营企业),按认定层级、批次认定日期排序。One row per (honor, batch).
-- params: quarter_end, chain_id, park_id
SELECT h.honor, h.batch,
       min(h.awarded_on) AS first_awarded_on,
       count(*) AS n_awards,
       count(*) FILTER (WHERE (h.expires_on IS NULL OR h.expires_on > $quarter_end)
                          AND (h.revoked_on IS NULL OR h.revoked_on > $quarter_end)) AS n_valid,
       count(*) FILTER (WHERE h.revoked_on <= $quarter_end) AS n_revoked,
       list_position(['单项冠军', '小巨人', '省级专精特新', '创新型中小企业', '两高四新', '高新技术企业'], h.honor) AS honor_ord
FROM honors h
JOIN enterprises e ON e.enterprise_id = h.enterprise_id
WHERE h.awarded_on <= $quarter_end
  AND e.founded_on <= $quarter_end AND (e.closed_on IS NULL OR e.closed_on > $quarter_end)
  AND h.enterprise_id IN (SELECT enterprise_id FROM dim_scope_enterprise WHERE chain_id = $chain_id AND park_id = $park_id)
GROUP BY h.honor, h.batch
ORDER BY honor_ord, first_awarded_on DESC, h.batch;
