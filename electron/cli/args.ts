// A small, strict argument parser for the `pprof-studio` subcommands.

/** A usage error: the command line itself is wrong (exit code 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Bad input: a file or URL could not be used (exit code 1). */
export class InputError extends Error {
  override readonly name = 'InputError';
}

export interface OptionSpec {
  /** Takes a value (`--name V` or `--name=V`); otherwise a boolean switch. */
  value?: boolean;
  /** May be given several times; values are collected in order. */
  repeat?: boolean;
  /** One-letter alias, e.g. 'o' for `-o`. */
  short?: string;
}

export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string[]>;
  flags: Set<string>;
}

export function parseArgs(argv: string[], spec: Record<string, OptionSpec>): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string[]>();
  const flags = new Set<string>();
  const byShort = new Map<string, string>();
  for (const [name, s] of Object.entries(spec)) if (s.short) byShort.set(s.short, name);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    } else if (arg.length === 2 && arg.startsWith('-') && arg !== '-') {
      name = byShort.get(arg.slice(1));
      if (name === undefined) throw new UsageError(`unknown option ${arg}`);
    } else {
      positionals.push(arg);
      continue;
    }
    const s = spec[name];
    if (!s) throw new UsageError(`unknown option --${name}`);
    if (s.value) {
      let v = inline;
      if (v === undefined) {
        if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
        v = argv[++i];
      }
      const list = options.get(name) ?? [];
      if (list.length > 0 && !s.repeat) throw new UsageError(`--${name} given more than once`);
      list.push(v);
      options.set(name, list);
    } else {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      flags.add(name);
    }
  }
  return { positionals, options, flags };
}

export function optionValue(args: ParsedArgs, name: string): string | undefined {
  return args.options.get(name)?.[0];
}

export function intOption(args: ParsedArgs, name: string, fallback: number): number {
  const v = optionValue(args, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name} needs a whole number, got '${v}'`);
  return Number(v);
}
