import {
  count,
  itemAt,
  type Collection,
  type EvaluationEnv,
  type ItemEvaluator,
} from './fhirpath/collection';
import type { Compiled } from './fhirpath/compiled';
import { FhirPathCompileError } from './fhirpath/errors';
import { singleTypeCode, UNKNOWN_TYPE, type StaticType } from './fhirpath/types';
import type { ColumnDefinition, ExpressionDefinition, SelectDefinition } from './view-definition';
import type { ViewEvaluationError } from './errors';

/** A column of the compiled view and the slot its values are written to. */
export interface CompiledColumn {
  definition: ColumnDefinition;
  /** 0-based position of the column in the row. */
  slot: number;
  /** The FHIR type the view declares or, failing that, the one the compiler inferred. */
  type: string | undefined;
}

/** Called once for each complete row, when every slot has its value. */
export type RowSink = () => void;

/**
 * Produces the rows of one select for one focus item: writes the select's slots in
 * `values` and calls `next` once per row. A select without rows never calls `next`.
 */
export type SelectRunner = (
  focus: unknown,
  env: EvaluationEnv,
  values: unknown[],
  next: RowSink,
) => void;

export interface CompiledSelect {
  run: SelectRunner;
  columns: CompiledColumn[];
}

/** Services the select compiler needs from the view compiler. */
export interface SelectCompileHost {
  /** Compile an expression, adding an issue and returning undefined when it is invalid. */
  compileExpression(expression: ExpressionDefinition, focusType: StaticType): Compiled | undefined;
  /**
   * Compile an expression, raising `FhirPathCompileError` also for elements the model does
   * not define. `repeat` uses it to find the types each of its paths applies to.
   */
  compileStrict(expression: ExpressionDefinition, focusType: StaticType): Compiled;
  /** Record a problem found while compiling. */
  addIssue(keyPath: string, message: string): void;
  /** Wrap an evaluator so that FHIRPath evaluation errors name the view, the key path and the resource. */
  guard(evaluate: ItemEvaluator, keyPath: string): ItemEvaluator;
  /** Build the error for a non-collection column that met several values. */
  multipleValues(
    keyPath: string,
    columnName: string,
    valueCount: number,
    env: EvaluationEnv,
  ): ViewEvaluationError;
}

type ColumnSetter = (focus: unknown, env: EvaluationEnv, values: unknown[]) => void;

/**
 * Compiles the select tree of a view into runners. Columns get slots in the order the
 * specification sets: a select's own columns, then those of its nested selects, then
 * those of its `unionAll`, whose branches share one set of slots.
 */
export class SelectCompiler {
  private slotCount = 0;

  constructor(private readonly host: SelectCompileHost) {}

  get columnCount(): number {
    return this.slotCount;
  }

  compile(select: SelectDefinition, focusType: StaticType): CompiledSelect {
    const iteration = this.compileIteration(select, focusType);
    const itemType = iteration?.itemType ?? focusType;

    const columns: CompiledColumn[] = [];
    const setters: ColumnSetter[] = [];
    for (const definition of select.columns) {
      const slot = this.slotCount++;
      const compiled = this.host.compileExpression(
        { keyPath: `${definition.keyPath}.path`, path: definition.path },
        itemType,
      );
      const inferred = compiled ? singleTypeCode(compiled.type) : undefined;
      columns.push({ definition, slot, type: definition.type ?? inferred });
      if (compiled) setters.push(this.columnSetter(definition, slot, compiled));
    }

    const parts: SelectRunner[] = [];
    for (const child of select.selects) {
      const compiled = this.compile(child, itemType);
      columns.push(...compiled.columns);
      parts.push(compiled.run);
    }
    if (select.unionAll.length > 0) {
      const union = this.compileUnion(select, itemType);
      columns.push(...union.columns);
      parts.push(union.run);
    }

    const body = bodyRunner(setters, parts);
    return { run: iteration ? iteration.wrap(body) : body, columns };
  }

