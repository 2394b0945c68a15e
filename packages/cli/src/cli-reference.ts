import type { Command, Option } from 'commander';

/** The first lines of docs/reference/cli.md, which state how the page is generated. */
const PAGE_HEADER = [
  '# carelake command reference',
  '',
  "Generated from the commands' own help by `npm run docs:cli`; edit the command definitions in",
  'packages/cli/src, not this page. `carelake COMMAND --help` prints the same text in the terminal.',
  'Every command also takes `-h, --help`.',
];

/**
 * Renders the Markdown reference of a commander program: every command and subcommand with its
 * usage, description and options (choices, defaults, required). Hidden options and the implicit
 * help command and option are left out, as `--help` leaves them out.
 */
export function renderCliReference(program: Command): string {
  const commands = commandsOf(program);
  const lines = [...PAGE_HEADER, '', '## Commands', ''];
  for (const command of commands) lines.push(`- [\`${fullName(command)}\`](#${anchorOf(command)})`);

  for (const command of [program, ...commands]) lines.push('', ...commandSection(command));
  return `${lines.join('\n')}\n`;
}

/** Lists the commands under a program, depth first in the order they were added. */
function commandsOf(parent: Command): Command[] {
  const help = parent.createHelp();
  return help
    .visibleCommands(parent)
    .filter((command) => !isHelpCommand(parent, command))
    .flatMap((command) => [command, ...commandsOf(command)]);
}

// Commander lists its implicit `help [command]` among the visible commands as a placeholder.
function isHelpCommand(parent: Command, command: Command): boolean {
  return command.name() === 'help' && !parent.commands.includes(command);
}

function commandSection(command: Command): string[] {
  const help = command.createHelp();
  const lines = [`## ${fullName(command)}`, '', help.commandDescription(command), '', '```', help.commandUsage(command), '```'];

  const options = help.visibleOptions(command).filter((option) => !isHelpOption(command, option));
  if (options.length > 0) {
    lines.push('', '| option | meaning | default |', '|---|---|---|');
    for (const option of options) lines.push(`| \`${option.flags}\` | ${tableCell(optionMeaning(option))} | ${tableCell(optionDefault(option))} |`);
  }

  const subcommands = help.visibleCommands(command).filter((subcommand) => !isHelpCommand(command, subcommand));
  if (subcommands.length > 0) {
    lines.push('', 'Subcommands:', '');
    for (const subcommand of subcommands) lines.push(`- [\`${subcommand.name()}\`](#${anchorOf(subcommand)}): ${help.subcommandDescription(subcommand)}`);
  }
  return lines;
}

function isHelpOption(command: Command, option: Option): boolean {
  return option.long === '--help' && !command.options.includes(option);
}

function optionMeaning(option: Option): string {
  const parts = [/[.!?]$/.test(option.description) ? option.description : `${option.description}.`];
  if (option.argChoices !== undefined) parts.push(`One of: ${option.argChoices.map((choice) => `\`${choice}\``).join(', ')}.`);
  if (option.mandatory) parts.push('Required.');
  return parts.join(' ');
}

function optionDefault(option: Option): string {
  if (option.defaultValueDescription !== undefined) return option.defaultValueDescription;
  if (option.defaultValue === undefined) return '';
  return `\`${String(option.defaultValue)}\``;
}

function fullName(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current !== null; current = current.parent) names.unshift(current.name());
  return names.join(' ');
}

/** The anchor GitHub gives a `## carelake lifecycle hold place` heading. */
function anchorOf(command: Command): string {
  return fullName(command).toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
}

function tableCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
