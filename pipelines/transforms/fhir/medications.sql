-- clinical.medications from fhir.medication_request: one row per view row, so every
-- MedicationRequest version and every DELETE becomes a clinical version. Portable SQL for DuckDB
-- and Athena; see ../README.md, which also explains the dateTime expression below.
WITH timed_request AS (
  SELECT
    m.*,
    CASE
      WHEN length(m.authored_on) = 4 THEN TRY_CAST(m.authored_on || '-01-01 00:00:00' AS TIMESTAMP)
      WHEN length(m.authored_on) = 7 THEN TRY_CAST(m.authored_on || '-01 00:00:00' AS TIMESTAMP)
      WHEN length(m.authored_on) = 10 THEN TRY_CAST(m.authored_on || ' 00:00:00' AS TIMESTAMP)
      WHEN m.authored_on LIKE '%Z' THEN TRY_CAST(replace(substr(m.authored_on, 1, length(m.authored_on) - 1), 'T', ' ') AS TIMESTAMP)
      ELSE TRY_CAST(replace(substr(m.authored_on, 1, length(m.authored_on) - 6), 'T', ' ') AS TIMESTAMP)
        - TRY_CAST(substr(m.authored_on, length(m.authored_on) - 5, 3) AS INTEGER) * INTERVAL '1' HOUR
        - TRY_CAST(substr(m.authored_on, length(m.authored_on) - 5, 1) || substr(m.authored_on, length(m.authored_on) - 1, 2) AS INTEGER) * INTERVAL '1' MINUTE
    END AS authored_time
  FROM fhir.medication_request AS m
)

SELECT
  'fhir:' || m.resource_key AS medication_key,
  'fhir:' || m.patient_key AS patient_key,
  'fhir:' || m.encounter_key AS encounter_key,
  m.status AS status,
  m.intent AS intent,
  m.medication_code AS code,
  m.medication_system AS code_system,
  m.medication_display AS code_display,
  m.medication_key AS medication_reference,
  m.authored_time AS authored_time,
  m.requester_key AS requester_key,
  m.reason_code AS reason_code,
  m.dosage_text AS dosage_text,
  CASE
    WHEN m.authored_time IS NULL THEN 'unknown'
    ELSE substr(CAST(m.authored_time AS VARCHAR), 1, 7)
  END AS authored_month,
  m.is_deleted AS is_deleted,
  m.last_updated AS event_time,
  m.record_hash AS record_hash,
  'fhir' AS source_format,
  CAST(NULL AS VARCHAR) AS source_system,
  CASE
    WHEN m.version_id IS NULL THEN m.resource_key
    ELSE m.resource_key || '/_history/' || m.version_id
  END AS source_id,
  m.source_file AS source_file,
  m.source_position AS source_position,
  m.ingested_at AS ingested_at,
  CAST(NULL AS VARCHAR) AS facility
FROM timed_request AS m
