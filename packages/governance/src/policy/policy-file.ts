import { CLASSIFICATIONS, IDENTIFIER_KINDS } from '@carelake/core';
import { z } from 'zod';
import { RowFilterSyntaxError } from '../errors';
import { parseRowFilter } from '../filter/parse-row-filter';
import type { RowFilter } from '../filter/syntax-tree';

/** Permissions a policy grants, each mapped to Lake Formation permissions when applied. */
export const POLICY_PERMISSIONS = ['select', 'describe', 'steward', 'admin'] as const;
export type PolicyPermission = (typeof POLICY_PERMISSIONS)[number];

/** Same rule as principal names in carelake.yaml. */
const LOCAL_NAME = /^[a-z][a-z0-9_-]{0,63}$/;
/** An IAM role or user ARN, the principals Lake Formation grants to. */
export const IAM_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/;

const localName = z.string().regex(LOCAL_NAME, 'must be a name declared in carelake.yaml (lower case letters, digits, "_" or "-")');
const principalName = z
  .string()
  .refine((value) => LOCAL_NAME.test(value) || IAM_ARN.test(value), {
    message: 'must be a principal declared in carelake.yaml or an IAM role or user ARN (arn:aws:iam::<account>:role/<name>)',
  });
const iamArn = z.string().regex(IAM_ARN, 'must be an IAM role or user ARN, such as arn:aws:iam::111122223333:role/analysts');
const catalogName = z.string().regex(/^[a-z_][a-z0-9_]{0,254}$/, 'must be lower case letters, digits and "_" (the Glue naming rule)');
const tableName = z.string().regex(/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/, 'must be database.table in lower case');
const tableOrWildcard = z
  .string()
  .regex(/^[a-z_][a-z0-9_]*\.([a-z_][a-z0-9_]*|\*)$/, 'must be database.table, or database.* for every table of the database');
const filterName = z
  .string()
  .regex(/^[a-z0-9_][a-z0-9_-]{0,254}$/, 'must be lower case letters, digits, "_" or "-", at most 255 characters');

/** Lake Formation stores LF-tag keys and values in lower case and its guide limits them to 50 characters. */
const TAG_TEXT = /^[a-z0-9_.:/=+@%-]{1,50}$/;
const tagText = z
  .string()
  .regex(TAG_TEXT, 'must be 1 to 50 lower case letters, digits or _ . : / = + - @ % (Lake Formation stores LF-tags in lower case)');
/** A single value, or a list that `checkPolicies` rejects when it contains more than one. */
const tagValueOrList = z.union([tagText, z.array(tagText).min(1)]).transform((value) => (Array.isArray(value) ? value : [value]));

/** Build a record schema that reports an invalid key with the key schema's message, not zod's generic one. */
function namedRecord<K extends z.ZodType<string>, V extends z.ZodType>(key: K, value: V) {
  return z.record(key, value, {
    error: (issue) => (issue.code === 'invalid_key' ? issue.issues[0]?.message : undefined),
  });
}

const columnsSchema = z
  .object({
    include: z.array(catalogName).min(1).optional(),
    exclude: z.array(catalogName).min(1).optional(),
    /** Leave out every column of these classifications, for each table the entry names. */
    excludeClassifications: z.array(z.enum(CLASSIFICATIONS)).min(1).optional(),
    /** Leave out every column whose dataset marks one of these identifier kinds. */
    excludeIdentifiers: z.array(z.enum(IDENTIFIER_KINDS)).min(1).optional(),
  })
  .strict()
  .refine((columns) => columns.include ?? columns.exclude ?? columns.excludeClassifications ?? columns.excludeIdentifiers, {
    message: 'needs include, exclude, excludeClassifications or excludeIdentifiers',
  });
export type ColumnsSpec = z.output<typeof columnsSchema>;

/** Parsed at load time, so a filter outside the subset is reported with the file's other problems. */
const rowFilterSchema = z.string().transform((text, context): RowFilter | null => {
  // The Lake Formation console writes `true` for "all rows".
  if (text.trim().toLowerCase() === 'true') return null;
  try {
    return { text, tree: parseRowFilter(text) };
  } catch (error) {
    if (!(error instanceof RowFilterSyntaxError)) throw error;
    context.addIssue({ code: 'custom', message: `invalid row filter: ${error.message}` });
    return z.NEVER;
  }
});

