import type { FhirModel } from '../fhir-model';
import type {
  ConstantNode,
  FhirPathNode,
  FunctionNode,
  IdentifierNode,
  IndexerNode,
  LiteralNode,
  TypeOperatorNode,
  UnaryNode,
  VariableNode,
} from './ast';
import { isObject, itemAt, singleton, type Collection } from './collection';
import type { Compiled, FunctionContext, PathStep } from './compiled';
import { FhirPathCompileError, FhirPathEvaluationError } from './errors';
import { FUNCTIONS } from './functions';
import { compileBinary } from './operators';
import { parseFhirPath } from './parser';
import { chainEvaluator, firstOfChain } from './path-walk';
import { compileTypeFilter, compileTypeTest } from './type-filter';
import {
  capitalize,
  INTEGER_TYPE,
  resolveTypeSpecifier,
  staticType,
  STRING_TYPE,
  UNKNOWN_TYPE,
  type StaticType,
  type TypeSpecifier,
} from './types';

/** A value a ViewDefinition constant gives to `%name`, with its FHIR type. */
export interface ConstantValue {
  value: unknown;
  type: string;
}

export interface FhirPathCompileOptions {
  model: FhirModel;
  /** The resource type the expressions read, the type of `%resource`. */
  resourceType: string;
  /** Values of `%name` constants other than the built-in ones. */
  constants: ReadonlyMap<string, ConstantValue>;
  /**
   * Called for an element the model does not define on a known type, which is then read
   * from the JSON without type information, as FHIRPath does outside strict mode. Without
   * it, such an element is a compile error.
   */
  onUnknownElement?: (message: string, offset: number) => void;
}

const MAX_CACHED_SUFFIXES = 10_000;

const LITERAL_TYPES: Record<LiteralNode['type'], string> = {
  String: 'string',
  Integer: 'integer',
  Decimal: 'decimal',
  Boolean: 'boolean',
  Date: 'date',
  DateTime: 'dateTime',
  Time: 'time',
  Quantity: 'Quantity',
};

/**
 * Parse a FHIRPath expression and compile it, once, into an evaluator over plain JSON.
 * `focusType` is the type of the item the expression starts from (`$this`). Raises
 * `FhirPathCompileError` with the offset of the first problem.
 */
export function compileFhirPath(
  expression: string,
  focusType: StaticType,
  options: FhirPathCompileOptions,
): Compiled {
  return new FhirPathCompiler(options).compile(parseFhirPath(expression), focusType);
}

/** Compiles syntax trees; one instance serves every expression of a view. */
export class FhirPathCompiler {
  private readonly choiceSuffixes = new Map<string, boolean>();

  constructor(private readonly options: FhirPathCompileOptions) {}

  compile(node: FhirPathNode, focus: StaticType): Compiled {
    switch (node.kind) {
      case 'literal':
        return constant(node.value, staticType(LITERAL_TYPES[node.type]));
      case 'empty':
        return constant(undefined, UNKNOWN_TYPE);
      case 'identifier':
        return this.member(focusItself(focus), node);
      case 'function':
        return this.call(node, focusItself(focus), focus);
      case 'variable':
        return this.variable(node, focus);
      case 'constant':
        return this.constant(node);
      case 'invocation': {
        const target = this.compile(node.target, focus);
        if (node.member.kind === 'identifier') return this.member(target, node.member);
        if (node.member.kind === 'function') return this.call(node.member, target, focus);
        if (node.member.name === 'this') return target;
        throw new FhirPathCompileError(
          `$${node.member.name} cannot follow "."`,
          node.member.offset,
        );
      }
      case 'indexer':
        return this.indexer(node, focus);
      case 'unary':
        return this.unary(node, focus);
      case 'binary':
        return compileBinary(node, this.compile(node.left, focus), this.compile(node.right, focus));
      case 'type-operator':
        return this.typeOperator(node, focus);
    }
  }

