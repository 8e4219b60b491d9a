-- 企业季度快照:在营企业在每个季末的规模、党建与荣誉状态。One row per (quarter_end, enterprise_id), for enterprises in operation at the quarter end.
CREATE TABLE mart_enterprise_quarter AS
WITH hon AS (
    SELECT quarter_end, enterprise_id,
           bool_or(honor = '小巨人') AS is_xjr,
           bool_or(honor = '单项冠军') AS is_dxgj,
           bool_or(honor = '两高四新') AS is_lgsx,
           bool_or(honor = '高新技术企业') AS is_gxjs,
           bool_or(honor = '省级专精特新') AS is_sjzjtx,
           bool_or(honor = '创新型中小企业') AS is_cxx
    FROM mart_honor_valid
    GROUP BY ALL
), sec AS (
    SELECT q.quarter_end, s.enterprise_id, count(*) AS n_secretaries
    FROM secretaries s
    JOIN dim_quarter q ON s.started_on <= q.quarter_end AND (s.ended_on IS NULL OR s.ended_on > q.quarter_end)
    GROUP BY ALL
)
SELECT q.quarter_end, e.enterprise_id, e.park_id,
       e.size IN ('中', '小', '微') AS is_sme,
       e.employees >= 10 AS is_base,
       coalesce(p.org_type, '无') AS org_type,
       coalesce(p.n_members, 0) AS n_members,
       coalesce(p.n_new_members, 0) AS n_new_members,
       coalesce(p.has_liaison, false) AS has_liaison,
       coalesce(p.has_union, false) AS has_union,
       coalesce(p.has_youth_league, false) AS has_youth_league,
       coalesce(s.n_secretaries, 0) > 0 AS has_secretary,
       coalesce(h.is_xjr, false) AS is_xjr,
       coalesce(h.is_dxgj, false) AS is_dxgj,
       coalesce(h.is_lgsx, false) AS is_lgsx,
       coalesce(h.is_gxjs, false) AS is_gxjs,
       coalesce(h.is_sjzjtx, false) AS is_sjzjtx,
       coalesce(h.is_cxx, false) AS is_cxx
FROM dim_quarter q
JOIN enterprises e
  ON e.founded_on <= q.quarter_end AND (e.closed_on IS NULL OR e.closed_on > q.quarter_end)
LEFT JOIN enterprise_party p ON p.enterprise_id = e.enterprise_id AND p.quarter_end = q.quarter_end
LEFT JOIN hon h ON h.enterprise_id = e.enterprise_id AND h.quarter_end = q.quarter_end
LEFT JOIN sec s ON s.enterprise_id = e.enterprise_id AND s.quarter_end = q.quarter_end
ORDER BY q.quarter_end, e.enterprise_id;
