import type { ConversationStore, JournalEntry } from '../store/conversation-store.ts';

/** How an event ended, as the worker that ran it tells it. */
export interface Completion {
  entry: JournalEntry;
  /** How many events the turn scheduled after itself (-1: not known, look). */
  followUps: number;
  /** The conversation's locale after the turn, when known. */
  locale?: string;
}

/**
 * Lets a caller wait for a journal event to be finished, whichever
 * instance runs it: this instance's workers hand their result to
 * {@link CompletionWaiter.done} (no query), and a slow poll of the store
 * covers events another instance took.
 *
 * @example
 * ```ts
 * const waiter = new CompletionWaiter(store);
 * const { entry } = await waiter.wait(admission.id); // status 'done' or 'failed'
 * ```
 */
export class CompletionWaiter {
  private readonly listeners = new Map<number, Set<(completion: Completion) => void>>();
  /** Results that arrived before anyone waited (the turn was quicker than the caller). */
  private readonly early = new Map<number, Completion>();

  constructor(private readonly store: ConversationStore, private readonly pollMs = 200, private readonly keep = 1000) {}

  /** Called by this instance's worker when an event is finished (or given up). */
  done(id: number, completion: Completion): void {
    const waiting = this.listeners.get(id);
    if (waiting) {
      for (const listener of [...waiting]) listener(completion);
      return;
    }
    this.early.set(id, completion);
    if (this.early.size > this.keep) {
      const oldest = this.early.keys().next().value;
      if (oldest !== undefined) this.early.delete(oldest);
    }
  }

  /** Resolves once the event is no longer admitted. */
  wait(id: number): Promise<Completion> {
    const early = this.early.get(id);
    if (early) {
      this.early.delete(id);
      return Promise.resolve(early);
    }
    return new Promise<Completion>((resolve, reject) => {
      const waiting = this.listeners.get(id) ?? new Set<(completion: Completion) => void>();
      this.listeners.set(id, waiting);
      let settled = false;
      const stop = () => {
        settled = true;
        clearInterval(timer);
        waiting.delete(finish);
        if (waiting.size === 0 && this.listeners.get(id) === waiting) this.listeners.delete(id);
      };
      const finish = (completion: Completion) => {
        stop();
        resolve(completion);
      };
      // Another instance may run it: look at the store now and then.
      const timer = setInterval(() => {
        this.store.entry(id).then((entry) => {
          if (!settled && entry && entry.status !== 'admitted') finish({ entry, followUps: -1 });
        }, (err: unknown) => {
          stop();
          reject(err);
        });
      }, this.pollMs);
      timer.unref();
      waiting.add(finish);
    });
  }

  /**
   * Waits for the events a finished event caused (their message ids extend
   * its own), and the ones those caused, in order.
   */
  async followUps(first: Completion): Promise<JournalEntry[]> {
    const out: JournalEntry[] = [];
    let pending = [first];
    while (pending.length > 0) {
      const next: Completion[] = [];
      for (const parent of pending) {
        if (parent.followUps === 0) continue;
        for (const child of await this.store.followUps(parent.entry)) {
          if (child.id <= parent.entry.id || out.some((e) => e.id === child.id)) continue;
          const done = child.status === 'admitted' ? await this.wait(child.id) : { entry: child, followUps: -1 };
          out.push(done.entry);
          next.push(done);
        }
      }
      pending = next;
    }
    return out;
  }
}
