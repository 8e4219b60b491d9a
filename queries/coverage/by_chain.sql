-- 各产业链当季两个覆盖指标(园区筛选时为链×园交叉):基数、组织覆盖率、单独组建率、工作覆盖率、应单独组建、双覆盖空白。One row per chain, plus the 未归链 row.
-- 另含 chain_id = '-' 的“未归链”一行(余项),各行与全区对账。
-- params: quarter_end, park_id
-- rows: chain_id
SELECT k.chain_id, coalesce(c.name, '未归链') AS chain_name, k.chain_id = '-' AS is_remainder, c.coverage_mode,
       k.n_base, k.n_base_org, k.n_base_own_org, k.n_base_work,
       k.org_coverage_rate, k.own_org_rate, k.work_coverage_rate,
       k.n_should_own_org, k.n_base_gap, k.n_party_members, k.n_new_members
FROM mart_kpi k
LEFT JOIN chains c USING (chain_id)
WHERE k.quarter_end = $quarter_end AND k.park_id = $park_id AND k.chain_id <> '*'
ORDER BY is_remainder, k.work_coverage_rate DESC NULLS LAST, c.chain_id;
