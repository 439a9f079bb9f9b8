import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter, ChannelSender, InboundMessage } from 'vitrine';
import type { RouteRuntime } from 'vitrine/kit';
import { runAdapterConformance } from 'vitrine/testing';
import { createSmsAdapter, smsChannel } from './sms-channel.ts';

const sent: { to: string; text: string }[] = [];
const adapter = () => createSmsAdapter({ send: async (to, text) => void sent.push({ to, text }) });

runAdapterConformance('sms', adapter, {
  describe: (text) => ({ texts: [text], buttons: [], rows: [] }),
  valid: [{ id: 'SM1', from: '+5511987654321', body: 'oi' }],
  malformed: [{ id: 'SM2', from: 'not a number', body: 'oi' }],
});

it('sends each segment of a long reply to the customer, none over 160 characters', async () => {
  const sms = adapter();
  const segments = sms.render({ kind: 'text', text: 'Pão francês '.repeat(40) }, { locale: 'pt-BR' });
  await sms.send({ botId: 'directory', customerId: '+5511987654321' }, segments);
  expect(segments.length).toBeGreaterThan(1);
  expect(sent.map((s) => s.to)).toEqual(segments.map(() => '+5511987654321'));
  expect(sent.every((s) => [...s.text].length <= 160)).toBe(true);
});

/**
 * The parts of a running Vitrine a channel's mount uses: the loaded bots (to
 * pick its bot), the journal (`admit`) and the outbox (`register`). The server
 * passes the real runtime; this one records what the channel did.
 */
function recordingRuntime() {
  const admitted: InboundMessage[] = [];
  const senders: ChannelSender[] = [];
  const engine = {
    bots: new Map([['directory', { runtime: { id: 'directory', channels: { sms: {} } } }]]),
    admit: async (messages: InboundMessage[]) => {
      admitted.push(...messages);
      return messages.map((_, i) => ({ id: i + 1, duplicate: false }));
    },
    outbox: { register: (sender: ChannelSender) => void senders.push(sender) },
  };
  const runtime = { engine, logger: pino({ level: 'silent' }) } as unknown as RouteRuntime;
  return { runtime, admitted, senders };
}

describe('the SMS channel descriptor', () => {
  const gateway: { to: string; text: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      gateway.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { to: string; text: string });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"queued":true}');
    });
  });
  let gatewayUrl = '';
  beforeAll(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    gatewayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('stays off without its variables and refuses to be half configured', async () => {
    const { runtime } = recordingRuntime();
    expect(await smsChannel.mount(Fastify(), { runtime, env: {} })).toBeUndefined();
    await expect(smsChannel.mount(Fastify(), { runtime, env: { SMS_GATEWAY_URL: gatewayUrl } })).rejects.toMatchObject({ code: 'VT_ERR_CONFIG_INVALID' });
  });

  it('keeps a signed text in the journal, refuses a wrong token, and sends the replies through the gateway', async () => {
    const { runtime, admitted, senders } = recordingRuntime();
    const app = Fastify();
    const mounted: ChannelAdapter<unknown> | undefined = await smsChannel.mount(app, { runtime, env: { SMS_GATEWAY_URL: gatewayUrl, SMS_WEBHOOK_TOKEN: 'sms-secret' } });
    expect(mounted?.channel).toBe('sms');
    expect(smsChannel.routes).toEqual([{ method: 'POST', url: '/webhooks/sms' }]);

    const hook = { id: 'SM10', from: '+5511987654321', body: 'padaria' };
    const forged = await app.inject({ method: 'POST', url: '/webhooks/sms', headers: { 'x-sms-token': 'guess' }, payload: hook });
    expect(forged.statusCode).toBe(401);
    const ok = await app.inject({ method: 'POST', url: '/webhooks/sms', headers: { 'x-sms-token': 'sms-secret' }, payload: hook });
    expect(ok.statusCode).toBe(200);
    expect(admitted).toMatchObject([{ kind: 'text', text: 'padaria', messageId: 'SM10', channel: 'sms', botId: 'directory', customer: { id: '+5511987654321' } }]);

    const [sender] = senders;
    expect(sender?.channel).toBe('sms');
    const outcome = await sender?.deliver({
      id: 1, attempts: 0, botId: 'directory', channel: 'sms', customerId: '+5511987654321', conversationId: 'c1', locale: 'pt-BR',
      message: { kind: 'choice', text: 'Qual loja?', options: [{ id: 'a', label: 'Padaria São Jorge' }, { id: 'b', label: 'Taquería' }] },
    });
    expect(outcome).toEqual({ kind: 'sent' });
    expect(gateway).toEqual([{ to: '+5511987654321', text: expect.stringContaining('1. Padaria São Jorge') }]);
    await app.close();
  });
});
