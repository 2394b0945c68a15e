-- clinical.immunizations from fhir.immunization: one row per view row, so every Immunization
-- version and every DELETE becomes a clinical version. Portable SQL for DuckDB and Athena; see
-- ../README.md, which also explains the dateTime expression below.
WITH timed_immunization AS (
  SELECT
    i.*,
    CASE
      WHEN length(i.occurrence_date_time) = 4 THEN TRY_CAST(i.occurrence_date_time || '-01-01 00:00:00' AS TIMESTAMP)
      WHEN length(i.occurrence_date_time) = 7 THEN TRY_CAST(i.occurrence_date_time || '-01 00:00:00' AS TIMESTAMP)
      WHEN length(i.occurrence_date_time) = 10 THEN TRY_CAST(i.occurrence_date_time || ' 00:00:00' AS TIMESTAMP)
      WHEN i.occurrence_date_time LIKE '%Z' THEN TRY_CAST(replace(substr(i.occurrence_date_time, 1, length(i.occurrence_date_time) - 1), 'T', ' ') AS TIMESTAMP)
      ELSE TRY_CAST(replace(substr(i.occurrence_date_time, 1, length(i.occurrence_date_time) - 6), 'T', ' ') AS TIMESTAMP)
        - TRY_CAST(substr(i.occurrence_date_time, length(i.occurrence_date_time) - 5, 3) AS INTEGER) * INTERVAL '1' HOUR
        - TRY_CAST(substr(i.occurrence_date_time, length(i.occurrence_date_time) - 5, 1) || substr(i.occurrence_date_time, length(i.occurrence_date_time) - 1, 2) AS INTEGER) * INTERVAL '1' MINUTE
    END AS administered_time
  FROM fhir.immunization AS i
)

SELECT
  'fhir:' || i.resource_key AS immunization_key,
  'fhir:' || i.patient_key AS patient_key,
  CAST(NULL AS VARCHAR) AS filler_order_number,
  i.administered_time AS administered_time,
  i.vaccine_code AS vaccine_code,
  i.vaccine_system AS vaccine_code_system,
  i.vaccine_display AS vaccine_display,
  CAST(NULL AS DOUBLE) AS amount,
  CAST(NULL AS VARCHAR) AS amount_unit,
  -- NIP001: 00 is a new record, given by the reporting organization; 01 is historical.
  CASE
    WHEN i.primary_source THEN '00'
    WHEN NOT i.primary_source THEN '01'
  END AS information_source,
  CAST(NULL AS VARCHAR) AS administering_provider_id,
  i.lot_number AS lot_number,
  CAST(NULL AS DATE) AS expiration_date,
  CAST(NULL AS VARCHAR) AS manufacturer_code,
  CAST(NULL AS VARCHAR) AS manufacturer_name,
  CASE i.status
    WHEN 'completed' THEN 'CP'
    WHEN 'not-done' THEN 'NA'
  END AS completion_status,
  CAST(NULL AS VARCHAR) AS action_code,
  i.route_code AS route,
  i.site_code AS site,
  i.status AS status,
  'fhir:' || i.encounter_key AS encounter_key,
  CAST(NULL AS VARCHAR) AS event_type,
  CASE
    WHEN i.administered_time IS NULL THEN 'unknown'
    ELSE substr(CAST(i.administered_time AS VARCHAR), 1, 7)
  END AS administered_month,
  i.is_deleted AS is_deleted,
  i.last_updated AS event_time,
  i.record_hash AS record_hash,
  -- The runner fills code_flags after its vocabulary check.
  CAST(NULL AS VARCHAR) AS code_flags,
  'fhir' AS source_format,
  CAST(NULL AS VARCHAR) AS source_system,
  CASE
    WHEN i.version_id IS NULL THEN i.resource_key
    ELSE i.resource_key || '/_history/' || i.version_id
  END AS source_id,
  i.source_file AS source_file,
  i.source_position AS source_position,
  i.ingested_at AS ingested_at,
  CAST(NULL AS VARCHAR) AS facility
FROM timed_immunization AS i
