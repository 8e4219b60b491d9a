-- 季度维表:党建统计中出现的每个季末,及其季初、上季末、上年同季末、年初与当年已过时间占比(季度数 ÷ 4)。One row per (quarter_end).
CREATE TABLE dim_quarter AS
SELECT quarter_end,
       CAST(year(quarter_end) AS INTEGER) AS year,
       CAST(quarter(quarter_end) AS INTEGER) AS quarter,
       CAST(year(quarter_end) AS VARCHAR) || 'Q' || CAST(quarter(quarter_end) AS VARCHAR) AS label,
       CAST(date_trunc('quarter', quarter_end) AS DATE) AS quarter_start,
       CAST(date_trunc('quarter', quarter_end) - INTERVAL 1 DAY AS DATE) AS prev_quarter_end,
       CAST(last_day(quarter_end - INTERVAL 1 YEAR) AS DATE) AS yoy_quarter_end,
       CAST(date_trunc('year', quarter_end) AS DATE) AS year_start,
       quarter(quarter_end) / 4.0 AS year_share
FROM (SELECT DISTINCT quarter_end FROM enterprise_party)
ORDER BY quarter_end;
