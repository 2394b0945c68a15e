import { isDeepStrictEqual } from 'node:util';
import type { StackTemplates } from './template-snapshot';

/** One difference between a reviewed template and a synthesized one. */
export interface TemplateChange {
  stack: string;
  kind: 'stack added' | 'stack removed' | 'resource added' | 'resource removed' | 'property changed';
  /** Logical id of the resource, for resource changes. */
  logicalId?: string;
  /** CloudFormation type of the resource, such as `AWS::S3::Bucket`. */
  resourceType?: string;
  /** Path of the changed value under the resource, such as `Properties.MemorySize`. */
  path?: string;
}

type Resources = Record<string, { Type?: string } & Record<string, unknown>>;

/** Compare templates stack by stack and resource by resource; the changes are sorted. */
export function diffTemplates(before: StackTemplates, after: StackTemplates): TemplateChange[] {
  const changes: TemplateChange[] = [];
  for (const stack of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const old = before[stack];
    const now = after[stack];
    if (!old) {
      changes.push({ stack, kind: 'stack added' });
      continue;
    }
    if (!now) {
      changes.push({ stack, kind: 'stack removed' });
      continue;
    }
    const oldResources = (old['Resources'] ?? {}) as Resources;
    const newResources = (now['Resources'] ?? {}) as Resources;
    for (const logicalId of [...new Set([...Object.keys(oldResources), ...Object.keys(newResources)])].sort()) {
      const a = oldResources[logicalId];
      const b = newResources[logicalId];
      if (!a && b) changes.push({ stack, kind: 'resource added', logicalId, resourceType: b.Type ?? '' });
      else if (a && !b) changes.push({ stack, kind: 'resource removed', logicalId, resourceType: a.Type ?? '' });
      else if (a && b) {
        for (const path of changedPaths(a, b, [])) changes.push({ stack, kind: 'property changed', logicalId, resourceType: b.Type ?? '', path });
      }
    }
    for (const section of ['Parameters', 'Outputs', 'Conditions', 'Rules']) {
      if (!isDeepStrictEqual(old[section], now[section])) changes.push({ stack, kind: 'property changed', path: section });
    }
  }
  return changes;
}

/** Format changes as one line each, like `+ Carelake-Runners RunnerxFunction (AWS::Lambda::Function)`. */
export function formatTemplateChanges(changes: TemplateChange[]): string {
  if (changes.length === 0) return 'no changes against the reviewed snapshot\n';
  const sign = { 'stack added': '+', 'stack removed': '-', 'resource added': '+', 'resource removed': '-', 'property changed': '~' } as const;
  const lines = changes.map((change) => {
    const what = change.logicalId !== undefined ? ` ${change.logicalId} (${change.resourceType ?? ''})` : '';
    const path = change.path !== undefined ? ` ${change.path}` : '';
    return `${sign[change.kind]} ${change.stack}${what}${path}`;
  });
  return `${changes.length} change(s) against the reviewed snapshot:\n${lines.join('\n')}\n`;
}

/** Paths under which two values differ, down to the first array or scalar that differs. */
function changedPaths(a: unknown, b: unknown, path: string[]): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isObject(a) || !isObject(b)) return [path.join('.')];
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().flatMap((key) => changedPaths(a[key], b[key], [...path, key]));
}
