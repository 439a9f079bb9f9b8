import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { orderDetailsProblem, orderStatusProblem, type GraphProblem } from './graph-order-checks.ts';

/** The parts of a Cloud API send request (`POST /<version>/<phone id>/messages`) a test reads. */
export interface GraphMessage {
  to: string;
  type: string;
  text?: { body: string };
  image?: { link: string; caption?: string };
  interactive?: {
    type: string;
    body: { text: string };
    action: {
      buttons?: { reply: { id: string; title: string } }[];
      sections?: { rows: { id: string; title: string }[] }[];
      /** `review_and_pay` (order_details), `review_order` (order_status), `cta_url`. */
      name?: string;
      /** The parameters of an order message or a CTA URL button, as sent (the fake checks order messages field by field). */
      parameters?: Record<string, unknown>;
    };
  };
}

/** One message send the fake Graph API received. */
export interface GraphCall {
  /** Order of arrival, from 1. */
  seq: number;
  path: string;
  message: GraphMessage;
  /** The message as the customer would see it (type and texts): two equal keys are the same message sent twice. */
  key: string;
  /** `Date.now()` when its body was read. */
  receivedAt: number;
  /** The status the fake answered (or is about to answer after its delay); undefined while held. */
  status: number | undefined;
  /** `dropped`: the sender went away before an answer was decided (a held request of a killed server). */
  state: 'held' | 'answered' | 'dropped';
}

/** An answer to a send: its HTTP status and JSON body. */
export interface GraphAnswer {
  status: number;
  body?: unknown;
}

/** Options of {@link startFakeGraph}. */
export interface FakeGraphOptions {
  /** Called as each message send arrives, before it is answered (a benchmark counts sends with it). */
  onMessage?(call: GraphCall): void;
}

/** A Cloud API message as sent or as rendered (`renderWhatsApp`), for {@link messageKey}. */
export interface MessageShape {
  type: string;
  text?: { body: string };
  image?: { link: string; caption?: string };
  interactive?: { body: { text: string }; action: object };
}

/** An order message's parameters as words: reference, items, total and link, or the new status. */
function orderWords(action: NonNullable<GraphMessage['interactive']>['action']): string[] {
  const p = (action.parameters ?? {}) as {
    reference_id?: string; currency?: string; total_amount?: { value: number; offset: number };
    payment_settings?: { payment_link?: { uri: string } }[];
    order?: { status?: string; items?: { name: string; quantity: number; amount: { value: number; offset: number } }[] };
  };
  const money = (a: { value: number; offset: number } | undefined) => (a ? `${a.value}/${a.offset}` : '?');
  if (action.name === 'review_order') return [`status ${p.reference_id ?? '?'} ${p.order?.status ?? '?'}`];
  if (action.name !== 'review_and_pay') return [];
  return [`order ${p.reference_id ?? '?'}`, ...(p.order?.items ?? []).map((i) => `${i.quantity} × ${i.name} @ ${money(i.amount)}`),
    `total ${money(p.total_amount)} ${p.currency ?? '?'}`, ...(p.payment_settings ?? []).map((s) => `pay ${s.payment_link?.uri ?? '?'}`)];
}

/**
 * What a message shows the customer, as a comparable string (ids left out).
 * Order messages show their reference, items, total and link, or their new status.
 *
 * @example
 * ```ts
 * messageKey({ type: 'text', text: { body: 'Olá!' } }); // 'text | Olá!'
 * ```
 */
export function messageKey(m: MessageShape): string {
  // Reply buttons and list rows; a CTA URL action has neither.
  const action = (m.interactive?.action ?? {}) as NonNullable<GraphMessage['interactive']>['action'];
  const parts = [m.type, m.text?.body, m.image?.link, m.image?.caption, m.interactive?.body.text,
    ...(action.buttons?.map((b) => b.reply.title) ?? []),
    ...(action.sections?.flatMap((s) => s.rows.map((r) => r.title)) ?? []), ...orderWords(action)];
  return parts.filter((p) => p !== undefined).join(' | ');
}

