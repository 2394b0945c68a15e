import { CLASSIFICATIONS, parseYamlDocument } from '@carelake/core';
import { z } from 'zod';
import { TRANSITION_STORAGE_CLASSES } from './storage-classes';


const policyName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be lower case letters, digits and "-", starting with a letter');

const transitionSchema = z
  .object({
    /** Age of the object in days, counted by S3 from its creation, at which it moves. */
    days: z.number().int().nonnegative(),
    storageClass: z.enum(TRANSITION_STORAGE_CLASSES),
  })
  .strict();

/** How long one regulation in one jurisdiction requires records to be kept. */
const retentionSchema = z
  .object({
    regulation: z.string().min(1),
    /** ISO 3166 country or subdivision code, such as `US` or `US-NY`. */
    jurisdiction: z.string().min(1),
    days: z.number().int().positive(),
  })
  .strict();

const policySchema = z
  .object({
    description: z.string().min(1),
    transitions: z.array(transitionSchema).default([]),
    retention: z.array(retentionSchema).default([]),
    /**
     * Age in days at which objects expire. When left out, objects expire after the longest
     * retention that applies in the lake's jurisdictions, and never when none applies.
     */
    expireAfterDays: z.number().int().positive().optional(),
    /** Keep objects forever, even when retention entries are listed. */
    neverExpire: z.boolean().default(false),
    /**
     * Rendered as `ObjectSizeGreaterThan`, so that only objects larger than this many bytes are
     * transitioned or expired by the rule.
     */
    minObjectSizeBytes: z.number().int().nonnegative().optional(),
  })
  .strict();

export const lifecyclePolicyFileSchema = z
  .object({
    description: z.string().optional(),
    policies: z.record(policyName, policySchema),
    /** Policy of each classification, for datasets whose catalog entry names no `retention`. */
    defaults: z.partialRecord(z.enum(CLASSIFICATIONS), policyName).default({}),
  })
  .strict()
  .superRefine((file, context) => {
    for (const [classification, name] of Object.entries(file.defaults)) {
      if (name !== undefined && !(name in file.policies)) {
        context.addIssue({
          code: 'custom',
          path: ['defaults', classification],
          message: `names policy "${name}", which is not declared under policies (declared: ${Object.keys(file.policies).join(', ') || 'none'})`,
        });
      }
    }
  });

export type LifecyclePolicyFile = z.output<typeof lifecyclePolicyFileSchema>;
export type LifecyclePolicy = LifecyclePolicyFile['policies'][string];
export type PolicyTransition = LifecyclePolicy['transitions'][number];
export type RetentionRequirement = LifecyclePolicy['retention'][number];

/** Parses a `*.lifecycle.yaml` file, raising a `ConfigError` that lists every invalid key path. */
export function parseLifecyclePolicyFile(text: string, file: string): LifecyclePolicyFile {
  return parseYamlDocument(text, file, lifecyclePolicyFileSchema);
}
