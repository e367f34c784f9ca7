import { Argument, type Command } from 'commander';
import { LatchkeyError } from '../core/errors';
import type { CliContext } from './context';

/**
 * `latchkey completion bash|zsh|fish` prints a script for the shell (issue 12, item 2). The commands and options
 * are written into it from the commander program itself, so they never drift from the CLI; profile names change
 * with the manifest and the AWS files, so the script asks `latchkey __complete profiles|aws-profiles` for them at
 * Tab time (a light path: no app, no SDK, no keychain).
 */
const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof COMPLETION_SHELLS)[number];

/** The commands whose actions need no use case: they never load the app (cli/context.ts). */
export const APP_FREE_COMMANDS = new Set(['completion', '__complete']);

interface CommandNode {
  /** `aws login`: the words after `latchkey`. */
  path: string;
  subcommands: { name: string; description: string }[];
  options: { flags: string[]; description: string; takesValue: boolean }[];
  /** What the first operand is: a manifest profile, an AWS profile, or neither. */
  operand: 'profile' | 'aws-profile' | undefined;
}

export function registerCompletion(program: Command, ctx: CliContext): void {
  program
    .command('completion')
    .description('print a completion script for bash, zsh or fish (commands, options, profile names)')
    .addArgument(new Argument('<shell>', 'the shell').choices(COMPLETION_SHELLS))
    .addHelpText(
      'after',
      '\nInstall: bash: source <(latchkey completion bash) in ~/.bashrc; zsh: source <(latchkey completion zsh) ' +
        'in ~/.zshrc; fish: latchkey completion fish > ~/.config/fish/completions/latchkey.fish',
    )
    .action((shell: Shell) => {
      const nodes = commandNodes(program);
      ctx.out(shell === 'fish' ? fishScript(nodes) : bashScript(nodes, shell === 'zsh'));
    });
  program
    .command('__complete', { hidden: true })
    .argument('<what>', 'profiles | aws-profiles')
    .action(async (what: string) => {
      // Straight to the one module that reads the names, past the app's index (see main/app/completion.ts).
      const { completeAwsProfileNames, completeProfileNames } = await import('../app/completion');
      if (what === 'profiles') ctx.out((await completeProfileNames(ctx.project())).join('\n'));
      else if (what === 'aws-profiles') ctx.out((await completeAwsProfileNames()).join('\n'));
      else throw new LatchkeyError('INVALID_INPUT', `nothing to complete for ${what}`);
    });
}

function commandNodes(program: Command): CommandNode[] {
  const help = program.createHelp();
  const nodes: CommandNode[] = [];
  const visit = (command: Command, path: string[], inheritedOptions: CommandNode['options']) => {
    const options = help.visibleOptions(command).map((o) => ({
      flags: [o.short, o.long].filter((f): f is string => f !== undefined),
      description: o.description,
      takesValue: o.required || o.optional,
    }));
    const children = help.visibleCommands(command).filter((c) => c.name() !== 'help');
    const first = command.registeredArguments[0]?.name();
    nodes.push({
      path: path.join(' '),
      subcommands: children.map((c) => ({ name: c.name(), description: c.description() })),
      // The global options work before or after the command, so every command offers them too.
      options: [...options, ...inheritedOptions],
      operand: first !== 'profile' ? undefined : path[0] === 'aws' ? 'aws-profile' : 'profile',
    });
    for (const child of children) visit(child, [...path, child.name()], path.length === 0 ? options : inheritedOptions);
  };
  visit(program, [], []);
  return nodes;
}

const shellWords = (words: string[]) => words.join(' ');

