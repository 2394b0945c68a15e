-- clinical.procedures from fhir.procedure: one row per view row, so every Procedure version and
-- every DELETE becomes a clinical version. Portable SQL for DuckDB and Athena; see ../README.md,
-- which also explains the dateTime expression repeated below.
WITH timed_procedure AS (
  SELECT
    p.*,
    coalesce(
      CASE
        WHEN length(p.performed_date_time) = 4 THEN TRY_CAST(p.performed_date_time || '-01-01 00:00:00' AS TIMESTAMP)
        WHEN length(p.performed_date_time) = 7 THEN TRY_CAST(p.performed_date_time || '-01 00:00:00' AS TIMESTAMP)
        WHEN length(p.performed_date_time) = 10 THEN TRY_CAST(p.performed_date_time || ' 00:00:00' AS TIMESTAMP)
        WHEN p.performed_date_time LIKE '%Z' THEN TRY_CAST(replace(substr(p.performed_date_time, 1, length(p.performed_date_time) - 1), 'T', ' ') AS TIMESTAMP)
        ELSE TRY_CAST(replace(substr(p.performed_date_time, 1, length(p.performed_date_time) - 6), 'T', ' ') AS TIMESTAMP)
          - TRY_CAST(substr(p.performed_date_time, length(p.performed_date_time) - 5, 3) AS INTEGER) * INTERVAL '1' HOUR
          - TRY_CAST(substr(p.performed_date_time, length(p.performed_date_time) - 5, 1) || substr(p.performed_date_time, length(p.performed_date_time) - 1, 2) AS INTEGER) * INTERVAL '1' MINUTE
      END,
      CASE
        WHEN length(p.performed_start) = 4 THEN TRY_CAST(p.performed_start || '-01-01 00:00:00' AS TIMESTAMP)
        WHEN length(p.performed_start) = 7 THEN TRY_CAST(p.performed_start || '-01 00:00:00' AS TIMESTAMP)
        WHEN length(p.performed_start) = 10 THEN TRY_CAST(p.performed_start || ' 00:00:00' AS TIMESTAMP)
        WHEN p.performed_start LIKE '%Z' THEN TRY_CAST(replace(substr(p.performed_start, 1, length(p.performed_start) - 1), 'T', ' ') AS TIMESTAMP)
        ELSE TRY_CAST(replace(substr(p.performed_start, 1, length(p.performed_start) - 6), 'T', ' ') AS TIMESTAMP)
          - TRY_CAST(substr(p.performed_start, length(p.performed_start) - 5, 3) AS INTEGER) * INTERVAL '1' HOUR
          - TRY_CAST(substr(p.performed_start, length(p.performed_start) - 5, 1) || substr(p.performed_start, length(p.performed_start) - 1, 2) AS INTEGER) * INTERVAL '1' MINUTE
      END
    ) AS start_time,
    CASE
      WHEN length(p.performed_end) = 4 THEN TRY_CAST(p.performed_end || '-01-01 00:00:00' AS TIMESTAMP)
      WHEN length(p.performed_end) = 7 THEN TRY_CAST(p.performed_end || '-01 00:00:00' AS TIMESTAMP)
      WHEN length(p.performed_end) = 10 THEN TRY_CAST(p.performed_end || ' 00:00:00' AS TIMESTAMP)
      WHEN p.performed_end LIKE '%Z' THEN TRY_CAST(replace(substr(p.performed_end, 1, length(p.performed_end) - 1), 'T', ' ') AS TIMESTAMP)
      ELSE TRY_CAST(replace(substr(p.performed_end, 1, length(p.performed_end) - 6), 'T', ' ') AS TIMESTAMP)
        - TRY_CAST(substr(p.performed_end, length(p.performed_end) - 5, 3) AS INTEGER) * INTERVAL '1' HOUR
        - TRY_CAST(substr(p.performed_end, length(p.performed_end) - 5, 1) || substr(p.performed_end, length(p.performed_end) - 1, 2) AS INTEGER) * INTERVAL '1' MINUTE
    END AS end_time
  FROM fhir.procedure AS p
)

SELECT
  'fhir:' || p.resource_key AS procedure_key,
  'fhir:' || p.patient_key AS patient_key,
  'fhir:' || p.encounter_key AS encounter_key,
  p.status AS status,
  p.code AS code,
  p.code_system AS code_system,
  p.code_display AS code_display,
  p.start_time AS performed_start,
  p.end_time AS performed_end,
  p.reason_code AS reason_code,
  'fhir:' || p.reason_key AS reason_key,
  CASE
    WHEN p.start_time IS NULL THEN 'unknown'
    ELSE substr(CAST(p.start_time AS VARCHAR), 1, 7)
  END AS performed_month,
  p.is_deleted AS is_deleted,
  p.last_updated AS event_time,
  p.record_hash AS record_hash,
  'fhir' AS source_format,
  CAST(NULL AS VARCHAR) AS source_system,
  CASE
    WHEN p.version_id IS NULL THEN p.resource_key
    ELSE p.resource_key || '/_history/' || p.version_id
  END AS source_id,
  p.source_file AS source_file,
  p.source_position AS source_position,
  p.ingested_at AS ingested_at,
  CAST(NULL AS VARCHAR) AS facility
FROM timed_procedure AS p