  private compileUnion(select: SelectDefinition, itemType: StaticType): CompiledSelect {
    const start = this.slotCount;
    let end = start;
    const branches: CompiledSelect[] = [];
    for (const branch of select.unionAll) {
      this.slotCount = start;
      branches.push(this.compile(branch, itemType));
      end = Math.max(end, this.slotCount);
    }
    this.slotCount = end;

    const first = branches[0] as CompiledSelect;
    const expected = first.columns.map((column) => column.definition.name);
    branches.slice(1).forEach((branch, index) => {
      const names = branch.columns.map((column) => column.definition.name);
      if (names.join(',') !== expected.join(',')) {
        this.host.addIssue(
          `${select.keyPath}.unionAll[${index + 1}]`,
          `has columns (${names.join(', ')}) but unionAll[0] has (${expected.join(', ')}); every branch needs the same columns in the same order`,
        );
      }
    });

    const runners = branches.map((branch) => branch.run);
    const run: SelectRunner = (focus, env, values, next) => {
      for (const runner of runners) runner(focus, env, values, next);
    };
    return { run, columns: first.columns };
  }

  private columnSetter(
    definition: ColumnDefinition,
    slot: number,
    compiled: Compiled,
  ): ColumnSetter {
    const keyPath = `${definition.keyPath}.path`;
    const evaluate = this.host.guard(compiled.evaluate, keyPath);
    if (definition.collection) {
      return (focus, env, values) => {
        values[slot] = toList(evaluate(focus, env));
      };
    }
    const host = this.host;
    const name = definition.name;
    return (focus, env, values) => {
      const result = evaluate(focus, env);
      if (Array.isArray(result))
        throw host.multipleValues(definition.keyPath, name, result.length, env);
      values[slot] = result === undefined ? null : result;
    };
  }

  private compileIteration(
    select: SelectDefinition,
    focusType: StaticType,
  ): { itemType: StaticType; wrap: (body: SelectRunner) => SelectRunner } | undefined {
    const expression = select.forEach ?? select.forEachOrNull;
    if (expression) {
      const compiled = this.host.compileExpression(expression, focusType);
      if (!compiled) return { itemType: UNKNOWN_TYPE, wrap: (body) => body };
      const items = this.host.guard(compiled.evaluate, expression.keyPath);
      const orNull = select.forEachOrNull !== undefined;
      return { itemType: compiled.type, wrap: (body) => iterate(items, orNull, body) };
    }
    if (select.repeat) {
      const repeat = this.compileRepeat(select.repeat, focusType);
      return { itemType: repeat.itemType, wrap: (body) => iterate(repeat.items, false, body) };
    }
    return undefined;
  }

