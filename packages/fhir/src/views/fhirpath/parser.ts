import type {
  BinaryOperator,
  FhirPathNode,
  FunctionNode,
  IdentifierNode,
  LiteralNode,
  VariableNode,
} from './ast';
import { FhirPathCompileError } from './errors';
import { tokenize, type Token } from './lexer';

/**
 * Binding power of each infix operator, from the precedence table of the FHIRPath
 * specification (N1, section 6): a higher number binds tighter. All are left-associative.
 */
const INFIX_POWER: Record<string, number> = {
  implies: 1,
  or: 2,
  xor: 2,
  and: 3,
  in: 4,
  contains: 4,
  '=': 5,
  '~': 5,
  '!=': 5,
  '!~': 5,
  '<': 6,
  '>': 6,
  '<=': 6,
  '>=': 6,
  '|': 7,
  is: 8,
  as: 8,
  '+': 9,
  '-': 9,
  '&': 9,
  '*': 10,
  '/': 10,
  div: 10,
  mod: 10,
};
const PREFIX_POWER = 11;

/** Words that are operators between two expressions but may still name elements or functions. */
const KEYWORD_OPERATORS = new Set([
  'implies',
  'or',
  'xor',
  'and',
  'in',
  'contains',
  'is',
  'as',
  'div',
  'mod',
]);

/** Calendar duration units that may follow a number to make a quantity, such as `4 days`. */
const CALENDAR_UNITS = new Set([
  'year',
  'years',
  'month',
  'months',
  'week',
  'weeks',
  'day',
  'days',
  'hour',
  'hours',
  'minute',
  'minutes',
  'second',
  'seconds',
  'millisecond',
  'milliseconds',
]);

/** Parse a FHIRPath expression into its syntax tree, raising `FhirPathCompileError` with the offset. */
export function parseFhirPath(expression: string): FhirPathNode {
  const parser = new Parser(tokenize(expression));
  if (parser.peek().kind === 'end') throw new FhirPathCompileError('the expression is empty', 0);
  const node = parser.parseExpression(0);
  const rest = parser.peek();
  if (rest.kind !== 'end')
    throw new FhirPathCompileError(`unexpected ${describeToken(rest)}`, rest.offset);
  return node;
}

