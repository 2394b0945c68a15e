/**
 * Syntax tree of a FHIRPath expression. Every node keeps `offset`, the 0-based index
 * in the expression text where it starts, so compile errors can point at it.
 */
export type FhirPathNode =
  | LiteralNode
  | EmptyNode
  | IdentifierNode
  | FunctionNode
  | VariableNode
  | ConstantNode
  | InvocationNode
  | IndexerNode
  | UnaryNode
  | BinaryNode
  | TypeOperatorNode;

/** FHIRPath literal types, named as the FHIRPath specification's System types. */
export type LiteralType =
  'String' | 'Integer' | 'Decimal' | 'Boolean' | 'Date' | 'DateTime' | 'Time' | 'Quantity';

export interface LiteralNode {
  kind: 'literal';
  offset: number;
  type: LiteralType;
  /** The value as the compiler uses it: a string for text and dates, a number, a boolean or a Quantity object. */
  value: unknown;
  /** The literal as written, which keeps the precision of a decimal such as `1.50`. */
  text: string;
}

/** `{}`, the empty collection. */
export interface EmptyNode {
  kind: 'empty';
  offset: number;
}

/** An element name or type name, such as `name` or `Quantity`. */
export interface IdentifierNode {
  kind: 'identifier';
  offset: number;
  name: string;
}

export interface FunctionNode {
  kind: 'function';
  offset: number;
  name: string;
  args: FhirPathNode[];
}

/** `$this`, `$index` or `$total`. */
export interface VariableNode {
  kind: 'variable';
  offset: number;
  name: 'this' | 'index' | 'total';
}

/** `%name`, an external constant such as a ViewDefinition constant or `%rowIndex`. */
export interface ConstantNode {
  kind: 'constant';
  offset: number;
  name: string;
}

/** `target.member`, where member is an identifier, a function call or a variable. */
export interface InvocationNode {
  kind: 'invocation';
  offset: number;
  target: FhirPathNode;
  member: IdentifierNode | FunctionNode | VariableNode;
}

export interface IndexerNode {
  kind: 'indexer';
  offset: number;
  target: FhirPathNode;
  index: FhirPathNode;
}

export interface UnaryNode {
  kind: 'unary';
  offset: number;
  operator: '+' | '-';
  operand: FhirPathNode;
}

export type BinaryOperator =
  | '*'
  | '/'
  | 'div'
  | 'mod'
  | '+'
  | '-'
  | '&'
  | '|'
  | '<'
  | '<='
  | '>'
  | '>='
  | '='
  | '!='
  | '~'
  | '!~'
  | 'in'
  | 'contains'
  | 'and'
  | 'or'
  | 'xor'
  | 'implies';

export interface BinaryNode {
  kind: 'binary';
  offset: number;
  operator: BinaryOperator;
  left: FhirPathNode;
  right: FhirPathNode;
}

/** `operand is Type` or `operand as Type`. */
export interface TypeOperatorNode {
  kind: 'type-operator';
  offset: number;
  operator: 'is' | 'as';
  operand: FhirPathNode;
  /** The type specifier as written, such as `Quantity` or `FHIR.Quantity`. */
  typeName: string;
}
