import { isAssumeMode, isPlatformRules, type AssumeMode, type PlatformRules } from "../core/platform";
import { escapeText } from "./report";

/** A mistake in the command line: one line on stderr and exit status 2. */
export class UsageError extends Error {}

export interface Argument {
  readonly arg: string;
  /** The flag without an inline value (`--format` of `--format=json`), or the argument itself. */
  readonly flag: string;
  readonly inline: string | undefined;
  /** The flag's value, inline or the next argument (which it then consumes). */
  readonly value: () => string;
}

/** The arguments of a command, each with its flag and value, as every subcommand reads them. */
export function* argumentsOf(rest: readonly string[]): Generator<Argument> {
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const equals = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = equals >= 0 ? arg.slice(0, equals) : arg;
    const inline = equals >= 0 ? arg.slice(equals + 1) : undefined;
    const value = (): string => {
      const next = inline ?? rest[++i];
      if (next === undefined || next === "") throw new UsageError(`${flag} needs a value`);
      return next;
    };
    yield { arg, flag, inline, value };
  }
}

/** `--platform-rules current|2024`. */
export function platformRulesOption(value: string): PlatformRules {
  if (!isPlatformRules(value)) throw new UsageError(`--platform-rules must be current or 2024, not "${escapeText(value)}"`);
  return value;
}

/** `--assume likely|strict`. */
export function assumeOption(value: string): AssumeMode {
  if (!isAssumeMode(value)) throw new UsageError(`--assume must be likely or strict, not "${escapeText(value)}"`);
  return value;
}

/** Parses a command line; a usage error is reported on stderr and gives undefined (exit status 2). */
export function parseOrReport<T>(parse: () => T, err: (s: string) => void): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`smart-placement: ${error.message}\n`);
    return undefined;
  }
}