class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.position + ahead, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.position++;
    return token;
  }

  private isOperator(token: Token, text: string): boolean {
    return token.kind === 'operator' && token.text === text;
  }

  private expectOperator(text: string): Token {
    const token = this.next();
    if (!this.isOperator(token, text)) {
      throw new FhirPathCompileError(
        `expected "${text}" but found ${describeToken(token)}`,
        token.offset,
      );
    }
    return token;
  }

  parseExpression(minimumPower: number): FhirPathNode {
    let left = this.parsePrefix();
    for (;;) {
      const token = this.peek();
      if (this.isOperator(token, '.')) {
        this.next();
        left = {
          kind: 'invocation',
          offset: left.offset,
          target: left,
          member: this.parseInvocation(),
        };
        continue;
      }
      if (this.isOperator(token, '[')) {
        this.next();
        const index = this.parseExpression(0);
        this.expectOperator(']');
        left = { kind: 'indexer', offset: left.offset, target: left, index };
        continue;
      }
      const operator = infixOperator(token);
      if (operator === undefined) break;
      const power = INFIX_POWER[operator] as number;
      if (power <= minimumPower) break;
      this.next();
      if (operator === 'is' || operator === 'as') {
        left = {
          kind: 'type-operator',
          offset: token.offset,
          operator,
          operand: left,
          typeName: this.parseTypeName(),
        };
        continue;
      }
      const right = this.parseExpression(power);
      left = {
        kind: 'binary',
        offset: token.offset,
        operator: operator as BinaryOperator,
        left,
        right,
      };
    }
    return left;
  }

  private parsePrefix(): FhirPathNode {
    const token = this.next();
    switch (token.kind) {
      case 'number':
        return this.parseNumber(token);
      case 'string':
        return literal(token, 'String', token.text);
      case 'date':
        return literal(token, 'Date', token.text);
      case 'datetime':
        return literal(token, 'DateTime', token.text);
      case 'time':
        return literal(token, 'Time', token.text);
      case 'variable':
        return { kind: 'variable', offset: token.offset, name: token.text as VariableNode['name'] };
      case 'constant':
        return { kind: 'constant', offset: token.offset, name: token.text };
      case 'identifier':
        if (token.text === 'true' || token.text === 'false')
          return literal(token, 'Boolean', token.text === 'true');
        return this.parseNamed(token);
      case 'delimited-identifier':
        return this.parseNamed(token);
      case 'operator':
        return this.parseOperatorPrefix(token);
      case 'end':
        throw new FhirPathCompileError('the expression ends too early', token.offset);
    }
  }

  private parseOperatorPrefix(token: Token): FhirPathNode {
    if (token.text === '(') {
      const inner = this.parseExpression(0);
      this.expectOperator(')');
      return inner;
    }
    if (token.text === '{') {
      this.expectOperator('}');
      return { kind: 'empty', offset: token.offset };
    }
    if (token.text === '+' || token.text === '-') {
      const operand = this.parseExpression(PREFIX_POWER);
      return { kind: 'unary', offset: token.offset, operator: token.text, operand };
    }
    throw new FhirPathCompileError(`unexpected ${describeToken(token)}`, token.offset);
  }

  private parseNumber(token: Token): LiteralNode {
    const isDecimal = token.text.includes('.');
    const unit = this.peek();
    if (unit.kind === 'string' || (unit.kind === 'identifier' && CALENDAR_UNITS.has(unit.text))) {
      this.next();
      return {
        kind: 'literal',
        offset: token.offset,
        type: 'Quantity',
        value: { value: Number(token.text), code: unit.text },
        text: `${token.text} ${unit.text}`,
      };
    }
    return literal(token, isDecimal ? 'Decimal' : 'Integer', Number(token.text));
  }

  /** An identifier in term position: an element name or a function call. */
  private parseNamed(token: Token): IdentifierNode | FunctionNode {
    if (this.isOperator(this.peek(), '(')) return this.parseCall(token);
    return { kind: 'identifier', offset: token.offset, name: token.text };
  }

  /** Parse what follows a `.`: an element name, a function call or `$this`. */
  private parseInvocation(): IdentifierNode | FunctionNode | VariableNode {
    const token = this.next();
    if (token.kind === 'variable')
      return { kind: 'variable', offset: token.offset, name: token.text as VariableNode['name'] };
    if (token.kind !== 'identifier' && token.kind !== 'delimited-identifier') {
      throw new FhirPathCompileError(
        `expected an element or function name after "." but found ${describeToken(token)}`,
        token.offset,
      );
    }
    return this.parseNamed(token);
  }

  private parseCall(name: Token): FunctionNode {
    this.expectOperator('(');
    const args: FhirPathNode[] = [];
    if (!this.isOperator(this.peek(), ')')) {
      for (;;) {
        args.push(this.parseExpression(0));
        if (!this.isOperator(this.peek(), ',')) break;
        this.next();
      }
    }
    this.expectOperator(')');
    return { kind: 'function', offset: name.offset, name: name.text, args };
  }

  /** Parse the type specifier after `is` or `as`: an identifier, optionally qualified (`FHIR.Quantity`). */
  private parseTypeName(): string {
    const parts: string[] = [];
    for (;;) {
      const token = this.next();
      if (token.kind !== 'identifier' && token.kind !== 'delimited-identifier') {
        throw new FhirPathCompileError(
          `expected a type name but found ${describeToken(token)}`,
          token.offset,
        );
      }
      parts.push(token.text);
      // Only the namespaces qualify a type, so `x is Quantity.exists()` stays a call on the result.
      const qualifies = parts.length === 1 && (token.text === 'FHIR' || token.text === 'System');
      if (!qualifies || !this.isOperator(this.peek(), '.')) break;
      this.next();
    }
    return parts.join('.');
  }
}

function infixOperator(token: Token): string | undefined {
  if (token.kind === 'operator' && INFIX_POWER[token.text] !== undefined) return token.text;
  if (token.kind === 'identifier' && KEYWORD_OPERATORS.has(token.text)) return token.text;
  return undefined;
}

function literal(token: Token, type: LiteralNode['type'], value: unknown): LiteralNode {
  return { kind: 'literal', offset: token.offset, type, value, text: token.text };
}

function describeToken(token: Token): string {
  if (token.kind === 'end') return 'the end of the expression';
  if (token.kind === 'string') return 'a string';
  return `"${token.text}"`;
}
