-- 单个企业近 12 个季度的党建状况:组织形式、党员数、新发展党员、党建指导员/联络员、工会、团组织。One row per quarter up to Q.
-- params: enterprise_id, quarter_end
WITH ep AS (
    SELECT * FROM enterprise_party WHERE enterprise_id = $enterprise_id AND quarter_end <= $quarter_end
)
SELECT q.quarter_end, q.label AS quarter_label,
       coalesce(ep.org_type, '无') AS org_type, coalesce(ep.n_members, 0) AS n_members,
       coalesce(ep.n_new_members, 0) AS n_new_members, coalesce(ep.has_liaison, false) AS has_liaison,
       coalesce(ep.has_union, false) AS has_union, coalesce(ep.has_youth_league, false) AS has_youth_league,
       ep.enterprise_id IS NOT NULL AS is_surveyed
FROM (SELECT * FROM dim_quarter WHERE quarter_end <= $quarter_end ORDER BY quarter_end DESC LIMIT 12) q
LEFT JOIN ep ON ep.quarter_end = q.quarter_end
ORDER BY q.quarter_end;
