import type { ConversationStore, JournalEntry } from '../store/conversation-store.ts';

/**
 * Lets a caller wait for a journal event to be finished, whichever
 * instance runs it: this instance's workers call {@link CompletionWaiter.done},
 * and a slow poll of the store covers events another instance took.
 *
 * @example
 * ```ts
 * const waiter = new CompletionWaiter(store);
 * const entry = await waiter.wait(admission.id); // status 'done' or 'failed'
 * ```
 */
export class CompletionWaiter {
  private readonly listeners = new Map<number, Set<() => void>>();

  constructor(private readonly store: ConversationStore, private readonly pollMs = 200) {}

  /** Called when this instance finished (or gave up) an event. */
  done(id: number): void {
    const set = this.listeners.get(id);
    if (set) for (const listener of set) listener();
  }

  /** Resolves with the event once it is no longer admitted. */
  wait(id: number): Promise<JournalEntry> {
    return new Promise<JournalEntry>((resolve, reject) => {
      const set = this.listeners.get(id) ?? new Set<() => void>();
      this.listeners.set(id, set);
      let settled = false;
      const check = () => {
        this.store.entry(id).then((entry) => {
          if (settled || !entry || entry.status === 'admitted') return;
          settled = true;
          clearInterval(timer);
          set.delete(check);
          if (set.size === 0) this.listeners.delete(id);
          resolve(entry);
        }, (err: unknown) => {
          settled = true;
          clearInterval(timer);
          set.delete(check);
          reject(err);
        });
      };
      const timer = setInterval(check, this.pollMs);
      timer.unref();
      set.add(check);
      check();
    });
  }

  /**
   * Waits for the events a finished event caused (their message ids extend
   * its own), and the ones those caused, in order.
   */
  async followUps(entry: JournalEntry): Promise<JournalEntry[]> {
    const out: JournalEntry[] = [];
    const seen = new Set<number>();
    for (;;) {
      const next = (await this.store.followUps(entry)).filter((e) => !seen.has(e.id));
      if (next.length === 0) return out;
      for (const child of next) {
        seen.add(child.id);
        out.push(await this.wait(child.id));
      }
    }
  }
}
