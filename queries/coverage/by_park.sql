-- 各园区当季两个覆盖指标(产业链筛选时为链×园交叉):基数、组织覆盖率、单独组建率、工作覆盖率、应单独组建、双覆盖空白。One row per park, plus the 未入园 row.
-- 另含 park_id = '-' 的“未入园”一行(余项),各行与全区对账。
-- params: quarter_end, chain_id
-- rows: park_id
SELECT k.park_id, coalesce(p.name, '未入园') AS park_name, k.park_id = '-' AS is_remainder, p.has_park_chief,
       k.n_base, k.n_base_org, k.n_base_own_org, k.n_base_work,
       k.org_coverage_rate, k.own_org_rate, k.work_coverage_rate,
       k.n_should_own_org, k.n_base_gap, k.n_party_members, k.n_new_members
FROM mart_kpi k
LEFT JOIN parks p USING (park_id)
WHERE k.quarter_end = $quarter_end AND k.chain_id = $chain_id AND k.park_id <> '*'
ORDER BY is_remainder, k.work_coverage_rate DESC NULLS LAST, p.park_id;
