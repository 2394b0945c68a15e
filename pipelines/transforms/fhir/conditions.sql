-- clinical.conditions from fhir.condition: one row per view row, so every Condition version and
-- every DELETE becomes a clinical version. Portable SQL for DuckDB and Athena; see ../README.md,
-- which also explains the dateTime expression repeated below.
WITH timed_condition AS (
  SELECT
    c.*,
    CASE
      WHEN length(c.onset_date_time) = 4 THEN TRY_CAST(c.onset_date_time || '-01-01 00:00:00' AS TIMESTAMP)
      WHEN length(c.onset_date_time) = 7 THEN TRY_CAST(c.onset_date_time || '-01 00:00:00' AS TIMESTAMP)
      WHEN length(c.onset_date_time) = 10 THEN TRY_CAST(c.onset_date_time || ' 00:00:00' AS TIMESTAMP)
      WHEN c.onset_date_time LIKE '%Z' THEN TRY_CAST(replace(substr(c.onset_date_time, 1, length(c.onset_date_time) - 1), 'T', ' ') AS TIMESTAMP)
      ELSE TRY_CAST(replace(substr(c.onset_date_time, 1, length(c.onset_date_time) - 6), 'T', ' ') AS TIMESTAMP)
        - TRY_CAST(substr(c.onset_date_time, length(c.onset_date_time) - 5, 3) AS INTEGER) * INTERVAL '1' HOUR
        - TRY_CAST(substr(c.onset_date_time, length(c.onset_date_time) - 5, 1) || substr(c.onset_date_time, length(c.onset_date_time) - 1, 2) AS INTEGER) * INTERVAL '1' MINUTE
    END AS onset_time,
    CASE
      WHEN length(c.abatement_date_time) = 4 THEN TRY_CAST(c.abatement_date_time || '-01-01 00:00:00' AS TIMESTAMP)
      WHEN length(c.abatement_date_time) = 7 THEN TRY_CAST(c.abatement_date_time || '-01 00:00:00' AS TIMESTAMP)
      WHEN length(c.abatement_date_time) = 10 THEN TRY_CAST(c.abatement_date_time || ' 00:00:00' AS TIMESTAMP)
      WHEN c.abatement_date_time LIKE '%Z' THEN TRY_CAST(replace(substr(c.abatement_date_time, 1, length(c.abatement_date_time) - 1), 'T', ' ') AS TIMESTAMP)
      ELSE TRY_CAST(replace(substr(c.abatement_date_time, 1, length(c.abatement_date_time) - 6), 'T', ' ') AS TIMESTAMP)
        - TRY_CAST(substr(c.abatement_date_time, length(c.abatement_date_time) - 5, 3) AS INTEGER) * INTERVAL '1' HOUR
        - TRY_CAST(substr(c.abatement_date_time, length(c.abatement_date_time) - 5, 1) || substr(c.abatement_date_time, length(c.abatement_date_time) - 1, 2) AS INTEGER) * INTERVAL '1' MINUTE
    END AS abatement_time,
    CASE
      WHEN length(c.recorded_date) = 4 THEN TRY_CAST(c.recorded_date || '-01-01 00:00:00' AS TIMESTAMP)
      WHEN length(c.recorded_date) = 7 THEN TRY_CAST(c.recorded_date || '-01 00:00:00' AS TIMESTAMP)
      WHEN length(c.recorded_date) = 10 THEN TRY_CAST(c.recorded_date || ' 00:00:00' AS TIMESTAMP)
      WHEN c.recorded_date LIKE '%Z' THEN TRY_CAST(replace(substr(c.recorded_date, 1, length(c.recorded_date) - 1), 'T', ' ') AS TIMESTAMP)
      ELSE TRY_CAST(replace(substr(c.recorded_date, 1, length(c.recorded_date) - 6), 'T', ' ') AS TIMESTAMP)
        - TRY_CAST(substr(c.recorded_date, length(c.recorded_date) - 5, 3) AS INTEGER) * INTERVAL '1' HOUR
        - TRY_CAST(substr(c.recorded_date, length(c.recorded_date) - 5, 1) || substr(c.recorded_date, length(c.recorded_date) - 1, 2) AS INTEGER) * INTERVAL '1' MINUTE
    END AS recorded_time
  FROM fhir.condition AS c
)

SELECT
  'fhir:' || c.resource_key AS condition_key,
  'fhir:' || c.patient_key AS patient_key,
  'fhir:' || c.encounter_key AS encounter_key,
  c.clinical_status AS clinical_status,
  c.verification_status AS verification_status,
  c.category_code AS category_code,
  c.code AS code,
  c.code_system AS code_system,
  c.code_display AS code_display,
  c.code_text AS code_text,
  c.onset_time AS onset_time,
  c.abatement_time AS abatement_time,
  c.recorded_time AS recorded_time,
  CASE
    WHEN coalesce(c.onset_time, c.recorded_time) IS NULL THEN 'unknown'
    ELSE substr(CAST(coalesce(c.onset_time, c.recorded_time) AS VARCHAR), 1, 7)
  END AS onset_month,
  c.is_deleted AS is_deleted,
  c.last_updated AS event_time,
  c.record_hash AS record_hash,
  -- The runner fills code_flags after its vocabulary check.
  CAST(NULL AS VARCHAR) AS code_flags,
  'fhir' AS source_format,
  CAST(NULL AS VARCHAR) AS source_system,
  CASE
    WHEN c.version_id IS NULL THEN c.resource_key
    ELSE c.resource_key || '/_history/' || c.version_id
  END AS source_id,
  c.source_file AS source_file,
  c.source_position AS source_position,
  c.ingested_at AS ingested_at,
  CAST(NULL AS VARCHAR) AS facility
FROM timed_condition AS c
