/**
 * Micro-benchmark of the view engine, not a jest test. It reads the Synthea bundles of the
 * shared test data, runs every resource through eleven views and, for the Patient view,
 * compares the column expressions with the `fhirpath` package (the benchmark peer only).
 *
 *   npx tsc -b tsconfig.lib.json && node dist/views/views.bench.js
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { JsonObject } from '../types';
import { compileViewDefinition, type CompiledView } from './view-compiler';

const SYNTHEA_DIR = path.resolve(__dirname, '../../../../../shared/testdata/fhir/synthea');
const MIN_DURATION_MS = 1_000;

type Column = [name: string, path: string, type?: string];

function view(resource: string, columns: Column[], extra: object = {}): object {
  return {
    resource,
    select: [
      {
        column: columns.map(([name, expression, type]) => ({
          name,
          path: expression,
          ...(type ? { type } : {}),
        })),
      },
    ],
    ...extra,
  };
}

const PATIENT_COLUMNS: Column[] = [
  ['id', 'getResourceKey()'],
  ['mrn', "identifier.where(type.coding.code = 'MR').value.first()"],
  ['ssn', "identifier.where(system = 'http://hl7.org/fhir/sid/us-ssn').value.first()"],
  ['family', "name.where(use = 'official').family.first()"],
  ['given', "name.where(use = 'official').given.join(' ')"],
  ['prefix', 'name.prefix.first()'],
  ['gender', 'gender'],
  ['birth_date', 'birthDate'],
  ['deceased', 'deceased.ofType(dateTime)'],
  ['deceased_flag', 'deceased.ofType(boolean)'],
  ['marital_status', 'maritalStatus.coding.code.first()'],
  ['multiple_birth', 'multipleBirth.ofType(boolean)'],
  ['phone', "telecom.where(system = 'phone').value.first()"],
  ['line', 'address.line.first()'],
  ['city', 'address.city.first()'],
  ['state', 'address.state.first()'],
  ['postal_code', 'address.postalCode.first()'],
  ['country', 'address.country.first()'],
  ['language', 'communication.language.coding.code.first()'],
  [
    'race',
    "extension('http://hl7.org/fhir/us/core/StructureDefinition/us-core-race').extension('ombCategory').value.ofType(Coding).code.first()",
  ],
];

const VIEWS = [
  view('Patient', PATIENT_COLUMNS),
  {
    resource: 'Observation',
    select: [
      {
        column: [
          { name: 'id', path: 'getResourceKey()' },
          { name: 'status', path: 'status' },
          { name: 'category', path: 'category.coding.code.first()' },
          { name: 'code_system', path: 'code.coding.system.first()' },
          { name: 'code', path: 'code.coding.code.first()' },
          { name: 'code_text', path: 'code.text' },
          { name: 'patient', path: 'subject.getReferenceKey(Patient)' },
          { name: 'encounter', path: 'encounter.getReferenceKey(Encounter)' },
          { name: 'effective', path: 'effective.ofType(dateTime)' },
          { name: 'issued', path: 'issued' },
          { name: 'value_number', path: 'value.ofType(Quantity).value' },
          { name: 'value_unit', path: 'value.ofType(Quantity).code' },
          { name: 'value_code', path: 'value.ofType(CodeableConcept).coding.code.first()' },
          { name: 'value_text', path: 'value.ofType(string)' },
        ],
      },
      {
        forEachOrNull: 'component',
        column: [
          { name: 'component_code', path: 'code.coding.code.first()' },
          { name: 'component_value', path: 'value.ofType(Quantity).value' },
          { name: 'component_unit', path: 'value.ofType(Quantity).code' },
        ],
      },
    ],
  },
  view('Encounter', [
    ['id', 'getResourceKey()'],
    ['status', 'status'],
    ['class', 'class.code'],
    ['type', 'type.coding.code.first()'],
    ['patient', 'subject.getReferenceKey(Patient)'],
    ['start', 'period.start'],
    ['end', 'period.end'],
    ['provider', 'serviceProvider.getReferenceKey(Organization)'],
    ['reason', 'reasonCode.coding.code.first()'],
  ]),
  view('Condition', [
    ['id', 'getResourceKey()'],
    ['clinical_status', 'clinicalStatus.coding.code.first()'],
    ['verification_status', 'verificationStatus.coding.code.first()'],
    ['code', 'code.coding.code.first()'],
    ['patient', 'subject.getReferenceKey(Patient)'],
    ['onset', 'onset.ofType(dateTime)'],
    ['abatement', 'abatement.ofType(dateTime)'],
    ['recorded', 'recordedDate'],
  ]),
  view('Procedure', [
    ['id', 'getResourceKey()'],
    ['status', 'status'],
    ['code', 'code.coding.code.first()'],
    ['patient', 'subject.getReferenceKey(Patient)'],
    ['start', 'performed.ofType(Period).start'],
    ['end', 'performed.ofType(Period).end'],
  ]),
  view('Immunization', [
    ['id', 'getResourceKey()'],
    ['status', 'status'],
    ['vaccine', 'vaccineCode.coding.code.first()'],
    ['patient', 'patient.getReferenceKey(Patient)'],
    ['occurrence', 'occurrence.ofType(dateTime)'],
    ['primary_source', 'primarySource'],
  ]),
  view('DiagnosticReport', [
    ['id', 'getResourceKey()'],
    ['status', 'status'],
    ['code', 'code.coding.code.first()'],
    ['patient', 'subject.getReferenceKey(Patient)'],
    ['effective', 'effective.ofType(dateTime)'],
    ['result_count', 'result.count()'],
  ]),
  view('CarePlan', [
    ['id', 'getResourceKey()'],
    ['status', 'status'],
    ['intent', 'intent'],
    ['category', 'category.coding.code.first()'],
    ['patient', 'subject.getReferenceKey(Patient)'],
    ['start', 'period.start'],
  ]),
  view('Claim', [
    ['id', 'getResourceKey()'],
    ['status', 'status'],
    ['patient', 'patient.getReferenceKey(Patient)'],
    ['created', 'created'],
    ['total', 'total.value'],
    ['items', 'item.count()'],
  ]),
  view('Organization', [
    ['id', 'getResourceKey()'],
    ['name', 'name'],
    ['type', 'type.coding.code.first()'],
    ['city', 'address.city.first()'],
  ]),
  view('Practitioner', [
    ['id', 'getResourceKey()'],
    ['npi', "identifier.where(system = 'http://hl7.org/fhir/sid/us-npi').value.first()"],
    ['family', 'name.family.first()'],
    ['gender', 'gender'],
  ]),
];

function readResources(): JsonObject[] {
  return readdirSync(SYNTHEA_DIR)
    .filter((file) => file.endsWith('.json'))
    .flatMap((file) => {
      const bundle = JSON.parse(readFileSync(path.join(SYNTHEA_DIR, file), 'utf8')) as {
        entry?: Array<{ resource: JsonObject }>;
      };
      return (bundle.entry ?? []).map((entry) => entry.resource);
    });
}

/** Run `round` until MIN_DURATION_MS have passed and return rounds per second. */
function measure(round: () => void): number {
  for (let warmup = 0; warmup < 50; warmup++) round();
  let rounds = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < MIN_DURATION_MS) {
    round();
    rounds++;
    elapsed = performance.now() - start;
  }
  return (rounds * 1000) / elapsed;
}

