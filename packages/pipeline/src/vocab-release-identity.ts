import { basename } from 'node:path';
import { detectReleaseFile, icd10FiscalYearStart, readCvxTable } from '@carelake/vocab';
import { VocabRefreshError } from './vocab-errors';
import type { LocatedRelease } from './vocab-release-files';
import type { VocabSource } from './vocab-source';

/** The version and effective date that a loaded release is recorded under. */
export interface ReleaseIdentity {
  version: string;
  /** First day the release's codes apply, `YYYY-MM-DD`. */
  effective: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH_NAME = /jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec/i;

/**
 * Returns the release's version and effective date: the ones given, else what its files show.
 *
 * - SNOMED CT: the namespace and date of the concept Snapshot file name (`US1000124_20250301`).
 * - ICD-10: fiscal year N from a file name such as `icd10cm_order_2025.txt`, effective on October 1
 *   of N-1. A mid-year update, whose name has a month, must be given.
 * - LOINC: the version in a folder or file name such as `Loinc_2.80`; the effective date must be given.
 * - RxNorm: the date of a folder such as `RxNorm_full_09022025`, as both.
 * - CVX: the newest "last updated date" of the table, as both.
 * - OMOP: both must be given.
 *
 * Raises `VocabRefreshError` naming the options to pass for what is still unknown.
 */
export async function identifyRelease(
  source: VocabSource,
  located: LocatedRelease,
  given: { version?: string; effective?: string },
): Promise<ReleaseIdentity> {
  if (given.effective !== undefined && !ISO_DATE.test(given.effective)) {
    throw new VocabRefreshError(`the effective date "${given.effective}" is not written YYYY-MM-DD`, {
      hint: 'Pass --effective as the first day the release applies, such as 2025-03-01.',
    });
  }
  const derived = await deriveIdentity(source, located);
  const version = given.version ?? derived.version;
  const effective = given.effective ?? derived.effective;
  if (version === undefined || effective === undefined) {
    const unknown = [version === undefined ? 'version' : '', effective === undefined ? 'effective date' : ''];
    const options = [version === undefined ? '--version' : '', effective === undefined ? '--effective YYYY-MM-DD' : ''];
    throw new VocabRefreshError(
      `the ${unknown.filter(Boolean).join(' and ')} of this ${source.system} release cannot be read from its files`,
      { hint: `Pass ${options.filter(Boolean).join(' and ')}, as the publisher's release notes state them.` },
    );
  }
  return { version, effective };
}

async function deriveIdentity(
  source: VocabSource,
  located: LocatedRelease,
): Promise<Partial<ReleaseIdentity>> {
  const names = located.files.map((file) => file.name);
  const where = located.location.kind === 'path' ? located.location.path : located.location.uri;
  switch (source.format) {
    case 'snomed-rf2':
      return snomedIdentity(names);
    case 'icd10':
      return icd10Identity(names);
    case 'loinc': {
      const match = [where, ...names].map((text) => /loinc[_ -]?(\d+\.\d+)/i.exec(text)).find(Boolean);
      return match ? { version: match[1] as string } : {};
    }
    case 'rxnorm': {
      const match = [where, ...names].map((text) => /rxnorm_full_(\d{2})(\d{2})(\d{4})/i.exec(text)).find(Boolean);
      if (!match) return {};
      const date = `${match[3]}-${match[1]}-${match[2]}`;
      return { version: date, effective: date };
    }
    case 'cvx':
      return cvxIdentity(located);
    case 'omop':
      return {};
  }
}

function snomedIdentity(names: readonly string[]): Partial<ReleaseIdentity> {
  for (const name of names) {
    const info = detectReleaseFile(name);
    if (info?.system === 'snomedct' && info.kind === 'Concept' && info.releaseType === 'Snapshot') {
      return { version: `${info.namespace}_${info.effectiveTime.replace(/-/g, '')}`, effective: info.effectiveTime };
    }
  }
  return {};
}

function icd10Identity(names: readonly string[]): Partial<ReleaseIdentity> {
  for (const name of names) {
    const info = detectReleaseFile(name);
    if ((info?.system === 'icd10cm' || info?.system === 'icd10pcs') && info.year !== undefined) {
      if (MONTH_NAME.test(basename(name))) return {};
      return { version: `FY${info.year}`, effective: icd10FiscalYearStart(info.year) };
    }
  }
  return {};
}

async function cvxIdentity(located: LocatedRelease): Promise<Partial<ReleaseIdentity>> {
  let newest: string | undefined;
  for (const file of located.files) {
    if (detectReleaseFile(file.name)?.system !== 'cvx') continue;
    for await (const item of readCvxTable(file.open(), { file: file.name })) {
      const updated = item.kind === 'record' ? item.record.lastUpdated : undefined;
      if (updated !== undefined && (newest === undefined || updated > newest)) newest = updated;
    }
  }
  return newest === undefined ? {} : { version: newest, effective: newest };
}
