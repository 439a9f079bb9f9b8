import { performance } from 'node:perf_hooks';
import { distribution, type Distribution } from './stats.ts';

/**
 * Asks `GET /health` every `everyMs` (one request at a time) while a benchmark
 * loads the server, and keeps the response times: a server whose event loop is
 * busy or blocked answers even this trivial route late.
 *
 * @example
 * ```ts
 * const probe = HealthProbe.start(server.url);
 * // … load …
 * const { latency, failures } = await probe.stop();
 * ```
 */
export class HealthProbe {
  private readonly samples: number[] = [];
  private failures = 0;
  private running = true;
  private readonly loop: Promise<void>;

  private constructor(private readonly url: string, private readonly everyMs: number) {
    this.loop = this.run();
  }

  /** Starts probing `url` (`http://127.0.0.1:<port>`). */
  static start(url: string, everyMs = 100): HealthProbe {
    return new HealthProbe(url, everyMs);
  }

  /** Stops and returns the response times (ms) and how many probes failed or took over 10 s. */
  async stop(): Promise<{ latency: Distribution; failures: number }> {
    this.running = false;
    await this.loop;
    return { latency: distribution(this.samples), failures: this.failures };
  }

  private async run(): Promise<void> {
    while (this.running) {
      const t0 = performance.now();
      try {
        const res = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        if (res.ok) this.samples.push(performance.now() - t0);
        else this.failures += 1;
      } catch {
        this.failures += 1;
      }
      const wait = this.everyMs - (performance.now() - t0);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
