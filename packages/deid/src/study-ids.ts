import { randomUUID } from 'node:crypto';
import { DeidError } from './errors';

/** One link from a random study id to its patient. The caller stores these where only stewards can read them. */
export interface CrosswalkEntry {
  studyId: string;
  patientKey: string;
}

const MAX_DRAWS_PER_PATIENT = 10;

/**
 * Hands out random study ids, one per patient, reusing the ids of a stored crosswalk. The ids
 * come from a random source and not from any identifier, as a Safe Harbor re-identification
 * code must (45 CFR 164.514(c)), so the crosswalk is the only way back to the patient.
 */
export class StudyIdAssigner {
  private readonly byPatient = new Map<string, string>();
  private readonly usedIds = new Set<string>();
  private readonly added: CrosswalkEntry[] = [];

  constructor(
    existing: Iterable<CrosswalkEntry>,
    private readonly randomStudyId: () => string = randomUUID,
  ) {
    for (const entry of existing) {
      this.byPatient.set(entry.patientKey, entry.studyId);
      this.usedIds.add(entry.studyId);
    }
  }

  /** Returns the patient's study id, drawing a new one on first sight. */
  studyIdFor(patientKey: string): string {
    const known = this.byPatient.get(patientKey);
    if (known !== undefined) return known;
    for (let draw = 0; draw < MAX_DRAWS_PER_PATIENT; draw += 1) {
      const candidate = this.randomStudyId();
      if (this.usedIds.has(candidate)) continue;
      this.byPatient.set(patientKey, candidate);
      this.usedIds.add(candidate);
      this.added.push({ studyId: candidate, patientKey });
      return candidate;
    }
    throw new DeidError(`the random study id source returned ids already in use ${MAX_DRAWS_PER_PATIENT} times in a row`, {
      hint: 'Pass a random source with enough entropy, such as crypto.randomUUID.',
    });
  }

  /** Entries drawn during this run, in the order the patients were first seen. */
  addedEntries(): CrosswalkEntry[] {
    return [...this.added];
  }
}