  /**
   * Compile `repeat` paths for every type they reach: `answer.item` does not apply to a
   * QuestionnaireResponse but does to its items. A path that applies to none of the types
   * is compiled once more on the focus the lenient way, which reports it.
   */
  private compileRepeat(
    paths: ExpressionDefinition[],
    focusType: StaticType,
  ): { items: ItemEvaluator; itemType: StaticType } {
    interface RepeatState {
      steps: Array<{ evaluate: ItemEvaluator; next: RepeatState }>;
    }
    const states = new Map<string, RepeatState>();
    const resultTypes = new Map<string, StaticType>();
    const compiledPaths = new Set<string>();
    const pending: Array<{ state: RepeatState; type: StaticType }> = [];
    const stateFor = (type: StaticType): RepeatState => {
      const key = typeKey(type);
      let state = states.get(key);
      if (!state) {
        state = { steps: [] };
        states.set(key, state);
        pending.push({ state, type });
      }
      return state;
    };

    const root = stateFor(focusType);
    while (pending.length > 0) {
      const { state, type } = pending.shift() as { state: RepeatState; type: StaticType };
      for (const path of paths) {
        let compiled: Compiled;
        try {
          compiled = this.host.compileStrict(path, type);
        } catch (error) {
          if (error instanceof FhirPathCompileError) continue;
          throw error;
        }
        compiledPaths.add(path.keyPath);
        resultTypes.set(typeKey(compiled.type), compiled.type);
        state.steps.push({
          evaluate: this.host.guard(compiled.evaluate, path.keyPath),
          next: stateFor(compiled.type),
        });
      }
    }
    const unresolved = paths.filter((path) => !compiledPaths.has(path.keyPath));
    const lenient = unresolved.map((path) => ({
      path,
      compiled: this.host.compileExpression(path, focusType),
    }));
    if (lenient.length > 0 && lenient.every((entry) => entry.compiled)) {
      // Items reached through an element the model does not know have no known type,
      // so every path is followed on them without type checks.
      const untyped: RepeatState = { steps: [] };
      for (const path of paths) {
        const compiled = this.host.compileExpression(path, UNKNOWN_TYPE) as Compiled;
        untyped.steps.push({
          evaluate: this.host.guard(compiled.evaluate, path.keyPath),
          next: untyped,
        });
      }
      for (const { path, compiled } of lenient) {
        root.steps.push({
          evaluate: this.host.guard((compiled as Compiled).evaluate, path.keyPath),
          next: untyped,
        });
      }
      resultTypes.set('', UNKNOWN_TYPE);
    }

    const items: ItemEvaluator = (focus, env) => {
      const found: unknown[] = [];
      const visit = (item: unknown, state: RepeatState): void => {
        for (const step of state.steps) {
          const children = step.evaluate(item, env);
          for (let index = 0; index < count(children); index++) {
            const child = itemAt(children, index);
            found.push(child);
            visit(child, step.next);
          }
        }
      };
      visit(focus, root);
      return found;
    };
    const reached = [...resultTypes.values()];
    const itemType = reached.some((type) => type.types.length === 0)
      ? UNKNOWN_TYPE
      : { types: reached.flatMap((type) => type.types) };
    return { items, itemType };
  }
}

function typeKey(type: StaticType): string {
  return type.types
    .map((candidate) => candidate.ref)
    .sort()
    .join('|');
}

/**
 * Run the body once per item, with `%rowIndex` the item's index. With `orNull` and no
 * items, the body runs once on no item, so its columns are null and `%rowIndex` is 0.
 */
function iterate(items: ItemEvaluator, orNull: boolean, body: SelectRunner): SelectRunner {
  return (focus, env, values, next) => {
    const found: Collection = items(focus, env);
    const size = count(found);
    const outerIndex = env.rowIndex;
    try {
      if (size === 0 && orNull) {
        env.rowIndex = 0;
        body(undefined, env, values, next);
        return;
      }
      for (let index = 0; index < size; index++) {
        env.rowIndex = index;
        body(itemAt(found, index), env, values, next);
      }
    } finally {
      env.rowIndex = outerIndex;
    }
  };
}

/**
 * Set the columns, then form the cross product of the nested parts. Each part starts
 * with the `%rowIndex` of this select, not that of the part before it.
 */
function bodyRunner(
  setters: readonly ColumnSetter[],
  parts: readonly SelectRunner[],
): SelectRunner {
  return (focus, env, values, next) => {
    for (const setter of setters) setter(focus, env, values);
    if (parts.length === 0) {
      next();
      return;
    }
    const rowIndex = env.rowIndex;
    const runPart = (position: number): void => {
      if (position === parts.length) {
        next();
        return;
      }
      env.rowIndex = rowIndex;
      (parts[position] as SelectRunner)(focus, env, values, () => runPart(position + 1));
    };
    runPart(0);
  };
}

function toList(collection: Collection): unknown[] {
  if (collection === undefined) return [];
  return Array.isArray(collection) ? collection.slice() : [collection];
}