/**
 * A short printable summary of calls, for assertion messages.
 *
 * @example
 * ```ts
 * await graph.waitFor(() => graph.accepted().length >= 3, 5_000, () => describeCalls(graph.calls));
 * ```
 */
export function describeCalls(calls: readonly GraphCall[]): string {
  return calls.map((c) => `#${c.seq} ${c.state} ${c.status ?? '-'} to=${c.message.to} ${c.key.slice(0, 80)}`).join('\n');
}

/** What the Cloud API answers a send it accepted: the recipient and the new message's id. */
function accepted(call: GraphCall): GraphAnswer {
  const to = call.message.to;
  return { status: 200, body: { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id: `wamid.fake.${call.seq}` }] } };
}

/** The body of a message send, or undefined when it is not JSON with a string `to`. */
function messageOf(text: string): GraphMessage | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    const to = typeof parsed === 'object' && parsed !== null ? (parsed as { to?: unknown }).to : undefined;
    return typeof to === 'string' ? (parsed as GraphMessage) : undefined;
  } catch {
    return undefined;
  }
}

/** The Graph API's refusal of a message, as Meta answers it: HTTP 400 and an error with a code. */
function refusal(problem: GraphProblem): GraphAnswer {
  const message = problem.code === 131008 ? '(#131008) Required parameter is missing' : '(#131009) Parameter value is not valid';
  return { status: 400, body: { error: { message, type: 'OAuthException', code: problem.code, error_data: { messaging_product: 'whatsapp', details: problem.details } } } };
}

/**
 * A local stand-in for the WhatsApp Cloud (Graph) API, from {@link startFakeGraph}.
 * It records every message send, answers scripted answers first and then the
 * fallback (200 with a message id, as the Cloud API does), and can delay or
 * hold its answers so a test can stop a server while replies are in flight.
 * Order messages are checked field by field first (`graph-order-checks.ts`): a
 * malformed one, or an `order_status` for a `reference_id` no accepted
 * `order_details` carried, is refused with HTTP 400 and error 131008/131009.
 * Anything else than a message send gets a Graph error (404) and is counted
 * in `unexpected`.
 */
export class FakeGraphApi {
  /** Requests that were not a message send (another path or method, or a body without `to`). */
  unexpected = 0;
  private readonly received: GraphCall[] = [];
  private readonly scripted: GraphAnswer[] = [];
  private readonly held: { call: GraphCall; res: ServerResponse }[] = [];
  private readonly events = new EventEmitter();
  /** The `reference_id`s of the order_details messages accepted. */
  private readonly references = new Set<string>();
  private readonly sockets = new Set<Socket>();
  private fallback: (call: GraphCall) => GraphAnswer = accepted;
  private delayMs = 0;
  private holding = false;
  private server: Server | undefined;
  private port = 0;

  /** Use {@link startFakeGraph}. */
  constructor(private readonly options: FakeGraphOptions = {}) {
    // One waiter per simulated customer.
    this.events.setMaxListeners(0);
  }

  /** Every message send, in order of arrival. */
  get calls(): readonly GraphCall[] {
    return this.received;
  }

  /** Base URL for `WHATSAPP_GRAPH_URL` (ends with `/v21.0`). */
  get graphUrl(): string {
    return `http://127.0.0.1:${this.port}/v21.0`;
  }

