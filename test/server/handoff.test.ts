import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelSender } from '../../adapters/kit/index.ts';
import { createConsoleAdapter, createTestConversation } from '../../adapters/console/index.ts';
import { conversationStamp, type ChannelAdapter, type ConversationDetail, type ConversationSummary } from '../../engine/index.ts';
import { buildApp } from '../../server/app.ts';
import { loadServerConfig } from '../../server/config.ts';
import { hashApiKey } from '../../server/routes/business-api.ts';
import { databases, type FreshDatabase } from '../support/databases.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';
import { Client, messages } from '../support/webchat-client.ts';
import { plain } from '../support/text.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const PADARIA_KEY = 'vk_padaria_handoff_0001';
const TAQUERIA_KEY = 'vk_taqueria_handoff_0001';
const PAUSED = 'Avisei a equipe de Padaria São Jorge que você quer falar com uma pessoa. Escreva aqui: eles vão ler suas mensagens e responder neste chat. '
  + 'Enquanto isso, eu fico quieto. Você também pode falar com eles pelo +55 11 3333-4444.';
const NO_ANSWER = 'Ninguém de Padaria São Jorge respondeu ainda. Quer continuar comigo ou prefere esperar por eles?';

const until = async (check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe.each(databases)('a hand-off to a person of the shop, on $name', (database) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-handoff-'));
  /** The engine's clock runs with real time, `skew` ahead of it (never behind: rows stamped by the database stay due). */
  let skew = 0;
  const clock = { now: () => new Date(Date.now() + skew) };
  /** What the test channel (the console) delivered from the outbox, per customer. */
  const consoleSent: { customerId: string; text: string }[] = [];
  const noticed: string[] = [];
  const hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
    req.on('end', () => { noticed.push(body); res.writeHead(200).end('{}'); });
  });
  let fresh: FreshDatabase | undefined;
  let rt: TestRuntime;
  let app: FastifyInstance;
  let base = '';
  let customer: Client;
  let conversationId = '';

  const start = async (databaseUrl: string) => {
    rt = await createTestRuntime({ botDirs: [path.join(dir, 'directory')], databaseUrl, engine: { clock, handoffPollMs: 20, outbox: { baseDelayMs: 20, maxDelayMs: 80 } } });
    const consoleAdapter: ChannelAdapter<unknown> = { ...createConsoleAdapter(), async send(to, rendered) {
      for (const text of rendered) consoleSent.push({ customerId: to.customerId, text: plain(String(text)) });
    } };
    rt.engine.outbox.register(channelSender(consoleAdapter));
    app = await buildApp({ runtime: rt, config: loadServerConfig({ LOG_LEVEL: 'silent' }), env: { PADARIA_HOOK_SECRET: 'whsec_handoff_test' } });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  };
  const stop = async () => {
    await app.close();
    await rt.close();
  };
  const api = async (key: string, method: 'GET' | 'POST', url: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    const res = await fetch(`${base}/api/v1${url}`, {
      method, headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };
  const list = async (filter: string) => ((await api(PADARIA_KEY, 'GET', `/conversations?handoff=${filter}`)).json as { conversations: ConversationSummary[] }).conversations;
  const detail = async (id: string) => (await api(PADARIA_KEY, 'GET', `/conversations/${id}`)).json as ConversationDetail;
  const handoffOf = async (id: string) => (await list('all')).find((c) => c.id === id)?.handoff;

  beforeAll(async () => {
    if (database.skip) return;
    fresh = await database.create();
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const address = hook.address();
    cpSync(path.join(root, 'bots', 'directory'), path.join(dir, 'directory'), { recursive: true });
    const file = path.join(dir, 'directory', 'businesses', 'padaria-sao-jorge.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}handoff:\n  answerWithinMinutes: 10\nnotify:\n  webhook:\n    url: http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook\n    secretEnv: PADARIA_HOOK_SECRET\n`);
    await start(fresh.url);
    const padaria = await rt.db.business.findFirstOrThrow({ where: { slug: 'padaria-sao-jorge' } });
    const taqueria = await rt.db.business.findFirstOrThrow({ where: { slug: 'taqueria-el-guero' } });
    await rt.db.apiKey.create({ data: { businessId: padaria.id, hash: hashApiKey(PADARIA_KEY) } });
    await rt.db.apiKey.create({ data: { businessId: taqueria.id, hash: hashApiKey(TAQUERIA_KEY) } });
  });
  afterAll(async () => {
    customer?.ws.close();
    await app?.close();
    await rt?.close();
    await fresh?.cleanup();
    hook.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(database.skip)('pauses the bot for a Portuguese customer who asks for a person: told once, their next messages kept unanswered and counted unread', async () => {
    customer = await Client.open(`${base.replace('http', 'ws')}/ws`);
    customer.send({ type: 'hello', botId: 'directory', locale: 'pt-BR' });
    await customer.until((f) => f.type === 'welcome');
    for (const text of ['padaria', '1', '1', '1', '3', 'carrinho']) await customer.say(text);
    customer.send({ type: 'text', text: 'quero falar com um atendente' });
    expect(messages(await customer.until((f) => f.type === 'message'))).toEqual([{ kind: 'text', text: PAUSED }]);

    // Two more messages, the second asking again: the bot answers neither, and opens no second hand-off.
    customer.send({ type: 'text', text: 'vocês têm pão sem glúten?' });
    customer.send({ type: 'text', text: 'quero falar com um atendente' });
    await until(async () => (await list('waiting'))[0]?.handoff?.unread === 2);
    await rt.engine.idle();
    expect(messages(customer.frames).slice(-1)).toEqual([{ kind: 'text', text: PAUSED }]);
    const [waiting, ...others] = await list('waiting');
    expect(others).toEqual([]);
    conversationId = waiting?.id ?? '';
    expect(waiting).toMatchObject({ channel: 'webchat', locale: 'pt-BR', customer: { phone: null }, lastText: 'quero falar com um atendente', handoff: { status: 'waiting', unread: 2 } });
    expect(await rt.db.handoff.count({ where: { conversationId } })).toBe(1);
    await until(() => noticed.length >= 1);
    expect(noticed.map((b) => (JSON.parse(b) as { type: string }).type)).toEqual(['handoff.requested']);

    const seen = await detail(conversationId);
    expect(seen.messages.slice(-4).map((m) => [m.from, m.text])).toEqual([
      ['customer', 'quero falar com um atendente'], ['bot', PAUSED], ['customer', 'vocês têm pão sem glúten?'], ['customer', 'quero falar com um atendente'],
    ]);
    expect(seen.cart).toEqual({ lines: [{ name: 'Pão francês', quantity: 3, lineTotalMinor: 270 }], totalMinor: 270, currency: 'BRL' });
    // The shop's staff read the chat from the customer's first cart there, not their search of the directory.
    expect(seen.messages[0]).toEqual({ from: 'customer', text: '3', at: expect.any(String) });
    expect(seen.messages.some((m) => m.text === 'padaria')).toBe(false);
  });

  it.skipIf(database.skip)('answers another business\'s key with a 404 and never lists the conversation to it', async () => {
    const read = await api(TAQUERIA_KEY, 'GET', `/conversations/${conversationId}`);
    expect(read).toEqual({ status: 404, json: { error: { code: 'VT_ERR_CONVERSATION_UNKNOWN', message: `No conversation ${conversationId}` } } });
    expect((await api(TAQUERIA_KEY, 'POST', `/conversations/${conversationId}/messages`, { text: 'hola' })).status).toBe(404);
    expect((await api(TAQUERIA_KEY, 'POST', `/conversations/${conversationId}/close`)).status).toBe(404);
    const theirs = (await api(TAQUERIA_KEY, 'GET', '/conversations?handoff=all')).json as { conversations: ConversationSummary[] };
    expect(theirs.conversations.map((c) => c.id)).not.toContain(conversationId);
    expect((await api(PADARIA_KEY, 'GET', '/conversations?handoff=soon')).status).toBe(400);
  });

  it.skipIf(database.skip)('delivers the staff\'s reply to the customer\'s web chat socket under the business\'s name, marks the hand-off answered, and counts later messages until read', async () => {
    const stampBefore = await conversationStamp(rt.db, (await rt.db.business.findFirstOrThrow({ where: { slug: 'padaria-sao-jorge' } })).id);
    const sent = await api(PADARIA_KEY, 'POST', `/conversations/${conversationId}/messages`, { text: 'Olá! Temos sim, sai às 16h.' });
    expect(sent.status).toBe(202);
    expect(sent.json).toEqual({ id: expect.any(String) });
    expect(messages(await customer.until((f) => f.type === 'message'))).toEqual([{ kind: 'text', text: 'Padaria São Jorge: Olá! Temos sim, sai às 16h.' }]);
    expect(await handoffOf(conversationId)).toMatchObject({ status: 'answered', unread: 0 });
    expect(await conversationStamp(rt.db, (await rt.db.business.findFirstOrThrow({ where: { slug: 'padaria-sao-jorge' } })).id)).not.toBe(stampBefore);

    customer.send({ type: 'text', text: 'obrigada! separa dois pra mim' });
    await until(async () => (await handoffOf(conversationId))?.unread === 1);
    expect((await api(PADARIA_KEY, 'POST', `/conversations/${conversationId}/read`)).status).toBe(204);
    expect(await handoffOf(conversationId)).toMatchObject({ status: 'answered', unread: 0 });
    // The staff's transcript shows their own words, without the name.
    expect((await detail(conversationId)).messages.slice(-2).map((m) => [m.from, m.text])).toEqual([
      ['staff', 'Olá! Temos sim, sai às 16h.'], ['customer', 'obrigada! separa dois pra mim'],
    ]);
    // No reply of the bot's since the hand-off, the answer's time included.
    expect(await rt.db.handoff.findFirstOrThrow({ where: { conversationId } })).toMatchObject({ status: 'answered', answeredAt: expect.any(Date) });
  });

  it.skipIf(database.skip)('loses nothing in a restart: the bot stays paused, the messages and unread count are kept', async () => {
    customer.ws.close();
    await stop();
    await start(fresh?.url ?? '');
    expect((await list('open')).map((c) => [c.id, c.handoff?.status])).toEqual([[conversationId, 'answered']]);
    customer = await Client.open(`${base.replace('http', 'ws')}/ws`);
    const customerId = (await rt.db.conversation.findUniqueOrThrow({ where: { id: conversationId }, include: { customer: true } })).customer.externalId;
    customer.send({ type: 'hello', botId: 'directory', customerId, locale: 'pt-BR' });
    await customer.until((f) => f.type === 'welcome');
    customer.send({ type: 'text', text: 'ainda estou aqui' });
    await until(async () => (await handoffOf(conversationId))?.unread === 1);
    await rt.engine.idle();
    expect((await detail(conversationId)).messages.at(-1)).toMatchObject({ from: 'customer', text: 'ainda estou aqui' });
  });

  it.skipIf(database.skip)('hands the conversation back to the bot at the cart, in Portuguese, when the staff close it', async () => {
    const closed = await api(PADARIA_KEY, 'POST', `/conversations/${conversationId}/close`);
    expect(closed).toEqual({ status: 200, json: { id: conversationId, handoff: 'closed' } });
    const back = messages(await customer.until((f) => f.type === 'message' && f.message.kind === 'choice'));
    expect(back[0]).toEqual({ kind: 'text', text: 'A equipe de Padaria São Jorge encerrou a conversa. Estou de volta para ajudar você.' });
    expect(back[1]).toMatchObject({ kind: 'cart', title: 'Seu carrinho em Padaria São Jorge', lines: [expect.objectContaining({ name: 'Pão francês', quantity: 3 })] });
    expect(await handoffOf(conversationId)).toMatchObject({ status: 'closed' });
    // The bot answers again; the staff can no longer write into it.
    expect((await customer.say('carrinho')).some((m) => m.kind === 'cart')).toBe(true);
    const late = await api(PADARIA_KEY, 'POST', `/conversations/${conversationId}/messages`, { text: 'mais alguma coisa?' });
    expect(late).toMatchObject({ status: 409, json: { error: { code: 'VT_ERR_HANDOFF_NOT_OPEN' } } });
    expect((await api(PADARIA_KEY, 'POST', `/conversations/${conversationId}/close`)).status).toBe(409);
  });

  it.skipIf(database.skip)('delivers a staff reply on the test channel too', async () => {
    const chat = createTestConversation(rt.engine, { botId: 'directory', customerId: 'handoff-console-1', locale: 'pt-BR' });
    for (const text of ['oi', 'padaria', '1', 'quero falar com um atendente']) await chat.say(text);
    expect(chat.last).toEqual([{ kind: 'handoff', text: PAUSED }]);
    const [asked] = await list('waiting');
    expect((await api(PADARIA_KEY, 'POST', `/conversations/${asked?.id}/messages`, { text: 'Pode falar!' })).status).toBe(202);
    await until(() => consoleSent.some((s) => s.customerId === 'handoff-console-1' && s.text === 'Padaria São Jorge: Pode falar!'));
  });

  it.skipIf(database.skip)('tells a customer no one answered in time once, across a restart, and lets them carry on with the bot', async () => {
    const chat = createTestConversation(rt.engine, { botId: 'directory', customerId: 'handoff-console-2', locale: 'pt-BR' });
    for (const text of ['oi', 'padaria', '1', 'quero falar com um atendente']) await chat.say(text);
    const sentTo = () => consoleSent.filter((s) => s.customerId === 'handoff-console-2').map((s) => s.text);
    skew += 9 * 60_000;
    await new Promise((r) => setTimeout(r, 200));
    await rt.engine.idle();
    expect(sentTo()).toEqual([]);

    await stop();
    skew += 2 * 60_000;
    await start(fresh?.url ?? '');
    await until(() => sentTo().length > 0);
    skew += 30 * 60_000;
    await new Promise((r) => setTimeout(r, 200));
    await rt.engine.idle();
    expect(sentTo()).toHaveLength(1);
    expect(sentTo()[0]).toContain(NO_ANSWER);
    expect(sentTo()[0]).toContain('Voltar ao robô');

    // The customer's chat after the restart: the same customer, on the new engine.
    const again = createTestConversation(rt.engine, { botId: 'directory', customerId: 'handoff-console-2', locale: 'pt-BR' });
    const reply = await again.say('1');
    expect(reply).toContain('Certo, estou de volta para ajudar você.');
    expect(reply).toContain('O que você quer ver em Padaria São Jorge?');
    const handoff = await rt.db.handoff.findFirstOrThrow({ where: { conversation: { customer: { externalId: 'handoff-console-2' } } } });
    expect(handoff).toMatchObject({ status: 'closed', closedBy: 'customer', openFor: null, timedOutAt: expect.any(Date) });
  });

  it.skipIf(database.skip)('keeps the customer waiting when they choose to, and still lets them tap back to the bot later', async () => {
    const customerId = 'handoff-console-3';
    const chat = createTestConversation(rt.engine, { botId: 'directory', customerId, locale: 'pt-BR' });
    for (const text of ['oi', 'padaria', '1', 'quero falar com um atendente']) await chat.say(text);
    skew += 11 * 60_000;
    await until(() => consoleSent.some((s) => s.customerId === customerId && s.text.includes(NO_ANSWER)));
    expect(await chat.say('2')).toBe('Certo, vamos continuar esperando. Tudo o que você escrever aqui chega à equipe de Padaria São Jorge.');
    // The offer is answered: a typed "1" is now a message for the staff, not a choice.
    expect(await chat.say('1')).toBe('');
    const handoff = await rt.db.handoff.findFirstOrThrow({ where: { conversation: { customer: { externalId: customerId } } } });
    expect(handoff).toMatchObject({ status: 'waiting', offerOpen: false, unread: 1 });
    const tapped = await rt.engine.process({ kind: 'choice', optionId: 'handoff:bot', messageId: `${customerId}-tap`, channel: 'console', botId: 'directory', customer: { id: customerId } });
    expect(tapped.replies[0]).toEqual({ kind: 'text', text: 'Certo, estou de volta para ajudar você.' });
    expect(await rt.db.handoff.findUniqueOrThrow({ where: { id: handoff.id } })).toMatchObject({ status: 'closed', closedBy: 'customer' });
  });

  it.skipIf(database.skip)('gives the conversation back to the bot at once when the waiting customer says "começar de novo"', async () => {
    const customerId = 'handoff-console-4';
    const chat = createTestConversation(rt.engine, { botId: 'directory', customerId, locale: 'pt-BR' });
    for (const text of ['oi', 'padaria', '1', 'quero falar com um atendente']) await chat.say(text);
    expect(await chat.say('ainda estão aí?')).toBe('');
    const reply = await chat.say('começar de novo');
    expect(reply).toContain('Certo, estou de volta para ajudar você.');
    const handoff = await rt.db.handoff.findFirstOrThrow({ where: { conversation: { customer: { externalId: customerId } } } });
    expect(handoff).toMatchObject({ status: 'closed', closedBy: 'customer', openFor: null, unread: 1 });
  });
});
