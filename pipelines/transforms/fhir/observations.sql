-- clinical.observations from fhir.observation and fhir.observation_component. An Observation
-- with components and no value of its own (a blood pressure) gives one row per component, keyed
-- fhir:Observation/<id>#<0-based component index>; any other Observation, and a DELETE, gives
-- one row keyed fhir:Observation/<id>. Portable SQL for DuckDB and Athena; see ../README.md,
-- which also explains the dateTime expression repeated below.
WITH observation_version AS (
  SELECT
    o.*,
    (
      o.value_quantity IS NOT NULL OR o.value_unit IS NOT NULL OR o.value_unit_code IS NOT NULL
      OR o.value_code IS NOT NULL OR o.value_code_system IS NOT NULL OR o.value_code_display IS NOT NULL
      OR o.value_string IS NOT NULL OR o.value_boolean IS NOT NULL OR o.value_integer IS NOT NULL
      OR o.value_date_time IS NOT NULL
    ) AS has_own_value,
    CASE
      WHEN length(o.effective_period_start) = 4 THEN TRY_CAST(o.effective_period_start || '-01-01 00:00:00' AS TIMESTAMP)
      WHEN length(o.effective_period_start) = 7 THEN TRY_CAST(o.effective_period_start || '-01 00:00:00' AS TIMESTAMP)
      WHEN length(o.effective_period_start) = 10 THEN TRY_CAST(o.effective_period_start || ' 00:00:00' AS TIMESTAMP)
      WHEN o.effective_period_start LIKE '%Z' THEN TRY_CAST(replace(substr(o.effective_period_start, 1, length(o.effective_period_start) - 1), 'T', ' ') AS TIMESTAMP)
      ELSE TRY_CAST(replace(substr(o.effective_period_start, 1, length(o.effective_period_start) - 6), 'T', ' ') AS TIMESTAMP)
        - TRY_CAST(substr(o.effective_period_start, length(o.effective_period_start) - 5, 3) AS INTEGER) * INTERVAL '1' HOUR
        - TRY_CAST(substr(o.effective_period_start, length(o.effective_period_start) - 5, 1) || substr(o.effective_period_start, length(o.effective_period_start) - 1, 2) AS INTEGER) * INTERVAL '1' MINUTE
    END AS period_start_time,
    CASE
      WHEN o.issued LIKE '%Z' THEN TRY_CAST(replace(substr(o.issued, 1, length(o.issued) - 1), 'T', ' ') AS TIMESTAMP)
      ELSE TRY_CAST(replace(substr(o.issued, 1, length(o.issued) - 6), 'T', ' ') AS TIMESTAMP)
        - TRY_CAST(substr(o.issued, length(o.issued) - 5, 3) AS INTEGER) * INTERVAL '1' HOUR
        - TRY_CAST(substr(o.issued, length(o.issued) - 5, 1) || substr(o.issued, length(o.issued) - 1, 2) AS INTEGER) * INTERVAL '1' MINUTE
    END AS issued_time
  FROM fhir.observation AS o
),

-- The values of an Observation itself, and of its DELETE rows.
observation_row AS (
  SELECT
    'fhir:' || o.resource_key AS observation_key,
    o.code AS code,
    o.code_system AS code_system,
    o.code_display AS code_display,
    o.value_quantity AS value_quantity,
    o.value_unit AS value_unit,
    o.value_unit_code AS value_unit_code,
    o.value_code AS value_code,
    o.value_code_system AS value_code_system,
    o.value_code_display AS value_code_display,
    o.value_string AS value_string,
    o.value_boolean AS value_boolean,
    o.value_integer AS value_integer,
    o.value_date_time AS value_date_time,
    o.interpretation_code AS interpretation,
    o.performer_organization_display AS facility_name,
    o.effective_date_time AS effective_date_time,
    o.period_start_time AS period_start_time,
    o.issued_time AS issued_time,
    o.patient_key AS patient_key,
    o.status AS status,
    o.resource_key AS resource_key,
    o.version_id AS version_id,
    o.last_updated AS last_updated,
    o.is_deleted AS is_deleted,
    o.record_hash AS record_hash,
    o.source_file AS source_file,
    o.source_position AS source_position,
    o.ingested_at AS ingested_at
  FROM observation_version AS o
  WHERE o.is_deleted OR o.has_own_value OR coalesce(o.component_count, 0) = 0
),