  /** Listens on a free port of 127.0.0.1. */
  async listen(): Promise<void> {
    const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.receive(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Sends the customer got: answered 2xx (to one customer when `to` is given). Several per key mean they saw a message several times. */
  accepted(to?: string): GraphCall[] {
    return this.received.filter((c) => c.state === 'answered' && c.status !== undefined && c.status < 300 && (to === undefined || c.message.to === to));
  }

  /** Answers to give next, in order (before the fallback). */
  script(...answers: GraphAnswer[]): void {
    this.scripted.push(...answers);
  }

  /** Answers given when nothing is scripted (default: 200 with a message id). */
  setFallback(answer: (call: GraphCall) => GraphAnswer): void {
    this.fallback = answer;
  }

  /** Waits this long before writing each answer (the status is decided when the request arrives). */
  setDelayMs(ms: number): void {
    this.delayMs = ms;
  }

  /** Holds every send without answering until {@link FakeGraphApi.release}. */
  hold(): void {
    this.holding = true;
  }

  /**
   * Stops holding; held sends still connected get their answers now. After stopping a
   * server, wait until its held calls are `dropped` (their connection closed) before releasing.
   */
  release(): void {
    this.holding = false;
    for (const { call, res } of this.held.splice(0)) if (call.state === 'held' && !res.destroyed) this.answer(call, res);
  }

  /** Resolves when `check` holds after some send arrived or was answered; rejects after `timeoutMs` with `describe()`. */
  waitFor(check: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
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
        this.events.off('change', onChange);
      };
      this.events.on('change', onChange);
      onChange();
    });
  }

  /** Stops listening and drops open connections. */
  async close(): Promise<void> {
    if (!this.server) return;
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
    await once(this.server, 'close');
  }

  /** Meta's refusal of a malformed order message, or undefined for any other message. */
  private orderRefusal(message: GraphMessage): GraphAnswer | undefined {
    const interactive = message.type === 'interactive' ? (message.interactive as unknown as Record<string, unknown> | undefined) : undefined;
    if (interactive?.['type'] === 'order_details') {
      const problem = orderDetailsProblem(interactive);
      return problem ? refusal(problem) : undefined;
    }
    if (interactive?.['type'] !== 'order_status') return undefined;
    const problem = orderStatusProblem(interactive);
    if (problem) return refusal(problem);
    const reference = String(message.interactive?.action.parameters?.['reference_id']);
    return this.references.has(reference) ? undefined : refusal({ code: 131009, details: `action.parameters.reference_id: no order_details was sent with reference_id ${reference}` });
  }

  private answer(call: GraphCall, res: ServerResponse): void {
    const reply = this.orderRefusal(call.message) ?? this.scripted.shift() ?? this.fallback(call);
    if (reply.status < 300 && call.message.interactive?.type === 'order_details') this.references.add(String(call.message.interactive.action.parameters?.['reference_id']));
    call.status = reply.status;
    call.state = 'answered';
    this.events.emit('change');
    const write = () => {
      if (res.destroyed) return;
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body ?? {}));
    };
    if (this.delayMs > 0) setTimeout(write, this.delayMs);
    else write();
  }

  private receive(req: IncomingMessage, res: ServerResponse, text: string): void {
    const message = req.method === 'POST' && /\/messages$/.test(req.url ?? '') ? messageOf(text) : undefined;
    if (!message) {
      this.unexpected += 1;
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"Unsupported request","type":"GraphMethodException","code":100}}');
      return;
    }
    const call: GraphCall = { seq: this.received.length + 1, path: req.url ?? '', message, key: messageKey(message), receivedAt: Date.now(), status: undefined, state: 'held' };
    this.received.push(call);
    this.options.onMessage?.(call);
    if (!this.holding) {
      this.answer(call, res);
      return;
    }
    this.held.push({ call, res });
    res.once('close', () => {
      if (call.state !== 'held') return;
      call.state = 'dropped';
      this.events.emit('change');
    });
    this.events.emit('change');
  }
}

/**
 * Starts a fake WhatsApp Cloud API on 127.0.0.1: point `WHATSAPP_GRAPH_URL`
 * (or the adapter's `graphUrl`) at `graph.graphUrl` and read what the
 * customers were sent.
 *
 * @example
 * ```ts
 * import { describeCalls, startFakeGraph } from 'vitrine/testing';
 * const graph = await startFakeGraph();
 * // WHATSAPP_GRAPH_URL=graph.graphUrl
 * await graph.waitFor(() => graph.accepted('5511987654321').length >= 2, 10_000, () => describeCalls(graph.calls));
 * graph.script({ status: 429, body: { error: { code: 130429, message: 'Rate limit hit' } } }); // the next send is refused
 * await graph.close();
 * ```
 */
export async function startFakeGraph(options: FakeGraphOptions = {}): Promise<FakeGraphApi> {
  const graph = new FakeGraphApi(options);
  await graph.listen();
  return graph;
}
