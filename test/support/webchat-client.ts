import WebSocket from 'ws';
import type { WebchatFrame, WebchatMessage } from '../../adapters/webchat/index.ts';

/** Frame ids are unique across clients: the server deduplicates a customer's repeated ids. */
let frameSeq = 0;

/**
 * A real web chat WebSocket client that collects frames and waits for the ones a test expects.
 *
 * @example
 * ```ts
 * const client = await Client.open('ws://127.0.0.1:3000/ws');
 * client.send({ type: 'hello', botId: 'directory' });
 * await client.until((f) => f.type === 'welcome');
 * ```
 */
export class Client {
  readonly frames: WebchatFrame[] = [];
  private seen = 0;
  private waiters: (() => void)[] = [];
  closed?: { code: number; reason: string };

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as WebchatFrame);
      for (const w of this.waiters.splice(0)) w();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async open(url: string): Promise<Client> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
    return new Client(ws);
  }

  /** Waits for a frame after the last one consumed that matches; returns the frames up to it. */
  async until(match: (f: WebchatFrame) => boolean, timeoutMs = 10_000): Promise<WebchatFrame[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex((f, i) => i >= this.seen && match(f));
      if (index >= 0) {
        const got = this.frames.slice(this.seen, index + 1);
        this.seen = index + 1;
        return got;
      }
      if (this.closed) throw new Error(`socket closed (${this.closed.code} ${this.closed.reason}) while waiting`);
      if (Date.now() > deadline) throw new Error(`no matching frame; got ${JSON.stringify(this.frames.slice(this.seen)).slice(0, 800)}`);
      await new Promise<void>((resolve) => { this.waiters.push(resolve); setTimeout(resolve, 200); });
    }
  }

  async closedWith(): Promise<{ code: number; reason: string }> {
    while (!this.closed) await new Promise<void>((resolve) => { this.waiters.push(resolve); setTimeout(resolve, 200); });
    return this.closed;
  }

  /** Sends a frame with a fresh id, and returns that id. */
  send(frame: Record<string, unknown>): string {
    const id = `t${++frameSeq}`;
    this.ws.send(JSON.stringify({ v: 1, id, ...frame }));
    return id;
  }

  /** Sends text and waits for the bot message that asks for the next input (a choice) or a given kind. */
  async say(text: string, kind: WebchatMessage['kind'] = 'choice'): Promise<WebchatMessage[]> {
    this.send({ type: 'text', text });
    return messages(await this.until((f) => f.type === 'message' && f.message.kind === kind));
  }

  async tap(optionId: string, kind: WebchatMessage['kind'] = 'choice'): Promise<WebchatMessage[]> {
    this.send({ type: 'choice', optionId });
    return messages(await this.until((f) => f.type === 'message' && f.message.kind === kind));
  }
}

export const messages = (frames: WebchatFrame[]): WebchatMessage[] => frames.flatMap((f) => (f.type === 'message' ? [f.message] : []));

export function lastChoice(msgs: WebchatMessage[]) {
  const choice = msgs.filter((m) => m.kind === 'choice').at(-1);
  if (choice?.kind !== 'choice') throw new Error('no choice');
  return choice;
}

export function optionId(msgs: WebchatMessage[], match: (label: string) => boolean): string {
  const option = lastChoice(msgs).options.find((o) => match(o.label));
  if (!option) throw new Error(`no option among ${lastChoice(msgs).options.map((o) => o.label).join(', ')}`);
  return option.id;
}