-- One row per component of an Observation without a value of its own. A component row and its
-- Observation row come from the same resource version, so they share file and position.
-- NOTE: a DELETE, or a version with fewer components, leaves the older #<index> rows in
-- clinical.observations_current, because nothing names their keys again.
component_row AS (
  SELECT
    'fhir:' || c.resource_key || '#' || CAST(c.component_index AS VARCHAR) AS observation_key,
    c.code AS code,
    c.code_system AS code_system,
    c.code_display AS code_display,
    c.value_quantity AS value_quantity,
    c.value_unit AS value_unit,
    c.value_unit_code AS value_unit_code,
    c.value_code AS value_code,
    c.value_code_system AS value_code_system,
    c.value_code_display AS value_code_display,
    c.value_string AS value_string,
    c.value_boolean AS value_boolean,
    c.value_integer AS value_integer,
    CAST(NULL AS VARCHAR) AS value_date_time,
    CAST(NULL AS VARCHAR) AS interpretation,
    o.performer_organization_display AS facility_name,
    c.effective_date_time AS effective_date_time,
    o.period_start_time AS period_start_time,
    o.issued_time AS issued_time,
    c.patient_key AS patient_key,
    o.status AS status,
    c.resource_key AS resource_key,
    c.version_id AS version_id,
    c.last_updated AS last_updated,
    c.is_deleted AS is_deleted,
    c.record_hash AS record_hash,
    c.source_file AS source_file,
    c.source_position AS source_position,
    c.ingested_at AS ingested_at
  FROM fhir.observation_component AS c
  JOIN observation_version AS o
    ON o.resource_key = c.resource_key
    AND o.source_file = c.source_file
    AND o.source_position = c.source_position
  -- is_deleted on a component row marks an Observation without components, which has its own row.
  WHERE NOT c.is_deleted AND NOT o.is_deleted AND NOT o.has_own_value
),

result_row AS (
  SELECT * FROM observation_row
  UNION ALL
  SELECT * FROM component_row
),

timed_row AS (
  SELECT
    r.*,
    CASE
      WHEN r.value_quantity IS NOT NULL OR r.value_unit IS NOT NULL OR r.value_unit_code IS NOT NULL THEN 'Quantity'
      WHEN r.value_code IS NOT NULL OR r.value_code_system IS NOT NULL OR r.value_code_display IS NOT NULL THEN 'CodeableConcept'
      WHEN r.value_string IS NOT NULL THEN 'String'
      WHEN r.value_boolean IS NOT NULL THEN 'Boolean'
      WHEN r.value_integer IS NOT NULL THEN 'Integer'
      WHEN r.value_date_time IS NOT NULL THEN 'DateTime'
    END AS value_type,
    coalesce(
      CASE
        WHEN length(r.effective_date_time) = 4 THEN TRY_CAST(r.effective_date_time || '-01-01 00:00:00' AS TIMESTAMP)
        WHEN length(r.effective_date_time) = 7 THEN TRY_CAST(r.effective_date_time || '-01 00:00:00' AS TIMESTAMP)
        WHEN length(r.effective_date_time) = 10 THEN TRY_CAST(r.effective_date_time || ' 00:00:00' AS TIMESTAMP)
        WHEN r.effective_date_time LIKE '%Z' THEN TRY_CAST(replace(substr(r.effective_date_time, 1, length(r.effective_date_time) - 1), 'T', ' ') AS TIMESTAMP)
        ELSE TRY_CAST(replace(substr(r.effective_date_time, 1, length(r.effective_date_time) - 6), 'T', ' ') AS TIMESTAMP)
          - TRY_CAST(substr(r.effective_date_time, length(r.effective_date_time) - 5, 3) AS INTEGER) * INTERVAL '1' HOUR
          - TRY_CAST(substr(r.effective_date_time, length(r.effective_date_time) - 5, 1) || substr(r.effective_date_time, length(r.effective_date_time) - 1, 2) AS INTEGER) * INTERVAL '1' MINUTE
      END,
      r.period_start_time,
      r.issued_time
    ) AS effective_time,
    CASE
      WHEN length(r.value_date_time) = 4 THEN TRY_CAST(r.value_date_time || '-01-01 00:00:00' AS TIMESTAMP)
      WHEN length(r.value_date_time) = 7 THEN TRY_CAST(r.value_date_time || '-01 00:00:00' AS TIMESTAMP)
      WHEN length(r.value_date_time) = 10 THEN TRY_CAST(r.value_date_time || ' 00:00:00' AS TIMESTAMP)
      WHEN r.value_date_time LIKE '%Z' THEN TRY_CAST(replace(substr(r.value_date_time, 1, length(r.value_date_time) - 1), 'T', ' ') AS TIMESTAMP)
      ELSE TRY_CAST(replace(substr(r.value_date_time, 1, length(r.value_date_time) - 6), 'T', ' ') AS TIMESTAMP)
        - TRY_CAST(substr(r.value_date_time, length(r.value_date_time) - 5, 3) AS INTEGER) * INTERVAL '1' HOUR
        - TRY_CAST(substr(r.value_date_time, length(r.value_date_time) - 5, 1) || substr(r.value_date_time, length(r.value_date_time) - 1, 2) AS INTEGER) * INTERVAL '1' MINUTE
    END AS value_time
  FROM result_row AS r
)

