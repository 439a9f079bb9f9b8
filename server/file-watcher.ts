import { readdirSync, watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { checkFlow, ConfigError, formatProblem, isVitrineError, type ConfigProblem, type Db, type Engine, type StepRegistry } from '../engine/index.ts';
import { parseSource } from '../engine/config/problems.ts';
import { reloadBotFiles } from './bot-reload.ts';

/** What one reload after a file change did. */
export type WatchEvent =
  | { kind: 'bot' | 'flow'; id: string; ok: true }
  | { kind: 'bot' | 'flow'; id: string; ok: false; problems: ConfigProblem[] };

/** Options of {@link FileWatcher}. */
export interface FileWatcherOptions {
  runtime: { engine: Engine; db: Db; steps: StepRegistry; logger: Logger };
  /** The folders whose bot folders are watched (default: every loaded bot's). New folders inside a bot's folder need a restart. */
  botsDirs?: readonly string[];
  /** The folder of the flow files. */
  flowsDir: string;
  /** Quiet time after the last change of a bot or flow before it is reloaded (editors write in bursts; default 200 ms). */
  debounceMs?: number;
  /** Told after each reload (tests, a dashboard). */
  onReload?: (event: WatchEvent) => void;
}

/**
 * Watches the bots' folders and the flows folder, and reloads what changed
 * without a restart: a bot through {@link reloadBotFiles} (checked first; a
 * problem leaves the running version), a flow once the bots running it are
 * checked against it. Problems are logged with file and line, and kept in
 * {@link FileWatcher.problems} until the file is fixed. Reloads run one at
 * a time.
 *
 * @example
 * ```ts
 * const watcher = new FileWatcher({ runtime, flowsDir: FLOWS_DIR });
 * watcher.start();
 * // … later
 * watcher.close();
 * ```
 */
export class FileWatcher {
  /** The problems of the last reload that failed, by `bot:<id>` or `flow:<file>`. */
  readonly problems = new Map<string, ConfigProblem[]>();
  private readonly watchers: FSWatcher[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: FileWatcherOptions) {}

  /** Starts watching. */
  start(): void {
    const { engine } = this.options.runtime;
    const botsDirs = this.options.botsDirs ?? [...new Set([...engine.bots.values()].map((b) => path.dirname(b.dir)))];
    // One watcher per folder, not a recursive one: a file an editor replaces (write, then rename) stays watched.
    for (const bot of engine.bots.values()) {
      if (!botsDirs.includes(path.dirname(bot.dir))) continue;
      for (const dir of foldersUnder(bot.dir)) {
        this.watchers.push(watch(dir, () => this.later(`bot:${bot.runtime.id}`, () => this.reloadBot(bot.runtime.id))));
      }
    }
    const flowsDir = this.options.flowsDir;
    this.watchers.push(watch(flowsDir, (_event, name) => {
      const file = name ? path.join(flowsDir, String(name)) : '';
      if (/\.flow\.(yaml|json)$/.test(file)) this.later(`flow:${file}`, () => this.reloadFlow(file));
    }));
  }

  /** Stops watching; a reload under way finishes. */
  async close(): Promise<void> {
    for (const w of this.watchers.splice(0)) w.close();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await this.queue;
  }

  /** Runs `reload` once the changes of `key` are quiet, after the reloads before it. */
  private later(key: string, reload: () => Promise<WatchEvent>): void {
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.queue = this.queue.then(reload).then((event) => this.report(key, event), (err: unknown) => {
        this.options.runtime.logger.error({ err, key }, 'reload after a file change failed');
      });
    }, this.options.debounceMs ?? 200));
  }

  private report(key: string, event: WatchEvent): void {
    const { logger } = this.options.runtime;
    if (event.ok) {
      this.problems.delete(key);
      logger.info({ [event.kind]: event.id }, `${event.kind} reloaded after a file change`);
    } else {
      this.problems.set(key, event.problems);
      logger.warn({ [event.kind]: event.id, problems: event.problems.map(formatProblem) }, `${event.kind} files have problems: the running version stays`);
    }
    this.options.onReload?.(event);
  }

  private async reloadBot(botId: string): Promise<WatchEvent> {
    try {
      await reloadBotFiles(this.options.runtime, botId);
      return { kind: 'bot', id: botId, ok: true };
    } catch (err) {
      return { kind: 'bot', id: botId, ok: false, problems: problemsOf(err, botId) };
    }
  }

  private async reloadFlow(file: string): Promise<WatchEvent> {
    const id = path.basename(file).replace(/\.flow\.(yaml|json)$/, '');
    try {
      const src = parseSource(file, await readFile(file, 'utf8'));
      if ('problems' in src) return { kind: 'flow', id, ok: false, problems: src.problems };
      const checked = checkFlow(src, this.options.runtime.steps);
      if (!checked.flow) return { kind: 'flow', id, ok: false, problems: checked.problems };
      this.options.runtime.engine.reloadFlow(checked.flow);
      return { kind: 'flow', id: checked.flow.id, ok: true };
    } catch (err) {
      return { kind: 'flow', id, ok: false, problems: problemsOf(err, file) };
    }
  }
}

/** A folder and every folder inside it. */
function foldersUnder(dir: string): string[] {
  return [dir, ...readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).flatMap((d) => foldersUnder(path.join(dir, d.name)))];
}

/** The problems an error stands for: a configuration error's list, or one problem with its message. */
function problemsOf(err: unknown, where: string): ConfigProblem[] {
  if (err instanceof ConfigError) return err.problems;
  if (isVitrineError(err)) return [{ file: where, path: '', message: err.message }];
  throw err;
}
