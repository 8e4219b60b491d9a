-- 年度目标指标维表(行由 dashboard/kpis.py 的 TARGET_METRICS 写入):指标、中文名、类型(flow 流量 / stock 存量与比率)、对应 mart_kpi 列与排序。One row per (metric).
CREATE TABLE dim_target_metric (
    metric   VARCHAR PRIMARY KEY,
    label    VARCHAR NOT NULL,
    kind     VARCHAR NOT NULL CHECK (kind IN ('flow', 'stock')),
    unit     VARCHAR NOT NULL,
    sort     INTEGER NOT NULL
);