const attributesSchema = z
  .object({
    /** May be granted columns classified phi. */
    phiAllowed: z.boolean().default(false),
    /**
     * May be granted columns classified limited (a HIPAA limited data set: dates, places and ages
     * without direct identifiers), as under a data use agreement. Left out, it follows phiAllowed.
     */
    limitedAllowed: z.boolean().optional(),
    /** The IAM role or user that stands for this principal or group on AWS. */
    arn: iamArn.optional(),
    description: z.string().optional(),
  })
  .strict()
  .superRefine((attributes, context) => {
    if (attributes.phiAllowed && attributes.limitedAllowed === false) {
      context.addIssue({
        code: 'custom',
        path: ['limitedAllowed'],
        message: 'must not be false when phiAllowed is true: a principal that may read phi may read limited columns; remove limitedAllowed',
      });
    }
  });

const grantee = {
  principal: principalName.optional(),
  group: localName.optional(),
};

function exactlyOne(value: Record<string, unknown>, keys: readonly string[], context: z.RefinementCtx): void {
  const present = keys.filter((key) => value[key] !== undefined);
  if (present.length === 1) return;
  context.addIssue({
    code: 'custom',
    path: present.length > 1 ? [present[1] as string] : [],
    message: present.length === 0 ? `needs one of ${keys.join(', ')}` : `takes only one of ${keys.join(', ')}, found ${present.join(' and ')}`,
  });
}

const grantSchema = z
  .object({
    ...grantee,
    database: catalogName.optional(),
    table: tableOrWildcard.optional(),
    tables: z.array(tableName).min(1).optional(),
    permissions: z.array(z.enum(POLICY_PERMISSIONS)).min(1),
    columns: columnsSchema.optional(),
    /** Names of data cells filters of the granted table(s); SELECT then reaches only their rows and columns. */
    filters: z.array(filterName).min(1).optional(),
    /** Lets the grantee grant the same permissions on (`PermissionsWithGrantOption`). */
    grantOption: z.boolean().default(false),
  })
  .strict()
  .superRefine((grant, context) => {
    exactlyOne(grant, ['principal', 'group'], context);
    exactlyOne(grant, ['database', 'table', 'tables'], context);
  });

const dataCellsFilterSchema = z
  .object({
    name: filterName,
    table: tableName.optional(),
    /** The same filter created on each of these tables, for tables that share the filtered columns. */
    tables: z.array(tableName).min(1).optional(),
    /** Rows to keep, in Lake Formation's PartiQL subset; left out (or `true`) for every row. */
    rows: rowFilterSchema.optional(),
    columns: columnsSchema.optional(),
    description: z.string().optional(),
  })
  .strict()
  .superRefine((filter, context) => exactlyOne(filter, ['table', 'tables'], context));

const tagAssignmentSchema = z
  .object({
    database: catalogName.optional(),
    table: tableName.optional(),
    /** With `table`, attach the tags to these columns instead of the table. */
    columns: z.array(catalogName).min(1).optional(),
    tags: namedRecord(tagText, tagValueOrList),
  })
  .strict()
  .superRefine((assignment, context) => {
    exactlyOne(assignment, ['database', 'table'], context);
    if (assignment.columns !== undefined && assignment.table === undefined) {
      context.addIssue({ code: 'custom', path: ['columns'], message: 'needs table: columns are attached by table' });
    }
  });

const lfTagSchema = z
  .object({
    values: z.array(tagText).min(1),
    /** Attach each table's classification (and each column's, where it differs) as this tag's value. */
    fromDatasets: z.literal('classification').optional(),
    description: z.string().optional(),
  })
  .strict();

const tagGrantSchema = z
  .object({
    ...grantee,
    /** Lake Formation's `LFTagPolicy.ResourceType`: permissions on matching databases or tables. */
    resourceType: z.enum(['database', 'table']),
    /** Every key must match (AND); several values of one key are alternatives (OR). */
    expression: namedRecord(tagText, tagValueOrList).refine((expression) => Object.keys(expression).length > 0, {
      message: 'needs at least one LF-tag key',
    }),
    permissions: z.array(z.enum(POLICY_PERMISSIONS)).min(1),
    grantOption: z.boolean().default(false),
  })
  .strict()
  .superRefine((grant, context) => exactlyOne(grant, ['principal', 'group'], context));

/** A `pipelines/policies/*.policy.yaml` file. */
export const policyFileSchema = z
  .object({
    description: z.string().optional(),
    principals: namedRecord(principalName, attributesSchema).default({}),
    groups: namedRecord(localName, attributesSchema).default({}),
    lfTags: namedRecord(tagText, lfTagSchema).default({}),
    tagAssignments: z.array(tagAssignmentSchema).default([]),
    dataCellsFilters: z.array(dataCellsFilterSchema).default([]),
    grants: z.array(grantSchema).default([]),
    tagGrants: z.array(tagGrantSchema).default([]),
  })
  .strict();

export type PolicyFile = z.output<typeof policyFileSchema>;
