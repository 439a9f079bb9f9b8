import { EventEmitter } from 'node:events';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { InboundMessage } from '../../engine/index.ts';
import type { RouteRuntime } from '../kit/index.ts';
import { createWebchatAdapter, DEFAULT_WEBCHAT_LIMITS, SharedFrameBudgets, WebchatConnection, type WebchatAdapter, type WebchatFrame } from './index.ts';

/** A socket the test writes frames into and reads the server's frames from. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  readonly sent: WebchatFrame[] = [];
  send(data: string): void {
    this.sent.push(JSON.parse(data) as WebchatFrame);
  }
  close(): void {
    this.readyState = 3;
    this.emit('close');
  }
  /** The customer's page sends a text frame. */
  frame(value: object): void {
    this.emit('message', Buffer.from(JSON.stringify(value)), false);
  }
}

/** The little of a runtime a connection uses: the bots, the journal and the outbox. */
function runtimeAdmitting(admitted: InboundMessage[]): RouteRuntime {
  const engine = {
    bots: new Map([['directory', { runtime: { locales: ['en', 'pt-BR'] } }]]),
    admit: async (messages: InboundMessage[]) => {
      admitted.push(...messages);
      return messages.map((_, i) => ({ id: i + 1, duplicate: false }));
    },
    outbox: { welcomeBack: async () => 0 },
  };
  return { engine, logger: pino({ level: 'silent' }) } as unknown as RouteRuntime;
}

async function settled(socket: FakeSocket, count: number): Promise<void> {
  for (let i = 0; i < 50 && socket.sent.length < count; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('a web chat connection', () => {
  it('reads each frame once: the adapter makes the message from the frame the connection read, without parsing it again', async () => {
    const real = createWebchatAdapter();
    const adapter: WebchatAdapter = {
      ...real,
      parse: () => {
        throw new Error('the connection parsed the frame a second time');
      },
    };
    const admitted: InboundMessage[] = [];
    const socket = new FakeSocket();
    new WebchatConnection({
      runtime: runtimeAdmitting(admitted), adapter, socket: socket as unknown as WebSocket, limits: DEFAULT_WEBCHAT_LIMITS,
      log: pino({ level: 'silent' }), budgets: new SharedFrameBudgets(), address: '127.0.0.1',
    });
    socket.frame({ v: 1, type: 'hello', botId: 'directory', customerId: 'cust-0001', locale: 'pt-BR' });
    socket.frame({ v: 1, type: 'text', id: 'a1', text: 'padaria' });
    socket.frame({ v: 1, type: 'choice', id: 'a2', optionId: 'business:x', label: 'Padaria' });
    socket.frame({ v: 1, type: 'text', id: 'a3' });
    await settled(socket, 5);
    expect(socket.sent).toEqual([
      { v: 1, type: 'welcome', customerId: 'cust-0001', botId: 'directory', locales: ['en', 'pt-BR'] },
      // This runtime has no database: the history cannot be read, and the chat goes on.
      { v: 1, type: 'history', entries: [] },
      { v: 1, type: 'ack', id: 'a1', duplicate: false },
      { v: 1, type: 'ack', id: 'a2', duplicate: false },
      { v: 1, type: 'error', code: 'VT_ERR_CHANNEL_PAYLOAD', message: 'Invalid frame (text: Invalid input: expected string, received undefined)', id: 'a3' },
    ]);
    expect(admitted).toMatchObject([
      { kind: 'text', text: 'padaria', messageId: 'cust-0001:a1', channel: 'webchat', botId: 'directory', customer: { id: 'cust-0001', locale: 'pt-BR' } },
      { kind: 'choice', optionId: 'business:x', label: 'Padaria', messageId: 'cust-0001:a2' },
    ]);
    socket.close();
  });
});
