-- clinical.encounters from fhir.encounter: one row per view row, so every Encounter version and
-- every DELETE becomes a clinical version. Portable SQL for DuckDB and Athena; see ../README.md,
-- which also explains the dateTime expression repeated below.
WITH timed_encounter AS (
  SELECT
    e.*,
    CASE
      WHEN length(e.period_start) = 4 THEN TRY_CAST(e.period_start || '-01-01 00:00:00' AS TIMESTAMP)
      WHEN length(e.period_start) = 7 THEN TRY_CAST(e.period_start || '-01 00:00:00' AS TIMESTAMP)
      WHEN length(e.period_start) = 10 THEN TRY_CAST(e.period_start || ' 00:00:00' AS TIMESTAMP)
      WHEN e.period_start LIKE '%Z' THEN TRY_CAST(replace(substr(e.period_start, 1, length(e.period_start) - 1), 'T', ' ') AS TIMESTAMP)
      ELSE TRY_CAST(replace(substr(e.period_start, 1, length(e.period_start) - 6), 'T', ' ') AS TIMESTAMP)
        - TRY_CAST(substr(e.period_start, length(e.period_start) - 5, 3) AS INTEGER) * INTERVAL '1' HOUR
        - TRY_CAST(substr(e.period_start, length(e.period_start) - 5, 1) || substr(e.period_start, length(e.period_start) - 1, 2) AS INTEGER) * INTERVAL '1' MINUTE
    END AS admit_time,
    CASE
      WHEN length(e.period_end) = 4 THEN TRY_CAST(e.period_end || '-01-01 00:00:00' AS TIMESTAMP)
      WHEN length(e.period_end) = 7 THEN TRY_CAST(e.period_end || '-01 00:00:00' AS TIMESTAMP)
      WHEN length(e.period_end) = 10 THEN TRY_CAST(e.period_end || ' 00:00:00' AS TIMESTAMP)
      WHEN e.period_end LIKE '%Z' THEN TRY_CAST(replace(substr(e.period_end, 1, length(e.period_end) - 1), 'T', ' ') AS TIMESTAMP)
      ELSE TRY_CAST(replace(substr(e.period_end, 1, length(e.period_end) - 6), 'T', ' ') AS TIMESTAMP)
        - TRY_CAST(substr(e.period_end, length(e.period_end) - 5, 3) AS INTEGER) * INTERVAL '1' HOUR
        - TRY_CAST(substr(e.period_end, length(e.period_end) - 5, 1) || substr(e.period_end, length(e.period_end) - 1, 2) AS INTEGER) * INTERVAL '1' MINUTE
    END AS discharge_time
  FROM fhir.encounter AS e
)

SELECT
  'fhir:' || e.resource_key AS encounter_key,
  'fhir:' || e.patient_key AS patient_key,
  e.id AS visit_number,
  -- The HL7 table 0004 class of the v3 ActCode classes that have one; class_code keeps the code.
  CASE e.class_code
    WHEN 'EMER' THEN 'E'
    WHEN 'IMP' THEN 'I'
    WHEN 'ACUTE' THEN 'I'
    WHEN 'NONAC' THEN 'I'
    WHEN 'AMB' THEN 'O'
    WHEN 'PRENC' THEN 'P'
  END AS patient_class,
  CAST(NULL AS VARCHAR) AS location_point_of_care,
  CAST(NULL AS VARCHAR) AS location_room,
  CAST(NULL AS VARCHAR) AS location_bed,
  CAST(NULL AS VARCHAR) AS location_facility,
  CAST(NULL AS VARCHAR) AS admission_type,
  CAST(NULL AS VARCHAR) AS attending_id,
  CAST(NULL AS VARCHAR) AS attending_name,
  CAST(NULL AS VARCHAR) AS referring_id,
  CAST(NULL AS VARCHAR) AS admitting_id,
  CAST(NULL AS VARCHAR) AS hospital_service,
  CAST(NULL AS VARCHAR) AS admit_source,
  e.discharge_disposition_code AS discharge_disposition,
  CAST(NULL AS VARCHAR) AS discharged_to_location,
  e.admit_time AS admit_time,
  e.discharge_time AS discharge_time,
  CAST(NULL AS TIMESTAMP) AS expected_admit_time,
  CAST(NULL AS TIMESTAMP) AS expected_discharge_time,
  e.reason_code AS admit_reason_code,
  e.reason_display AS admit_reason,
  e.reason_system AS admit_reason_system,
  e.status AS status,
  e.class_code AS class_code,
  e.type_code AS type_code,
  e.type_system AS type_system,
  e.type_display AS type_display,
  e.practitioner_key AS practitioner_key,
  e.location_key AS location_key,
  CAST(NULL AS VARCHAR) AS event_type,
  CASE
    WHEN e.admit_time IS NULL THEN 'unknown'
    ELSE substr(CAST(e.admit_time AS VARCHAR), 1, 7)
  END AS admit_month,
  e.is_deleted AS is_deleted,
  e.last_updated AS event_time,
  e.record_hash AS record_hash,
  'fhir' AS source_format,
  CAST(NULL AS VARCHAR) AS source_system,
  CASE
    WHEN e.version_id IS NULL THEN e.resource_key
    ELSE e.resource_key || '/_history/' || e.version_id
  END AS source_id,
  e.source_file AS source_file,
  e.source_position AS source_position,
  e.ingested_at AS ingested_at,
  e.service_provider_key AS facility
FROM timed_encounter AS e
