import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** The parts of a Cloud API send request the tests read. */
export interface GraphMessage {
  to: string;
  type: string;
  text?: { body: string };
  image?: { link: string; caption?: string };
  interactive?: {
    type: string;
    body: { text: string };
    action: { buttons?: { reply: { id: string; title: string } }[]; sections?: { rows: { id: string; title: string }[] }[] };
  };
}

/** One request the fake Graph API received. */
export interface GraphCall {
  /** Order of arrival, from 1. */
  seq: number;
  path: string;
  message: GraphMessage;
  /** The message as the customer would see it (type and texts): two equal keys are the same message sent twice. */
  key: string;
  receivedAt: number;
  /** The status the fake answered (or is about to answer after its delay); undefined while held. */
  status: number | undefined;
  /** `dropped`: the sender went away before an answer was decided (a held request of a killed server). */
  state: 'held' | 'answered' | 'dropped';
}

/** A scripted answer. */
export interface GraphAnswer {
  status: number;
  body?: unknown;
}

/** A local stand-in for the WhatsApp Cloud API (`POST /v21.0/<phone id>/messages`). */
export interface FakeGraph {
  /** Base URL for `WHATSAPP_GRAPH_URL` (ends with /v21.0). */
  graphUrl: string;
  readonly calls: readonly GraphCall[];
  /** Calls the customer got: answered 2xx. Several per key mean the customer saw the message several times. */
  accepted(to?: string): GraphCall[];
  /** Answers to give next, in order (before the fallback). */
  script(...answers: GraphAnswer[]): void;
  /** Answers given when nothing is scripted (default 200 with a message id). */
  setFallback(answer: (call: GraphCall) => GraphAnswer): void;
  /** Waits this long before writing each answer (the status is decided when the request arrives). */
  setDelayMs(ms: number): void;
  /** Holds every request without answering until {@link FakeGraph.release}. */
  hold(): void;
  /**
   * Stops holding; held requests still connected get their answers now. After killing a
   * server, wait until its held calls are `dropped` (their connection closed) before releasing.
   */
  release(): void;
  /** Resolves when `check` holds after some request arrived or was answered; rejects after `timeoutMs` with `describe()`. */
  waitFor(check: () => boolean, timeoutMs: number, describe: () => string): Promise<void>;
  close(): Promise<void>;
}

/** The answer of a healthy Graph API. */
export const GRAPH_OK: GraphAnswer = { status: 200, body: { messaging_product: 'whatsapp', messages: [{ id: 'wamid.out' }] } };

/** A Cloud API message as sent or as rendered (`renderWhatsApp`), for {@link messageKey}. */
export interface MessageShape {
  type: string;
  text?: { body: string };
  image?: { link: string; caption?: string };
  interactive?: { body: { text: string }; action: object };
}

/** What a message shows the customer, as a comparable string (ids left out). */
export function messageKey(m: MessageShape): string {
  // Reply buttons and list rows; a CTA URL action has neither.
  const action = (m.interactive?.action ?? {}) as NonNullable<GraphMessage['interactive']>['action'];
  const parts = [m.type, m.text?.body, m.image?.link, m.image?.caption, m.interactive?.body.text,
    ...(action.buttons?.map((b) => b.reply.title) ?? []),
    ...(action.sections?.flatMap((s) => s.rows.map((r) => r.title)) ?? [])];
  return parts.filter((p) => p !== undefined).join(' | ');
}

/** A short printable summary of calls (for assertion messages). */
export function describeCalls(calls: readonly GraphCall[]): string {
  return calls.map((c) => `#${c.seq} ${c.state} ${c.status ?? '-'} to=${c.message.to} ${c.key.slice(0, 80)}`).join('\n');
}

/**
 * Starts a fake Graph API on 127.0.0.1. It records every send request, answers
 * scripted answers first and then the fallback (200), and can delay or hold
 * its answers so a test can kill the server while replies are in flight.
 *
 * @example
 * ```ts
 * const graph = await startFakeGraph();
 * // WHATSAPP_GRAPH_URL=graph.graphUrl
 * await graph.waitFor(() => graph.accepted('5511…').length >= 2, 10_000, () => describeCalls(graph.calls));
 * ```
 */
export async function startFakeGraph(): Promise<FakeGraph> {
  const calls: GraphCall[] = [];
  const scripted: GraphAnswer[] = [];
  const held: { call: GraphCall; res: ServerResponse }[] = [];
  const events = new EventEmitter();
  // One waiter per simulated customer.
  events.setMaxListeners(0);
  const sockets = new Set<Socket>();
  let fallback: (call: GraphCall) => GraphAnswer = () => GRAPH_OK;
  let delayMs = 0;
  let holding = false;

  function answer(call: GraphCall, res: ServerResponse): void {
    const reply = scripted.shift() ?? fallback(call);
    call.status = reply.status;
    call.state = 'answered';
    events.emit('change');
    const write = () => {
      if (res.destroyed) return;
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body ?? {}));
    };
    if (delayMs > 0) setTimeout(write, delayMs);
    else write();
  }

  function receive(req: IncomingMessage, res: ServerResponse, text: string): void {
    let message: GraphMessage;
    try {
      message = JSON.parse(text) as GraphMessage;
    } catch {
      res.writeHead(400).end('{}');
      return;
    }
    const call: GraphCall = { seq: calls.length + 1, path: req.url ?? '', message, key: messageKey(message), receivedAt: Date.now(), status: undefined, state: 'held' };
    calls.push(call);
    if (holding) {
      held.push({ call, res });
      res.once('close', () => {
        if (call.state === 'held') {
          call.state = 'dropped';
          events.emit('change');
        }
      });
      events.emit('change');
      return;
    }
    answer(call, res);
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => receive(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    graphUrl: `http://127.0.0.1:${port}/v21.0`,
    calls,
    accepted: (to) => calls.filter((c) => c.state === 'answered' && c.status !== undefined && c.status < 300 && (to === undefined || c.message.to === to)),
    script: (...answers) => void scripted.push(...answers),
    setFallback: (f) => { fallback = f; },
    setDelayMs: (ms) => { delayMs = ms; },
    hold: () => { holding = true; },
    release() {
      holding = false;
      for (const { call, res } of held.splice(0)) if (call.state === 'held' && !res.destroyed) answer(call, res);
    },
    waitFor(check, timeoutMs, describe) {
      return new Promise<void>((resolve, reject) => {
        const onChange = () => {
          if (!check()) return;
          finish();
          resolve();
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`fake Graph API: condition not met within ${timeoutMs} ms\n${describe()}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          events.off('change', onChange);
        };
        events.on('change', onChange);
        onChange();
      });
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
