-- clinical.patients from fhir.patient: one row per view row, so every Patient version and every
-- DELETE becomes a clinical version. Portable SQL for DuckDB and Athena; see ../README.md.
SELECT
  'fhir:' || p.resource_key AS patient_key,
  p.id AS patient_id,
  -- NOTE: the patient view carries no identifier system, so FHIR rows have no assigning_authority.
  CAST(NULL AS VARCHAR) AS assigning_authority,
  p.family_name AS family_name,
  -- given_names joins the given names of the first name with spaces; the first is the given name.
  NULLIF(split_part(p.given_names, ' ', 1), '') AS given_name,
  -- A partial FHIR date (YYYY or YYYY-MM) stands for its first day.
  TRY_CAST(
    CASE length(p.birth_date)
      WHEN 4 THEN p.birth_date || '-01-01'
      WHEN 7 THEN p.birth_date || '-01'
      ELSE p.birth_date
    END AS DATE
  ) AS birth_date,
  p.gender AS sex,
  p.city AS city,
  p.state AS state,
  p.postal_code AS postal_code,
  p.country AS country,
  p.managing_organization_key AS primary_facility,
  p.general_practitioner_key AS primary_care_provider_id,
  CAST(NULL AS VARCHAR) AS merged_into_key,
  CAST(NULL AS VARCHAR) AS event_type,
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
  p.managing_organization_key AS facility
FROM fhir.patient AS p
