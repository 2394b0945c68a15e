// Naming rule for databases, tables, columns and partition keys.
//
// Glue's API accepts any single-line UTF-8 string of 1 to 255 bytes and folds
// table names to lower case (AWS Glue API reference, `TableInput.Name`). Athena,
// which queries these tables, supports only lower case letters, digits and the
// underscore, at most 255 characters. A name may start with a digit or an
// underscore, and such names are quoted in queries (Athena User Guide, "Names
// for tables, databases, and columns"). The catalog enforces Athena's rule so
// that every registered table can be queried. Dataset files are stricter still,
// because their names must not start with a digit.

import { InvalidCatalogNameError, type CatalogIssue } from './errors';

export const MAX_CATALOG_NAME_LENGTH = 255;

const NAME_PATTERN = /^[a-z0-9_]+$/;

export type CatalogNameKind = 'database' | 'table' | 'column' | 'partition key';

/** Return the part of the naming rule that `name` breaks, or undefined for a valid name. */
export function brokenNameRule(name: string): string | undefined {
  if (name.length === 0 || name.length > MAX_CATALOG_NAME_LENGTH) {
    return `a name must be 1 to ${MAX_CATALOG_NAME_LENGTH} characters long, found ${name.length}`;
  }
  if (!NAME_PATTERN.test(name)) {
    return 'a name may contain only lower case letters a-z, digits 0-9 and "_"';
  }
  return undefined;
}

/** Check one name and describe the problem, or return undefined when it is valid. */
export function catalogNameIssue(
  kind: CatalogNameKind,
  name: string,
  keyPath: string,
): CatalogIssue | undefined {
  const rule = brokenNameRule(name);
  if (rule === undefined) return undefined;
  return { keyPath, message: `invalid ${kind} name "${shorten(name)}": ${rule}` };
}

/** Raise `InvalidCatalogNameError` when `name` breaks the naming rule. */
export function assertCatalogName(kind: CatalogNameKind, name: string): void {
  const issue = catalogNameIssue(kind, name, kind);
  if (issue) throw invalidNamesError([issue]);
}

/** Build one error that lists every invalid name found in a request. */
export function invalidNamesError(issues: CatalogIssue[]): InvalidCatalogNameError {
  const [first] = issues;
  const message = first && issues.length === 1 ? first.message : `${issues.length} invalid names`;
  return new InvalidCatalogNameError(message, issues, {
    hint: 'Use lower case letters, digits and "_" only, 1 to 255 characters, as Glue and Athena require.',
  });
}

/** Long names are cut in messages so that a 300-character mistake stays readable. */
function shorten(name: string): string {
  return name.length <= 64 ? name : `${name.slice(0, 60)}...`;
}
