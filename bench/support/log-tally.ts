const LEVEL_NAMES: Record<number, string> = { 40: 'warn', 50: 'error', 60: 'fatal' };

/** One kind of warning or error a child logged. */
export interface LoggedProblem {
  level: string;
  msg: string;
  count: number;
  /** The error message of the first occurrence, when the line carried one. */
  example?: string;
}

/**
 * Counts the warnings and errors in a child's pino JSON output (by level and
 * message) and keeps its last lines of output for diagnostics.
 *
 * @example
 * ```ts
 * const logs = new LogTally();
 * child.stdout.on('data', (chunk) => logs.feed(String(chunk)));
 * console.log(logs.problems());
 * ```
 */
export class LogTally {
  private partial = '';
  private readonly last: string[] = [];
  private readonly counts = new Map<string, LoggedProblem>();

  constructor(private readonly keepLines = 40) {}

  /** Takes a chunk of output (lines may be split across chunks). */
  feed(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  /** Warnings and errors, most frequent first. */
  problems(): LoggedProblem[] {
    return [...this.counts.values()].sort((a, b) => b.count - a.count);
  }

  /** Forgets the problems counted so far (the output tail is kept). */
  reset(): void {
    this.counts.clear();
  }

  /** The last lines of output. */
  tail(): string[] {
    return [...this.last, ...(this.partial ? [this.partial] : [])];
  }

  private line(line: string): void {
    if (line.trim() === '') return;
    this.last.push(line.length > 600 ? `${line.slice(0, 600)}…` : line);
    if (this.last.length > this.keepLines) this.last.shift();
    const entry = parseJsonLine(line);
    if (!entry || typeof entry['level'] !== 'number' || entry['level'] < 40) return;
    const level = LEVEL_NAMES[entry['level']] ?? String(entry['level']);
    const msg = typeof entry['msg'] === 'string' ? entry['msg'] : '(no msg)';
    const key = `${level}\u0000${msg}`;
    const known = this.counts.get(key);
    if (known) {
      known.count += 1;
      return;
    }
    const example = errorText(entry['err']);
    this.counts.set(key, { level, msg, count: 1, ...(example ? { example } : {}) });
  }
}

function parseJsonLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function errorText(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { type, message, code } = err as { type?: unknown; message?: unknown; code?: unknown };
  const parts = [type, code, message].filter((p): p is string => typeof p === 'string');
  return parts.length > 0 ? parts.join(': ').slice(0, 300) : undefined;
}