  /**
   * True when the rest of a JSON key after an element name is a FHIR type name
   * (`Quantity`, `DateTime`). Evaluation calls it for elements the model does not define,
   * so results are cached.
   */
  readonly isChoiceSuffix = (suffix: string): boolean => {
    let known = this.choiceSuffixes.get(suffix);
    if (known === undefined) {
      const model = this.options.model;
      const primitive = suffix.charAt(0).toLowerCase() + suffix.slice(1);
      known = /^[A-Z]/.test(suffix) && (model.isType(suffix) || model.isPrimitiveType(primitive));
      // The keys come from the data, so the cache stops growing at a bound.
      if (this.choiceSuffixes.size < MAX_CACHED_SUFFIXES) this.choiceSuffixes.set(suffix, known);
    }
    return known;
  };

  private member(target: Compiled, node: IdentifierNode): Compiled {
    const typeFilter = this.leadingTypeName(target, node);
    if (typeFilter) return typeFilter;

    const model = this.options.model;
    const primitive =
      target.type.types.length > 0 &&
      target.type.types.every((type) => model.isPrimitiveType(type.code));
    if (primitive && node.name === 'value') return target;
    // A primitive's id and extensions sit in its `_name` sibling in FHIR JSON.
    const input =
      primitive && (node.name === 'extension' || node.name === 'id')
        ? this.primitiveElement(target)
        : target;

    const { step, type } = this.resolveMember(input.type, node.name, node.offset);
    const base = input.chain ? input.chain.base : input.evaluate;
    const steps = input.chain ? [...input.chain.steps, step] : [step];
    return {
      evaluate: chainEvaluator(base, steps, this.isChoiceSuffix),
      type,
      chain: { base, steps },
    };
  }

  /**
   * Compile a leading resource type, as in `Patient.name`, into a filter that keeps the
   * focus only when it is a resource of that type.
   */
  private leadingTypeName(target: Compiled, node: IdentifierNode): Compiled | undefined {
    const model = this.options.model;
    if (!target.chain || target.chain.base || target.chain.steps.length > 0) return undefined;
    if (!model.isResourceType(node.name)) return undefined;
    if (target.type.types.some((type) => model.element(type.ref, node.name))) return undefined;
    const name = node.name;
    const evaluate = (focus: unknown): Collection =>
      isObject(focus) && focus.resourceType === name ? focus : undefined;
    return { evaluate, type: staticType(name), chain: { base: evaluate, steps: [] } };
  }

  /** Find the JSON keys and types of element `name` on the items of `type`. */
  resolveMember(
    type: StaticType,
    name: string,
    offset: number,
  ): { step: PathStep; type: StaticType } {
    const model = this.options.model;
    const dynamicStep: PathStep = { name, keys: [name], dynamic: true, element: undefined, offset };
    if (type.types.length === 0) return { step: dynamicStep, type: UNKNOWN_TYPE };

    const keys: string[] = [];
    const types: Array<StaticType['types'][number]> = [];
    let element: PathStep['element'];
    for (const candidate of type.types) {
      const info = model.element(candidate.ref, name);
      if (!info) {
        // The elements of an abstract Resource are those of whichever resource it is.
        if (candidate.ref === 'Resource' || candidate.ref === 'DomainResource')
          return { step: dynamicStep, type: UNKNOWN_TYPE };
        continue;
      }
      element = info;
      for (const elementType of info.types) {
        const key = info.choice ? name + capitalize(elementType.code) : name;
        if (!keys.includes(key)) keys.push(key);
        if (!types.some((known) => known.ref === elementType.ref)) types.push(elementType);
      }
    }
    if (keys.length === 0) {
      const message = `unknown element "${name}" on ${describeTypes(type)} in FHIR R4`;
      const report = this.options.onUnknownElement;
      if (!report) throw new FhirPathCompileError(message, offset);
      report(`${message}; it is read from the JSON without type checks`, offset);
      return { step: dynamicStep, type: UNKNOWN_TYPE };
    }
    return { step: { name, keys, dynamic: false, element, offset }, type: { types } };
  }

