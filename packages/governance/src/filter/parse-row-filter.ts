import { RowFilterSyntaxError } from '../errors';
import type { ComparisonOperator, FilterLiteral, FilterNode } from './syntax-tree';
import { tokenize, type Keyword, type Token } from './tokenizer';

/** Lake Formation's limit on a row filter expression (the API's `FilterExpression`, 0 to 2048 characters). */
export const MAX_ROW_FILTER_LENGTH = 2048;

/**
 * Parse a row filter in Lake Formation's PartiQL subset into a syntax tree. The first token outside
 * the subset (a function call, a subquery, arithmetic, a column compared with a column...) raises
 * `RowFilterSyntaxError` with its 1-based character position.
 *
 * Grammar, lowest precedence first:
 *   or        := and (OR and)*
 *   and       := not (AND not)*
 *   not       := NOT not | '(' or ')' | predicate
 *   predicate := column (op constant | [NOT] IN '(' constant, ... ')'
 *                | [NOT] BETWEEN constant AND constant | [NOT] LIKE 'pattern' | IS [NOT] NULL)
 */
export function parseRowFilter(text: string): FilterNode {
  if (text.length > MAX_ROW_FILTER_LENGTH) {
    throw new RowFilterSyntaxError(
      `the filter is ${text.length} characters long, more than Lake Formation's ${MAX_ROW_FILTER_LENGTH}`,
      MAX_ROW_FILTER_LENGTH + 1,
    );
  }
  const parser = new Parser(tokenize(text));
  if (parser.peek().kind === 'end') throw new RowFilterSyntaxError('the filter is empty', 1);
  const tree = parser.parseOr();
  parser.expectEnd();
  return tree;
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private isKeyword(keyword: Keyword, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'keyword' && token.keyword === keyword;
  }

  private isSymbol(symbol: '(' | ')' | ',', offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'punctuation' && token.symbol === symbol;
  }

  parseOr(): FilterNode {
    const operands = [this.parseAnd()];
    while (this.isKeyword('or')) {
      this.next();
      operands.push(this.parseAnd());
    }
    return combine('or', operands);
  }

  private parseAnd(): FilterNode {
    const operands = [this.parseNot()];
    while (this.isKeyword('and')) {
      this.next();
      operands.push(this.parseNot());
    }
    return combine('and', operands);
  }

  private parseNot(): FilterNode {
    if (this.isKeyword('not')) {
      this.next();
      return { kind: 'not', operand: this.parseNot() };
    }
    if (this.isSymbol('(')) {
      const open = this.next();
      if (this.peek().kind === 'end') throw new RowFilterSyntaxError('unclosed parenthesis', open.start + 1);
      const inner = this.parseOr();
      const close = this.next();
      if (close.kind !== 'punctuation' || close.symbol !== ')') {
        throw unexpected(close, 'expected ")"');
      }
      return inner;
    }
    return this.parsePredicate();
  }

  private parsePredicate(): FilterNode {
    const token = this.next();
    if (token.kind !== 'identifier') {
      if (token.kind === 'string' || token.kind === 'number' || (token.kind === 'keyword' && isConstantKeyword(token.keyword))) {
        throw new RowFilterSyntaxError('a comparison must start with a column name, not a constant', token.start + 1);
      }
      throw unexpected(token, 'expected a column name');
    }
    const column = token.name;
    if (this.isSymbol('(')) {
      throw new RowFilterSyntaxError(`function calls are not allowed (${column})`, token.start + 1);
    }

    const operatorToken = this.next();
    if (operatorToken.kind === 'operator') {
      const operator: ComparisonOperator = operatorToken.operator === '!=' ? '<>' : operatorToken.operator;
      return { kind: 'comparison', column, operator, value: this.parseConstant() };
    }
    if (operatorToken.kind !== 'keyword') throw unexpected(operatorToken, `expected a comparison after column ${column}`);

    if (operatorToken.keyword === 'is') {
      const negated = this.isKeyword('not');
      if (negated) this.next();
      const nullToken = this.next();
      if (nullToken.kind !== 'keyword' || nullToken.keyword !== 'null') throw unexpected(nullToken, 'expected NULL after IS');
      return { kind: 'isNull', column, negated };
    }

    const negated = operatorToken.keyword === 'not';
    const keywordToken = negated ? this.next() : operatorToken;
    const predicate = this.parseKeywordPredicate(column, keywordToken);
    return negated ? { kind: 'not', operand: predicate } : predicate;
  }

  private parseKeywordPredicate(column: string, token: Token): FilterNode {
    if (token.kind === 'keyword' && token.keyword === 'in') {
      const open = this.next();
      if (open.kind !== 'punctuation' || open.symbol !== '(') throw unexpected(open, 'expected "(" after IN');
      const values = [this.parseConstant()];
      while (this.isSymbol(',')) {
        this.next();
        values.push(this.parseConstant());
      }
      const close = this.next();
      if (close.kind !== 'punctuation' || close.symbol !== ')') throw unexpected(close, 'expected "," or ")" in the IN list');
      return { kind: 'in', column, values };
    }
    if (token.kind === 'keyword' && token.keyword === 'between') {
      const low = this.parseConstant();
      const and = this.next();
      if (and.kind !== 'keyword' || and.keyword !== 'and') throw unexpected(and, 'expected AND in BETWEEN');
      return { kind: 'between', column, low, high: this.parseConstant() };
    }
    if (token.kind === 'keyword' && token.keyword === 'like') {
      const pattern = this.next();
      if (pattern.kind !== 'string') throw unexpected(pattern, "expected a 'pattern' after LIKE");
      return { kind: 'like', column, pattern: pattern.value };
    }
    throw unexpected(token, `expected a comparison after column ${column}`);
  }

  private parseConstant(): FilterLiteral {
    const token = this.next();
    if (token.kind === 'string') return { kind: 'string', value: token.value };
    if (token.kind === 'number') return { kind: 'number', text: token.text };
    if (token.kind === 'keyword' && (token.keyword === 'true' || token.keyword === 'false')) {
      return { kind: 'boolean', value: token.keyword === 'true' };
    }
    if (token.kind === 'keyword' && token.keyword === 'null') {
      throw new RowFilterSyntaxError('comparing with NULL is never true: use IS NULL or IS NOT NULL', token.start + 1);
    }
    if (token.kind === 'identifier') {
      if (this.isSymbol('(')) throw new RowFilterSyntaxError(`function calls are not allowed (${token.name})`, token.start + 1);
      throw new RowFilterSyntaxError(`a column can only be compared with a constant, found column ${token.name}`, token.start + 1);
    }
    if (token.kind === 'punctuation' && token.symbol === '(') {
      throw new RowFilterSyntaxError('expected a constant; parenthesized expressions and subqueries are not allowed here', token.start + 1);
    }
    throw unexpected(token, 'expected a constant');
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== 'end') throw unexpected(token, 'expected AND, OR or the end of the filter');
  }
}

function isConstantKeyword(keyword: Keyword): boolean {
  return keyword === 'true' || keyword === 'false' || keyword === 'null';
}

function combine(kind: 'and' | 'or', operands: FilterNode[]): FilterNode {
  if (operands.length === 1) return operands[0] as FilterNode;
  // Parenthesized groups of the same operator add nothing, so they are flattened.
  return { kind, operands: operands.flatMap((operand) => (operand.kind === kind ? operand.operands : [operand])) };
}

function unexpected(token: Token, expectation: string): RowFilterSyntaxError {
  return new RowFilterSyntaxError(`${expectation}, found ${describeToken(token)}`, token.start + 1);
}

function describeToken(token: Token): string {
  switch (token.kind) {
    case 'keyword':
      return token.keyword.toUpperCase();
    case 'identifier':
      return `column ${token.name}`;
    case 'string':
      return 'a string constant';
    case 'number':
      return 'a number';
    case 'operator':
      return `"${token.operator}"`;
    case 'punctuation':
      return `"${token.symbol}"`;
    case 'end':
      return 'the end of the filter';
  }
}
