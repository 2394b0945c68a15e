import { describePlan, emptyGovernancePlan, tagResourceKey, type GovernancePlan, type TagResource } from '@carelake/governance';

/** Resources of one tag change listed by name; a change that reaches more is counted instead. */
const NAMED_RESOURCES = 3;

/** How much of a plan the terminal shows. */
export interface PlanListing {
  /** Whether to list every tag assignment instead of counting them. */
  detail?: boolean;
}

/**
 * Describes a governance plan for the terminal. A first plan tags every column of every dataset
 * in hundreds of lines, which hide the grants and filters. So unless `detail` is set, a tag change
 * that reaches more than three resources is one line with counts. Every other change keeps its line.
 */
export function formatPlan(plan: GovernancePlan, listing: PlanListing = {}): string {
  if (listing.detail) return describePlan(plan);

  // LF-tags are created before any resource is tagged with them, as describePlan orders them.
  const tagKeys = planLines({ ...emptyGovernancePlan(), createTags: plan.createTags, updateTags: plan.updateTags });
  const tagLines = [...groupTagChanges('-', plan.unassignTags), ...groupTagChanges('+', plan.assignTags)];
  const rest = planLines({ ...plan, createTags: [], updateTags: [], assignTags: [], unassignTags: [] });
  const lines = [...tagKeys, ...tagLines, ...rest];
  if (lines.length === 0) return 'no changes';

  if (hasCountedGroup(plan.unassignTags) || hasCountedGroup(plan.assignTags)) {
    lines.push('(tag changes are counted; add --detail to list each resource)');
  }
  return lines.join('\n');
}

/** Returns the lines of `describePlan`, none for a plan that changes nothing. */
function planLines(plan: GovernancePlan): string[] {
  const text = describePlan(plan);
  return text === 'no changes' ? [] : text.split('\n');
}

function groupTagChanges(sign: '+' | '-', changes: GovernancePlan['assignTags']): string[] {
  return [...groupByTags(changes)].map(([tags, resources]) => `${sign} tags ${tags} on ${describeResources(resources)}`);
}

function hasCountedGroup(changes: GovernancePlan['assignTags']): boolean {
  return [...groupByTags(changes).values()].some((resources) => resources.length > NAMED_RESOURCES);
}

/** Groups tag changes by their tags, written in key order so that the order in a file does not matter. */
function groupByTags(changes: GovernancePlan['assignTags']): Map<string, TagResource[]> {
  const groups = new Map<string, TagResource[]>();
  for (const change of changes) {
    const tags = Object.entries(change.tags)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => `${key}=${value}`)
      .join(', ');
    groups.set(tags, [...(groups.get(tags) ?? []), change.resource]);
  }
  return groups;
}

function describeResources(resources: TagResource[]): string {
  if (resources.length <= NAMED_RESOURCES) return resources.map(tagResourceKey).join(', ');

  const counts = { column: 0, table: 0, database: 0 };
  for (const resource of resources) counts[resource.kind]++;
  const columnTables = new Set(resources.flatMap((resource) => (resource.kind === 'column' ? [`${resource.database}.${resource.table}`] : [])));
  const columns = counts.column > 0 ? `${countOf(counts.column, 'column')} in ${countOf(columnTables.size, 'table')}` : undefined;
  return [countOf(counts.database, 'database'), countOf(counts.table, 'table'), columns].filter((part) => part !== undefined).join(', ');
}

function countOf(count: number, noun: string): string | undefined {
  if (count === 0) return undefined;
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
