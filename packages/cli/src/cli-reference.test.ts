// Real: the carelake command tree that main.ts builds and small commander programs; nothing is faked.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { renderCliReference } from './cli-reference';
import { program } from './main';

const REFERENCE_PAGE = join(__dirname, '..', '..', '..', 'docs', 'reference', 'cli.md');

/** A program shaped like carelake's: a group with a nested group, choices, defaults and a hidden option. */
function sampleProgram(): Command {
  const tool = new Command('tool').description('Sample tool.').option('--lake <path>', 'lake folder');
  const tier = tool.command('tier').description('Tier data.');
  tier
    .command('report')
    .description('Print a report.')
    .option('--out <dir>', 'folder to write to', 'report')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--today <date>', 'date to judge on').hideHelp())
    .requiredOption('--table <name>', 'table to report on')
    .action(() => undefined);
  const hold = tier.command('hold').description('Manage holds.');
  hold.command('place <table>').description('Place a hold.').action(() => undefined);
  return tool;
}

describe('renderCliReference', () => {
  const page = renderCliReference(sampleProgram());

  it.each([
    { case: 'option default', line: '| `--out <dir>` | folder to write to. | `report` |' },
    { case: 'choices and default', line: '| `-f, --format <format>` | output format. One of: `text`, `json`. | `text` |' },
    { case: 'required option', line: '| `--table <name>` | table to report on. Required. |  |' },
    { case: 'program option', line: '| `--lake <path>` | lake folder. |  |' },
    { case: 'nested command heading', line: '## tool tier hold place' },
    { case: 'usage with arguments', line: 'tool tier hold place [options] <table>' },
    { case: 'index entry', line: '- [`tool tier hold place`](#tool-tier-hold-place)' },
    { case: 'subcommand list', line: '- [`report`](#tool-tier-report): Print a report.' },
  ])('lists the $case', ({ line }) => {
    expect(page.split('\n')).toContain(line);
  });

  it.each([
    { case: 'hidden option', text: '--today' },
    { case: 'implicit help command', text: '## tool help' },
    { case: 'implicit help option', text: '`-h, --help` |' },
  ])('leaves out the $case', ({ text }) => {
    expect(page).not.toContain(text);
  });
});

describe('docs/reference/cli.md', () => {
  it('matches the carelake command tree', () => {
    const expected = renderCliReference(program).split('\n');
    const actual = readFileSync(REFERENCE_PAGE, 'utf8').split('\n');
    const firstDifference = expected.findIndex((line, index) => actual[index] !== line);
    if (firstDifference !== -1 || actual.length !== expected.length) {
      const line = firstDifference === -1 ? Math.min(actual.length, expected.length) + 1 : firstDifference + 1;
      throw new Error(`docs/reference/cli.md is out of date with the carelake commands from line ${line}: run npm run docs:cli`);
    }
  });
});