function bashScript(nodes: CommandNode[], zsh: boolean): string {
  const caseOf = (pick: (n: CommandNode) => string) =>
    nodes.map((n) => `    ${JSON.stringify(n.path)}) echo ${JSON.stringify(pick(n))} ;;`).join('\n');
  const valueOptions = [
    ...new Set(nodes.flatMap((n) => n.options.filter((o) => o.takesValue).flatMap((o) => o.flags))),
  ];
  return `# latchkey completion for ${zsh ? 'zsh' : 'bash'}: ${
    zsh ? 'source <(latchkey completion zsh) in ~/.zshrc' : 'source <(latchkey completion bash) in ~/.bashrc'
  }
${zsh ? 'autoload -U +X bashcompinit && bashcompinit\n' : ''}_latchkey_subcommands() {
  case "$1" in
${caseOf((n) => shellWords(n.subcommands.map((s) => s.name)))}
  esac
}
_latchkey_options() {
  case "$1" in
${caseOf((n) => shellWords(n.options.flatMap((o) => o.flags)))}
  esac
}
_latchkey_operand() {
  case "$1" in
${caseOf((n) => n.operand ?? '')}
  esac
}
_latchkey() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local path="" dir=() i w skip=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    if [[ -n "$skip" ]]; then skip=""; continue; fi
    case "$w" in
      --) return 0 ;;
      -d|--dir) dir=(--dir "\${COMP_WORDS[i+1]}"); skip=1 ;;
      ${valueOptions.filter((f) => f !== '-d' && f !== '--dir').join('|') || '--never'}) skip=1 ;;
      -*) ;;
      *) if [[ " $(_latchkey_subcommands "$path") " == *" $w "* ]]; then path="\${path:+$path }$w"; fi ;;
    esac
  done
  case "$prev" in
    -d|--dir) COMPREPLY=($(compgen -d -- "$cur")); return 0 ;;
    --aws-profile) COMPREPLY=($(compgen -W "$(latchkey __complete aws-profiles 2>/dev/null)" -- "$cur")); return 0 ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$(_latchkey_options "$path")" -- "$cur"))
    return 0
  fi
  local words operand
  words="$(_latchkey_subcommands "$path")"
  operand="$(_latchkey_operand "$path")"
  if [[ "$operand" == profile ]]; then words="$words $(latchkey "\${dir[@]}" __complete profiles 2>/dev/null)"; fi
  if [[ "$operand" == aws-profile ]]; then words="$words $(latchkey __complete aws-profiles 2>/dev/null)"; fi
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _latchkey latchkey
`;
}

function fishScript(nodes: CommandNode[]): string {
  const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const lines = ['# latchkey completion for fish: latchkey completion fish > ~/.config/fish/completions/latchkey.fish'];
  lines.push('complete -c latchkey -f');
  const seen = (path: string) => {
    if (path === '') return '__fish_use_subcommand';
    const words = path.split(' ');
    return words.map((w) => `__fish_seen_subcommand_from ${w}`).join('; and ');
  };
  for (const n of nodes) {
    const condition = seen(n.path);
    const childNames = n.subcommands.map((s) => s.name).join(' ');
    for (const s of n.subcommands) {
      const notYet = n.path === '' ? '' : `; and not __fish_seen_subcommand_from ${childNames}`;
      lines.push(`complete -c latchkey -n ${quote(condition + notYet)} -a ${quote(s.name)} -d ${quote(s.description)}`);
    }
    for (const o of n.options) {
      const flags = o.flags.map((f) => (f.startsWith('--') ? `-l ${f.slice(2)}` : `-s ${f.slice(1)}`)).join(' ');
      const value = o.flags.includes('--aws-profile')
        ? " -x -a '(latchkey __complete aws-profiles 2>/dev/null)'"
        : o.flags.includes('--dir')
          ? ' -r -F'
          : o.takesValue
            ? ' -x'
            : '';
      lines.push(`complete -c latchkey -n ${quote(condition)} ${flags}${value} -d ${quote(o.description)}`);
    }
    if (n.operand) {
      const source = n.operand === 'profile' ? 'profiles' : 'aws-profiles';
      lines.push(`complete -c latchkey -n ${quote(condition)} -a '(latchkey __complete ${source} 2>/dev/null)'`);
    }
  }
  return `${lines.join('\n')}\n`;
}
