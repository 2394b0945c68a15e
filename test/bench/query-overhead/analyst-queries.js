'use strict';

/**
 * The analyst query set of test/e2e/analyst-queries.test.ts, sized for the
 * generated lake: each returns a few rows, so the time is the query's and
 * not the printing of its result. `carelake` is the SQL an analyst sends to
 * `carelake query` (Trino functions included); `direct` is the same query in
 * DuckDB's own dialect for the baseline.
 */
const ANALYST_QUERIES = [
  {
    name: 'counts by partition',
    carelake: `SELECT effective_month, count(*) AS results, count(DISTINCT patient_key) AS patients
FROM clinical.observations
GROUP BY effective_month
ORDER BY effective_month`,
  },
  {
    name: 'join of encounters and observations',
    carelake: `SELECT e.location_point_of_care AS ward, count(*) AS results, count(DISTINCT o.code) AS codes
FROM clinical.encounters AS e
JOIN clinical.observations AS o ON o.patient_key = e.patient_key
GROUP BY ALL
ORDER BY ward`,
  },
  {
    name: 'window function',
    carelake: `SELECT code, count(*) AS first_results, round(avg(value_number), 2) AS mean_first_value
FROM (
  SELECT code, value_number,
         row_number() OVER (PARTITION BY patient_key, code ORDER BY effective_time, observation_key) AS n
  FROM clinical.observations
)
WHERE n = 1
GROUP BY code
ORDER BY code`,
  },
  {
    name: 'JSON extraction',
    carelake: `SELECT json_extract_scalar(resource_json, '$.code.coding[0].code') AS code, count(*) AS resources,
       round(avg(CAST(json_extract_scalar(resource_json, '$.valueQuantity.value') AS DOUBLE)), 2) AS mean_value
FROM raw.fhir_resources
WHERE resource_type = 'Observation'
GROUP BY 1
ORDER BY 1`,
    direct: `SELECT json_extract_string(resource_json, '$.code.coding[0].code') AS code, count(*) AS resources,
       round(avg(CAST(json_extract_string(resource_json, '$.valueQuantity.value') AS DOUBLE)), 2) AS mean_value
FROM raw.fhir_resources
WHERE resource_type = 'Observation'
GROUP BY 1
ORDER BY 1`,
  },
];

/** A query that reads nothing, for the fixed cost of each invocation. */
const FIXED_COST_QUERY = { name: 'fixed cost (SELECT 1)', carelake: 'SELECT 1 AS one' };

/** The baseline's SQL of a query: its own `direct` text, or the carelake text where DuckDB runs it as is. */
const directSql = (query) => query.direct ?? query.carelake;

module.exports = { ANALYST_QUERIES, FIXED_COST_QUERY, directSql };