  private call(node: FunctionNode, input: Compiled, focus: StaticType): Compiled {
    const definition = Object.hasOwn(FUNCTIONS, node.name) ? FUNCTIONS[node.name] : undefined;
    if (!definition) {
      if (node.name === 'resolve') {
        throw new FhirPathCompileError(
          'resolve() is not supported: a view reads one resource at a time; join views on getReferenceKey() and getResourceKey() instead',
          node.offset,
        );
      }
      throw new FhirPathCompileError(`unknown function "${node.name}"`, node.offset);
    }
    if (node.args.length < definition.minArgs || node.args.length > definition.maxArgs) {
      throw new FhirPathCompileError(
        `${node.name}() takes ${describeArity(definition)} but got ${node.args.length}`,
        node.offset,
      );
    }
    const context: FunctionContext = {
      name: node.name,
      offset: node.offset,
      input: node.name === 'extension' ? this.primitiveElement(input) : input,
      args: node.args,
      arg: (position) => {
        const argument = node.args[position];
        if (!argument)
          throw new FhirPathCompileError(
            `${node.name}() is missing argument ${position + 1}`,
            node.offset,
          );
        return argument;
      },
      model: this.options.model,
      isChoiceSuffix: this.isChoiceSuffix,
      compileLambda: (argument, focusType) => this.compile(argument, focusType),
      compileArgument: (argument) => this.compile(argument, focus),
      typeArgument: (argument) => this.typeSpecifier(argument),
    };
    return definition.compile(context);
  }

  /**
   * Redirect a path that ends on a primitive element to its `_name` sibling, where FHIR
   * JSON keeps the primitive's id and extensions (`birthDate.extension(...)` reads `_birthDate`).
   */
  primitiveElement(input: Compiled): Compiled {
    const model = this.options.model;
    const chain = input.chain;
    const last = chain?.steps[chain.steps.length - 1];
    if (!chain || !last || last.dynamic) return input;
    if (!input.type.types.every((type) => model.isPrimitiveType(type.code))) return input;
    const step: PathStep = { ...last, keys: last.keys.map((key) => `_${key}`) };
    const steps = [...chain.steps.slice(0, -1), step];
    const type = staticType('Element');
    return {
      evaluate: chainEvaluator(chain.base, steps, this.isChoiceSuffix),
      type,
      chain: { base: chain.base, steps },
    };
  }

  private variable(node: VariableNode, focus: StaticType): Compiled {
    if (node.name === 'this') return focusItself(focus);
    if (node.name === 'index') return { evaluate: (_focus, env) => env.index, type: INTEGER_TYPE };
    throw new FhirPathCompileError(
      '$total is only defined inside aggregate(), which views do not support',
      node.offset,
    );
  }

  private constant(node: ConstantNode): Compiled {
    const { constants, resourceType } = this.options;
    switch (node.name) {
      case 'rowIndex':
        return { evaluate: (_focus, env) => env.rowIndex, type: INTEGER_TYPE };
      case 'resource':
      case 'rootResource':
      case 'context':
        return { evaluate: (_focus, env) => env.resource, type: staticType(resourceType) };
      case 'ucum':
        return constant('http://unitsofmeasure.org', STRING_TYPE);
    }
    const value = constants.get(node.name);
    if (!value) {
      const defined = [...constants.keys()];
      const known =
        defined.length > 0
          ? `; the view defines ${defined.map((name) => `%${name}`).join(', ')}`
          : '';
      throw new FhirPathCompileError(`undefined constant %${node.name}${known}`, node.offset);
    }
    return constant(value.value, staticType(value.type));
  }

