// Real: the FHIRPath lexer and parser on literal expressions; nothing is faked.
import type { FhirPathNode } from './ast';
import { FhirPathCompileError } from './errors';
import { parseFhirPath } from './parser';

/** Render a syntax tree compactly, with explicit brackets, to check precedence. */
function render(node: FhirPathNode): string {
  switch (node.kind) {
    case 'literal':
      return node.type === 'String' ? `'${String(node.value)}'` : node.text;
    case 'empty':
      return '{}';
    case 'identifier':
      return node.name;
    case 'function':
      return `${node.name}(${node.args.map(render).join(', ')})`;
    case 'variable':
      return `$${node.name}`;
    case 'constant':
      return `%${node.name}`;
    case 'invocation':
      return `${render(node.target)}.${render(node.member)}`;
    case 'indexer':
      return `${render(node.target)}[${render(node.index)}]`;
    case 'unary':
      return `(${node.operator}${render(node.operand)})`;
    case 'binary':
      return `(${render(node.left)} ${node.operator} ${render(node.right)})`;
    case 'type-operator':
      return `(${render(node.operand)} ${node.operator} ${node.typeName})`;
  }
}

function syntaxErrorOf(expression: string): FhirPathCompileError {
  try {
    parseFhirPath(expression);
  } catch (error) {
    if (error instanceof FhirPathCompileError) return error;
    throw error;
  }
  throw new Error(`expected "${expression}" not to parse`);
}

describe('parseFhirPath', () => {
  it.each([
    { case: 'multiplication before addition', expression: '1 + 2 * 3', tree: '(1 + (2 * 3))' },
    { case: 'left associativity', expression: '10 - 4 - 3', tree: '((10 - 4) - 3)' },
    { case: 'and before or', expression: 'a or b and c', tree: '(a or (b and c))' },
    { case: 'implies last', expression: 'a and b implies c', tree: '((a and b) implies c)' },
    { case: 'comparison before equality', expression: 'a < b = true', tree: '((a < b) = true)' },
    { case: 'union before comparison', expression: 'a | b > c', tree: '((a | b) > c)' },
    { case: 'equality before membership', expression: 'a = b in c', tree: '((a = b) in c)' },
    { case: 'unary minus binds tight', expression: '-a.b + 1', tree: '((-a.b) + 1)' },
    {
      case: 'invocation chain',
      expression: "name.where(use = 'official').family",
      tree: "name.where((use = 'official')).family",
    },
    { case: 'indexer', expression: 'name[%i].given[0]', tree: 'name[%i].given[0]' },
    {
      case: 'type operator',
      expression: 'value is Quantity and true',
      tree: '((value is Quantity) and true)',
    },
    { case: 'qualified type', expression: 'value as FHIR.string', tree: '(value as FHIR.string)' },
    { case: 'keyword as function name', expression: 'code.contains(x)', tree: 'code.contains(x)' },
    { case: 'keyword as element name', expression: 'as.is', tree: 'as.is' },
    { case: 'parentheses', expression: '(a or b) and c', tree: '((a or b) and c)' },
    { case: 'empty collection', expression: '{} | a', tree: '({} | a)' },
    {
      case: 'string concatenation',
      expression: "given & ' ' & family",
      tree: "((given & ' ') & family)",
    },
    { case: 'div and mod words', expression: '7 div 2 mod 3', tree: '((7 div 2) mod 3)' },
    { case: 'comments', expression: 'a // trailing\n + /* inner */ b', tree: '(a + b)' },
    {
      case: 'delimited identifier',
      expression: '`given name`.first()',
      tree: 'given name.first()',
    },
    {
      case: 'quoted constant',
      expression: "%`my constant` = %'other'",
      tree: '(%my constant = %other)',
    },
  ])('parses $case', ({ expression, tree }) => {
    expect(render(parseFhirPath(expression))).toBe(tree);
  });

  it.each([
    { case: 'integer', expression: '42', type: 'Integer', value: 42 },
    { case: 'decimal', expression: '1.50', type: 'Decimal', value: 1.5 },
    { case: 'boolean', expression: 'false', type: 'Boolean', value: false },
    {
      case: 'string with escapes',
      expression: "'it\\'s\\n\\u00e9'",
      type: 'String',
      value: "it's\né",
    },
    { case: 'date', expression: '@2014-01', type: 'Date', value: '2014-01' },
    {
      case: 'dateTime with zone',
      expression: '@2014-01-25T14:30:14.559+01:00',
      type: 'DateTime',
      value: '2014-01-25T14:30:14.559+01:00',
    },
    {
      case: 'dateTime of date precision',
      expression: '@2014-01-25T',
      type: 'DateTime',
      value: '2014-01-25T',
    },
    { case: 'time', expression: '@T14:30', type: 'Time', value: '14:30' },
    {
      case: 'UCUM quantity',
      expression: "4.5 'mg'",
      type: 'Quantity',
      value: { value: 4.5, code: 'mg' },
    },
    {
      case: 'calendar quantity',
      expression: '3 days',
      type: 'Quantity',
      value: { value: 3, code: 'days' },
    },
  ])('reads a $case literal', ({ expression, type, value }) => {
    const node = parseFhirPath(expression);
    if (node.kind !== 'literal') throw new Error(`expected a literal but got ${node.kind}`);
    expect(node.type).toBe(type);
    expect(node.value).toEqual(value);
  });

  it('keeps the offset of each node', () => {
    const node = parseFhirPath("name.where(use = 'x')");
    expect(node.kind).toBe('invocation');
    if (node.kind !== 'invocation' || node.member.kind !== 'function')
      throw new Error('unexpected tree');
    expect(node.member.offset).toBe(5);
    expect(node.member.args[0]?.offset).toBe(15);
  });

  it.each([
    { case: 'empty expression', expression: '   ', message: 'the expression is empty', offset: 0 },
    {
      case: 'double at sign',
      expression: '@@',
      message: 'invalid date literal; expected @YYYY-MM-DD',
      offset: 0,
    },
    {
      case: 'unclosed call',
      expression: 'name.where(use = 1',
      message: 'expected ")" but found the end of the expression',
      offset: 18,
    },
    {
      case: 'trailing operator',
      expression: 'a and',
      message: 'the expression ends too early',
      offset: 5,
    },
    {
      case: 'unterminated string',
      expression: "use = 'x",
      message: 'unterminated string',
      offset: 6,
    },
    { case: 'bad escape', expression: "'a\\q'", message: 'invalid escape sequence', offset: 2 },
    {
      case: 'unknown character',
      expression: 'a ^ b',
      message: 'unexpected character "^"',
      offset: 2,
    },
    {
      case: 'unknown variable',
      expression: '$that',
      message: 'unknown variable; expected $this, $index or $total',
      offset: 0,
    },
    { case: 'two terms', expression: 'name family', message: 'unexpected "family"', offset: 5 },
    {
      case: 'dot without name',
      expression: 'name.(x)',
      message: 'expected an element or function name after "." but found "("',
      offset: 5,
    },
    {
      case: 'unterminated comment',
      expression: 'a /* b',
      message: 'unterminated comment',
      offset: 2,
    },
  ])('reports a $case with its offset', ({ expression, message, offset }) => {
    const error = syntaxErrorOf(expression);
    expect(error.message).toBe(message);
    expect(error.offset).toBe(offset);
  });
});
