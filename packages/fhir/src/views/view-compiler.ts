import type { JsonObject } from '../types';
import { ViewDefinitionError, ViewEvaluationError, type ViewDefinitionIssue } from './errors';
import { fhirR4Model, type FhirModel } from './fhir-model';
import type { EvaluationEnv, ItemEvaluator } from './fhirpath/collection';
import type { Compiled } from './fhirpath/compiled';
import { FhirPathCompiler, type ConstantValue } from './fhirpath/compiler';
import { FhirPathCompileError, FhirPathEvaluationError } from './fhirpath/errors';
import { parseFhirPath } from './fhirpath/parser';
import { isNeverBoolean, singleTypeCode, staticType, type StaticType } from './fhirpath/types';
import { SelectCompiler, type CompiledColumn, type SelectCompileHost } from './select-compiler';
import {
  readViewDefinition,
  type ExpressionDefinition,
  type ViewDefinitionShape,
} from './view-definition';

/** A row of a view: column name to value, in the view's column order. */
export type ViewRow = Record<string, unknown>;

/** A column of a compiled view. */
export interface ViewColumn {
  name: string;
  /**
   * FHIR type name of the values: as the view declares it, else as inferred from the
   * path (`birthDate` gives `date`), else undefined when the path can return several types.
   */
  type: string | undefined;
  /** True when the column contains a list of values, as the view declares with `collection: true`. */
  collection: boolean;
  description?: string;
}

/** A ViewDefinition compiled into an evaluator that turns one resource into rows. */
export interface CompiledView {
  /** The name given in the options, else the view's `name`, else an empty string. */
  name: string;
  /** The resource type the view reads, such as `Patient`. */
  resource: string;
  columns: ViewColumn[];
  /**
   * Problems that do not stop the view from running, such as an element that FHIR R4 does
   * not define: it is read as the JSON has it, without type checks or type inference.
   */
  warnings: readonly ViewDefinitionIssue[];
  /**
   * Return the view's rows for one resource: none for a resource of another type or one
   * that a `where` filter excludes. Raises `ViewEvaluationError` when a column without
   * `collection: true` meets several values or a `where` path returns a non-boolean.
   */
  evaluate(resource: JsonObject): ViewRow[];
}

export interface CompileViewOptions {
  /** Name used in errors and as `CompiledView.name`, such as the view file's name. */
  name?: string;
}

/** Types a column may declare besides those of the R4 model; `integer64` is new in R5. */
const EXTRA_COLUMN_TYPES = new Set(['integer64']);

/**
 * Compile a SQL-on-FHIR v2 ViewDefinition once into an evaluator. Every FHIRPath
 * expression is parsed and compiled here, against the FHIR R4 model, so evaluation does
 * no parsing. Raises `ViewDefinitionError` listing every problem, each with its key path
 * and, inside an expression, its character position.
 */
export function compileViewDefinition(
  view: unknown,
  options: CompileViewOptions = {},
): CompiledView {
  const { shape, issues } = readViewDefinition(view);
  const viewName = options.name ?? shape?.name ?? '';
  if (!shape) throw new ViewDefinitionError(viewName, issues);

  const model = fhirR4Model();
  if (!model.isResourceType(shape.resource)) {
    issues.push({
      keyPath: 'resource',
      message: `"${shape.resource}" is not a FHIR R4 resource type`,
    });
    throw new ViewDefinitionError(viewName, issues);
  }
  const compiled = new ViewCompilation(viewName, shape, model, issues).run();
  if (issues.length > 0) throw new ViewDefinitionError(viewName, issues);
  return compiled;
}

class ViewCompilation implements SelectCompileHost {
  /** Reads elements the model does not know without type checks, and warns about them. */
  private readonly compiler: FhirPathCompiler;
  /** Rejects elements the model does not know, for `repeat` to find the types a path applies to. */
  private readonly strictCompiler: FhirPathCompiler;
  private readonly warnings: ViewDefinitionIssue[] = [];
  private current: ExpressionDefinition | undefined;

  constructor(
    private readonly viewName: string,
    private readonly shape: ViewDefinitionShape,
    private readonly model: FhirModel,
    private readonly issues: ViewDefinitionIssue[],
  ) {
    const constants = new Map<string, ConstantValue>(
      shape.constants.map((constant) => [constant.name, constant]),
    );
    const options = { model, resourceType: shape.resource, constants };
    this.strictCompiler = new FhirPathCompiler(options);
    this.compiler = new FhirPathCompiler({
      ...options,
      onUnknownElement: (message, offset) => {
        const expression = this.current as ExpressionDefinition;
        this.warnings.push({
          keyPath: expression.keyPath,
          message,
          expression: expression.path,
          character: offset + 1,
        });
      },
    });
  }