SELECT
  t.observation_key AS observation_key,
  'fhir:' || t.patient_key AS patient_key,
  CAST(NULL AS VARCHAR) AS order_key,
  CAST(NULL AS VARCHAR) AS observation_sub_id,
  t.code AS code,
  t.code_system AS code_system,
  t.code_display AS code_display,
  t.value_type AS value_type,
  CASE t.value_type
    -- A decimal cast and trailing zeros trimmed, because the engines format a DOUBLE differently.
    WHEN 'Quantity' THEN regexp_replace(CAST(TRY_CAST(t.value_quantity AS DECIMAL(38, 9)) AS VARCHAR), '\.?0+$', '')
    WHEN 'CodeableConcept' THEN t.value_code_display
    WHEN 'String' THEN t.value_string
    WHEN 'Boolean' THEN CASE WHEN t.value_boolean THEN 'true' ELSE 'false' END
    WHEN 'Integer' THEN CAST(t.value_integer AS VARCHAR)
    WHEN 'DateTime' THEN t.value_date_time
  END AS value_text,
  coalesce(t.value_quantity, CAST(t.value_integer AS DOUBLE)) AS value_number,
  CAST(NULL AS DOUBLE) AS value_number_high,
  CAST(NULL AS VARCHAR) AS value_comparator,
  t.value_code AS value_code,
  t.value_code_system AS value_code_system,
  t.value_time AS value_time,
  CAST(NULL AS VARCHAR) AS value_ref,
  CAST(NULL AS BIGINT) AS value_size,
  CAST(NULL AS VARCHAR) AS value_media_type,
  coalesce(t.value_unit, t.value_unit_code) AS unit,
  -- The observation views carry no referenceRange or comparator, so FHIR rows have no
  -- reference_range or value_comparator. The facility is the performing organization's display.
  CAST(NULL AS VARCHAR) AS reference_range,
  t.interpretation AS interpretation,
  t.status AS status,
  t.effective_time AS effective_time,
  CASE
    WHEN t.effective_time IS NULL THEN 'unknown'
    ELSE substr(CAST(t.effective_time AS VARCHAR), 1, 7)
  END AS effective_month,
  t.is_deleted AS is_deleted,
  t.last_updated AS event_time,
  t.record_hash AS record_hash,
  -- The runner fills code_flags after its vocabulary check.
  CAST(NULL AS VARCHAR) AS code_flags,
  'fhir' AS source_format,
  CAST(NULL AS VARCHAR) AS source_system,
  CASE
    WHEN t.version_id IS NULL THEN t.resource_key
    ELSE t.resource_key || '/_history/' || t.version_id
  END AS source_id,
  t.source_file AS source_file,
  t.source_position AS source_position,
  t.ingested_at AS ingested_at,
  t.facility_name AS facility
FROM timed_row AS t
