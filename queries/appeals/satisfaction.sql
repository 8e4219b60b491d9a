-- 本季办结诉求的满意度(1–5 分):已评价件数、平均分及各分值件数。One row.
-- params: quarter_end, chain_id, park_id
SELECT count(a.satisfaction) AS n_rated,
       count(*) AS n_resolved,
       avg(a.satisfaction) AS avg_satisfaction,
       count(*) FILTER (WHERE a.satisfaction = 5) AS n_5,
       count(*) FILTER (WHERE a.satisfaction = 4) AS n_4,
       count(*) FILTER (WHERE a.satisfaction = 3) AS n_3,
       count(*) FILTER (WHERE a.satisfaction = 2) AS n_2,
       count(*) FILTER (WHERE a.satisfaction = 1) AS n_1
FROM appeals a
WHERE a.resolved_on BETWEEN CAST(date_trunc('quarter', CAST($quarter_end AS DATE)) AS DATE) AND $quarter_end
  AND ($chain_id = '*' OR a.chain_id = $chain_id)
  AND ($park_id = '*' OR a.park_id = $park_id);