  run(): CompiledView {
    const resourceType = this.shape.resource;
    const focusType = staticType(resourceType);
    const filters = this.shape.where.map((where) => this.compileFilter(where, focusType));

    const selects = new SelectCompiler(this);
    const root = selects.compile(
      {
        keyPath: '',
        columns: [],
        selects: this.shape.selects,
        unionAll: [],
        forEach: undefined,
        forEachOrNull: undefined,
        repeat: undefined,
      },
      focusType,
    );
    this.checkColumns(root.columns);

    const names = root.columns.map((column) => column.definition.name);
    const slotCount = selects.columnCount;
    const run = root.run;
    const evaluate = (resource: JsonObject): ViewRow[] => {
      if (
        resource === null ||
        typeof resource !== 'object' ||
        resource.resourceType !== resourceType
      )
        return [];
      const env: EvaluationEnv = { resource, rowIndex: 0, index: 0 };
      for (const filter of filters) if (filter && !filter(resource, env)) return [];
      const rows: ViewRow[] = [];
      const values: unknown[] = new Array<unknown>(slotCount).fill(null);
      run(resource, env, values, () => rows.push(toRow(root.columns, names, values)));
      return rows;
    };
    return {
      name: this.viewName,
      resource: resourceType,
      columns: root.columns.map(toViewColumn),
      warnings: this.warnings,
      evaluate,
    };
  }

  compileExpression(expression: ExpressionDefinition, focusType: StaticType): Compiled | undefined {
    try {
      return this.compileOrThrow(expression, focusType);
    } catch (error) {
      if (!(error instanceof FhirPathCompileError)) throw error;
      this.issues.push({
        keyPath: expression.keyPath,
        message: error.message,
        expression: expression.path,
        character: error.offset + 1,
      });
      return undefined;
    }
  }

  compileOrThrow(expression: ExpressionDefinition, focusType: StaticType): Compiled {
    this.current = expression;
    return this.compiler.compile(parseFhirPath(expression.path), focusType);
  }

  compileStrict(expression: ExpressionDefinition, focusType: StaticType): Compiled {
    return this.strictCompiler.compile(parseFhirPath(expression.path), focusType);
  }

  addIssue(keyPath: string, message: string): void {
    this.issues.push({ keyPath, message });
  }

  guard(evaluate: ItemEvaluator, keyPath: string): ItemEvaluator {
    return (focus, env) => {
      try {
        return evaluate(focus, env);
      } catch (error) {
        if (!(error instanceof FhirPathEvaluationError)) throw error;
        throw new ViewEvaluationError(
          this.viewName,
          keyPath,
          error.message,
          describeResource(env),
          {
            cause: error,
            hint: 'Change the expression so that it fits the data.',
          },
        );
      }
    };
  }

  multipleValues(
    keyPath: string,
    columnName: string,
    valueCount: number,
    env: EvaluationEnv,
  ): ViewEvaluationError {
    return new ViewEvaluationError(
      this.viewName,
      keyPath,
      `column "${columnName}" returned ${valueCount} values but is not declared with collection: true`,
      describeResource(env),
      {
        hint: 'Declare the column with collection: true, or narrow its path, for example with first() or where().',
      },
    );
  }

  /** A `where` path: rows are kept when it returns true, dropped when false or empty. */
  private compileFilter(
    where: ExpressionDefinition,
    focusType: StaticType,
  ): ItemEvaluator | undefined {
    const compiled = this.compileExpression(where, focusType);
    if (!compiled) return undefined;
    if (isNeverBoolean(compiled.type)) {
      const type =
        singleTypeCode(compiled.type) ??
        compiled.type.types.map((candidate) => candidate.code).join(' or ');
      this.issues.push({
        keyPath: where.keyPath,
        message: `must return a boolean but returns ${type}`,
        expression: where.path,
      });
      return undefined;
    }
    const evaluate = this.guard(compiled.evaluate, where.keyPath);
    return (resource, env) => {
      const result = evaluate(resource, env);
      if (result === undefined || typeof result === 'boolean') return result === true;
      const found = Array.isArray(result)
        ? `${result.length} values`
        : 'a value that is not a boolean';
      throw new ViewEvaluationError(
        this.viewName,
        where.keyPath,
        `the where path returned ${found}`,
        describeResource(env),
        {
          hint: 'A where path must return one boolean or nothing.',
        },
      );
    };
  }

  private checkColumns(columns: readonly CompiledColumn[]): void {
    const seen = new Map<string, string>();
    for (const column of columns) {
      const { name, keyPath, type } = column.definition;
      const earlier = seen.get(name);
      if (earlier !== undefined) {
        this.addIssue(
          `${keyPath}.name`,
          `column "${name}" is already defined at ${earlier}; column names must be unique`,
        );
      } else {
        seen.set(name, keyPath);
      }
      if (type !== undefined && !this.model.isType(type) && !EXTRA_COLUMN_TYPES.has(type)) {
        this.addIssue(
          `${keyPath}.type`,
          `"${type}" is not a FHIR type; use a type name such as string, integer, decimal, boolean, date or dateTime`,
        );
      }
    }
  }
}

function toRow(
  columns: readonly CompiledColumn[],
  names: readonly string[],
  values: readonly unknown[],
): ViewRow {
  const row: ViewRow = {};
  for (let index = 0; index < names.length; index++) {
    row[names[index] as string] = values[(columns[index] as CompiledColumn).slot];
  }
  return row;
}

function toViewColumn(column: CompiledColumn): ViewColumn {
  const { name, collection, description } = column.definition;
  const viewColumn: ViewColumn = { name, type: column.type, collection };
  if (description !== undefined) viewColumn.description = description;
  return viewColumn;
}

function describeResource(env: EvaluationEnv): { resourceType: string; id: string | undefined } {
  const resource = env.resource as JsonObject;
  return {
    resourceType: String(resource.resourceType),
    id: typeof resource.id === 'string' ? resource.id : undefined,
  };
}
