-- 数据仓库契约表(原始表与主要集市表)的行数,供指标口径页展示。One row per table.
-- params: none
SELECT 'chains' AS table_name, count(*) AS n_rows FROM chains
UNION ALL SELECT 'parks', count(*) FROM parks
UNION ALL SELECT 'units', count(*) FROM units
UNION ALL SELECT 'enterprises', count(*) FROM enterprises
UNION ALL SELECT 'enterprise_chains', count(*) FROM enterprise_chains
UNION ALL SELECT 'enterprise_party', count(*) FROM enterprise_party
UNION ALL SELECT 'honors', count(*) FROM honors
UNION ALL SELECT 'secretaries', count(*) FROM secretaries
UNION ALL SELECT 'secretary_outcomes', count(*) FROM secretary_outcomes
UNION ALL SELECT 'meetings', count(*) FROM meetings
UNION ALL SELECT 'appeals', count(*) FROM appeals
UNION ALL SELECT 'pairings', count(*) FROM pairings
UNION ALL SELECT 'pairing_activities', count(*) FROM pairing_activities
UNION ALL SELECT 'chain_master_plans', count(*) FROM chain_master_plans
UNION ALL SELECT 'targets', count(*) FROM targets
UNION ALL SELECT 'meta', count(*) FROM meta
UNION ALL SELECT 'dim_quarter', count(*) FROM dim_quarter
UNION ALL SELECT 'dim_scope', count(*) FROM dim_scope
UNION ALL SELECT 'dim_scope_enterprise', count(*) FROM dim_scope_enterprise
UNION ALL SELECT 'dim_enterprise', count(*) FROM dim_enterprise
UNION ALL SELECT 'dim_target_metric', count(*) FROM dim_target_metric
UNION ALL SELECT 'mart_open_appeal', count(*) FROM mart_open_appeal
UNION ALL SELECT 'mart_honor_valid', count(*) FROM mart_honor_valid
UNION ALL SELECT 'mart_enterprise_quarter', count(*) FROM mart_enterprise_quarter
UNION ALL SELECT 'mart_kpi', count(*) FROM mart_kpi
UNION ALL SELECT 'mart_target_status', count(*) FROM mart_target_status;
