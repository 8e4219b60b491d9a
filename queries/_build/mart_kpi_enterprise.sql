-- 企业类指标(按范围聚合,范围内企业取自桥表 dim_scope_enterprise)。One row per (quarter_end, chain_id, park_id), for scopes that have enterprises.
CREATE TABLE mart_kpi_enterprise AS
SELECT eq.quarter_end, b.chain_id, b.park_id,
       count(*) AS n_enterprises,
       count(*) FILTER (WHERE eq.is_sme) AS n_sme,
       count(*) FILTER (WHERE eq.is_xjr) AS n_xjr,
       count(*) FILTER (WHERE eq.is_dxgj) AS n_dxgj,
       count(*) FILTER (WHERE eq.is_lgsx) AS n_lgsx,
       count(*) FILTER (WHERE eq.is_gxjs) AS n_gxjs,
       count(*) FILTER (WHERE eq.is_sjzjtx) AS n_sjzjtx,
       count(*) FILTER (WHERE eq.is_cxx) AS n_cxx,
       count(*) FILTER (WHERE eq.is_base) AS n_base,
       count(*) FILTER (WHERE eq.is_base AND eq.org_type <> '无') AS n_base_org,
       count(*) FILTER (WHERE eq.is_base AND eq.org_type = '单独组建') AS n_base_own_org,
       count(*) FILTER (WHERE eq.is_base AND (eq.org_type <> '无' OR eq.has_liaison OR eq.has_secretary)) AS n_base_work,
       count(*) FILTER (WHERE eq.is_base AND eq.n_members >= 3 AND eq.org_type <> '单独组建') AS n_should_own_org,
       count(*) FILTER (WHERE eq.is_base AND eq.org_type = '无' AND NOT eq.has_liaison AND NOT eq.has_secretary) AS n_base_gap,
       coalesce(sum(eq.n_members) FILTER (WHERE eq.is_base), 0) AS n_party_members,
       coalesce(sum(eq.n_new_members) FILTER (WHERE eq.is_base), 0) AS n_new_members
FROM mart_enterprise_quarter eq
JOIN dim_scope_enterprise b ON b.enterprise_id = eq.enterprise_id
GROUP BY ALL;
