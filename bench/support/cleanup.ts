import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';

/**
 * What the benchmark run must undo however it ends: child processes to kill
 * and temporary folders to remove. Hooks `exit`, SIGINT, SIGTERM and uncaught
 * errors once, so an interrupted run leaves no server behind.
 *
 * @example
 * ```ts
 * const dir = leftovers.tempDir('full-path');
 * leftovers.track(child);
 * ```
 */
class Leftovers {
  private readonly children = new Set<ChildProcess>();
  private readonly dirs = new Set<string>();
  private installed = false;

  /** Kills `child` (SIGKILL) if it is still running when the bench process ends. */
  track(child: ChildProcess): void {
    this.install();
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
  }

  /** A new empty folder under the system temp folder, removed when the bench process ends. */
  tempDir(label: string): string {
    this.install();
    const dir = mkdtempSync(path.join(tmpdir(), `vitrine-bench-${label}-`));
    this.dirs.add(dir);
    return dir;
  }

  /** Removes a folder made by {@link Leftovers.tempDir} now. */
  removeDir(dir: string): void {
    rmSync(dir, { recursive: true, force: true });
    this.dirs.delete(dir);
  }

  /** Kills every tracked child and removes every temp folder, synchronously. */
  disposeNow(): void {
    for (const child of this.children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    this.children.clear();
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
    this.dirs.clear();
  }

  private install(): void {
    if (this.installed) return;
    this.installed = true;
    process.once('exit', () => this.disposeNow());
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        console.error(`\nbench: ${signal}, stopping servers`);
        this.disposeNow();
        process.exit(130);
      });
    }
    process.once('uncaughtException', (err) => {
      console.error('bench: uncaught error', err);
      this.disposeNow();
      process.exit(1);
    });
  }
}

/** The one {@link Leftovers} of this bench process. */
export const leftovers = new Leftovers();
