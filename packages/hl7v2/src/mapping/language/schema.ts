import { COLUMN_TYPES } from '@carelake/core';
import { z } from 'zod';

/**
 * The shape of a `*.mapping.yaml` file, before the checks that need the whole file (which
 * segments a path may read, which columns exist). docs/guides/hl7v2-mappings.md describes it.
 */

const tableName = z
  .string()
  .regex(/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/, 'must be database.table in lower case');

const columnName = z
  .string()
  .regex(
    /^[a-z_][a-z0-9_]{0,254}$/,
    'must be lower case letters, digits and "_" (the Glue naming rule)',
  );

export const segmentId = z
  .string()
  .regex(
    /^[A-Z][A-Z0-9]{2}$/,
    'must be a segment id: an upper case letter and two letters or digits, such as PV1',
  );

/** `ADT^A01`, or `ADT` for every trigger event of that message code. */
const messageType = z
  .string()
  .regex(
    /^[A-Z0-9]{3}(\^[A-Z0-9]{3})?$/,
    'must be a message type such as ADT^A01, or a message code such as ADT',
  );

const triggerEvent = z.string().regex(/^[A-Z0-9]{3}$/, 'must be a trigger event such as A01');

const oneOrMore = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)]);

export const constantSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** `trigger` matches the message's trigger event; `path` with `equals` matches a value. Both must hold when both are given. */
const conditionSchema = z
  .object({
    trigger: oneOrMore(triggerEvent).optional(),
    path: z.string().optional(),
    equals: oneOrMore(z.string()).optional(),
  })
  .strict()
  .refine((condition) => condition.trigger !== undefined || condition.path !== undefined, {
    message: 'a condition needs trigger, or path with equals',
  })
  .refine((condition) => (condition.path === undefined) === (condition.equals === undefined), {
    message: 'path and equals go together',
  });

/** Sources of a value. A column gives exactly one of them. */
const sourceShape = {
  path: z.string().optional(),
  paths: z.array(z.string()).min(1).optional(),
  template: oneOrMore(z.string()).optional(),
  value: constantSchema.optional(),
  builtin: z.string().optional(),
  column: columnName.optional(),
};

export const SOURCE_KEYS = Object.keys(sourceShape) as Array<keyof typeof sourceShape>;

/** After the source: `year_month` turns a date or timestamp into `YYYY-MM`; `default` replaces null. */
const finishShape = {
  format: z.enum(['year_month']).optional(),
  default: constantSchema.optional(),
};

const branchSchema = z.object({ ...sourceShape, ...finishShape }).strict();

const columnSchema = z
  .object({
    ...sourceShape,
    ...finishShape,
    type: z.enum(COLUMN_TYPES).optional(),
    /** The row is left out when this column maps to null. */
    required: z.boolean().optional(),
    when: conditionSchema.optional(),
    /** Used when `when` does not hold: a constant, or another source. Null when left out. */
    else: z.union([constantSchema, branchSchema]).optional(),
  })
  .strict();

export const mappingFileShape = z
  .object({
    table: tableName,
    description: z.string().optional(),
    /** Message types the file maps; every message when left out. */
    messages: z.array(messageType).min(1).optional(),
    /** `message` for one row per message, or a segment id for one row per such segment. */
    each: z.union([z.literal('message'), segmentId]),
    /** Segments before the row's segment whose fields columns may read; the nearest one counts. */
    context: z.array(segmentId).default([]),
    /** Segments after the row's segment, up to the next row or context segment; the first of each id counts. */
    following: z.array(segmentId).default([]),
    /** ED, RP and document text larger than this many bytes go to an attachment instead of a column. */
    maxInlineBytes: z.number().int().min(0).default(65_536),
    columns: z.record(columnName, columnSchema),
  })
  .strict();

export type MappingFile = z.output<typeof mappingFileShape>;
export type ColumnDefinition = MappingFile['columns'][string];
export type BranchDefinition = z.output<typeof branchSchema>;
export type ConditionDefinition = NonNullable<ColumnDefinition['when']>;
export type Constant = z.output<typeof constantSchema>;