  private indexer(node: IndexerNode, focus: StaticType): Compiled {
    const target = this.compile(node.target, focus);
    const index = this.compile(node.index, focus);
    const fixed = index.constant?.value;
    if (
      fixed !== undefined &&
      (typeof fixed !== 'number' || !Number.isInteger(fixed) || fixed < 0)
    ) {
      throw new FhirPathCompileError('an index must be a non-negative integer', node.index.offset);
    }
    const evaluateTarget = target.evaluate;
    if (typeof fixed === 'number') {
      if (fixed === 0 && target.chain) return firstOfChain(target, this.isChoiceSuffix);
      return {
        evaluate: (item, env) => itemAt(evaluateTarget(item, env), fixed),
        type: target.type,
      };
    }
    const evaluateIndex = index.evaluate;
    return {
      evaluate: (item, env) => {
        const position = singleton(evaluateIndex(item, env), 'an index');
        if (position === undefined) return undefined;
        if (typeof position !== 'number' || !Number.isInteger(position)) {
          throw new FhirPathEvaluationError('an index must be an integer');
        }
        return itemAt(evaluateTarget(item, env), position);
      },
      type: target.type,
    };
  }

  private unary(node: UnaryNode, focus: StaticType): Compiled {
    const operand = this.compile(node.operand, focus);
    if (node.operator === '+') return operand;
    const negate = (value: Collection): Collection => {
      const item = singleton(value, 'unary -');
      if (item === undefined) return undefined;
      if (typeof item === 'number') return -item;
      if (isObject(item) && typeof item.value === 'number') return { ...item, value: -item.value };
      throw new FhirPathEvaluationError('unary - needs a number or a quantity');
    };
    if (operand.constant) return constant(negate(operand.constant.value), operand.type);
    const evaluate = operand.evaluate;
    return { evaluate: (item, env) => negate(evaluate(item, env)), type: operand.type };
  }

  private typeOperator(node: TypeOperatorNode, focus: StaticType): Compiled {
    const operand = this.compile(node.operand, focus);
    const specifier = this.resolveType(node.typeName, node.offset);
    if (node.operator === 'is') return compileTypeTest(operand, specifier, this.options.model);
    return compileTypeFilter(
      operand,
      specifier,
      this.options.model,
      this.isChoiceSuffix,
      node.offset,
    );
  }

  private typeSpecifier(node: FhirPathNode): TypeSpecifier {
    if (node.kind === 'identifier') return this.resolveType(node.name, node.offset);
    if (
      node.kind === 'invocation' &&
      node.target.kind === 'identifier' &&
      node.member.kind === 'identifier'
    ) {
      return this.resolveType(`${node.target.name}.${node.member.name}`, node.offset);
    }
    throw new FhirPathCompileError(
      'expected a type name, such as Quantity or FHIR.string',
      node.offset,
    );
  }

  private resolveType(name: string, offset: number): TypeSpecifier {
    const specifier = resolveTypeSpecifier(this.options.model, name);
    if (!specifier) throw new FhirPathCompileError(`unknown type "${name}"`, offset);
    return specifier;
  }
}

/** Compile the focus item itself, as `$this` or as the start of a path. */
function focusItself(focus: StaticType): Compiled {
  return { evaluate: (item) => item, type: focus, chain: { base: undefined, steps: [] } };
}

export function constant(value: Collection, type: StaticType): Compiled {
  return { evaluate: () => value, type, constant: { value } };
}

function describeTypes(type: StaticType): string {
  const names = [
    ...new Set(
      type.types.map((candidate) => (candidate.ref.includes('.') ? candidate.ref : candidate.code)),
    ),
  ];
  return names.join(' or ');
}

function describeArity(definition: { minArgs: number; maxArgs: number }): string {
  const { minArgs, maxArgs } = definition;
  const count = minArgs === maxArgs ? `${minArgs}` : `${minArgs} to ${maxArgs}`;
  return minArgs === 1 && maxArgs === 1 ? '1 argument' : `${count} arguments`;
}