async function main(): Promise<void> {
  const resources = readResources();
  const views: CompiledView[] = VIEWS.map((definition, index) =>
    compileViewDefinition(definition, { name: `view_${index}` }),
  );
  let rowCount = 0;
  const allViewsRoundsPerSecond = measure(() => {
    rowCount = 0;
    for (const resource of resources)
      for (const compiled of views) rowCount += compiled.evaluate(resource).length;
  });
  console.log(
    `${resources.length} resources through ${views.length} views: ${rowCount} rows per round`,
  );
  console.log(
    `  ${Math.round(allViewsRoundsPerSecond * resources.length).toLocaleString('en-US')} resources/s`,
  );

  const patients = resources.filter((resource) => resource.resourceType === 'Patient');
  const patientView = views[0] as CompiledView;
  const viewRate = measure(() => {
    for (const patient of patients) patientView.evaluate(patient);
  });
  const microsPerView = 1e6 / (viewRate * patients.length);
  console.log(
    `Patient view (${PATIENT_COLUMNS.length} columns): ${microsPerView.toFixed(2)} µs per resource`,
  );

  const fhirpath = (await import('fhirpath')).default;
  const r4 = (await import('fhirpath/fhir-context/r4')).default;
  const compiledPaths = PATIENT_COLUMNS.map(([, expression]) =>
    fhirpath.compile(expression.replace('getResourceKey()', 'id'), r4),
  );
  const peerRate = measure(() => {
    for (const patient of patients) for (const evaluate of compiledPaths) evaluate(patient);
  });
  const peerMicros = 1e6 / (peerRate * patients.length);
  console.log(
    `fhirpath package, same ${compiledPaths.length} expressions: ${peerMicros.toFixed(2)} µs per resource`,
  );
  console.log(`  the view engine is ${(peerMicros / microsPerView).toFixed(1)} times faster`);
}

void main();
