import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestConversation } from '../../adapters/console/index.ts';
import { ConfigError, formatProblem, openingAt, openingHoursSchema } from '../../engine/index.ts';
import { BOTS_DIR } from '../../server/runtime.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';
import { optionNumber, plain } from '../support/text.ts';

/** A copy of the demo directory where `hours` (YAML lines) are appended to the named businesses' files. */
function directoryWithHours(root: string, hours: Record<string, string>): string {
  const bot = path.join(root, 'directory');
  cpSync(path.join(BOTS_DIR, 'directory'), bot, { recursive: true });
  for (const [slug, yaml] of Object.entries(hours)) {
    const file = path.join(bot, 'businesses', `${slug}.yaml`);
    writeFileSync(file, `${readFileSync(file, 'utf8')}hours:\n${yaml}`);
  }
  return bot;
}

describe('opening hours, on a clock the test moves', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'vitrine-hours-'));
  let rt: TestRuntime;
  // Monday 7 December 2026, 12:00 UTC: 09:00 in São Paulo, 06:00 in Mexico City.
  let now = new Date('2026-12-07T12:00:00Z');
  beforeAll(async () => {
    const bot = directoryWithHours(root, {
      'padaria-sao-jorge': '  timeZone: America/Sao_Paulo\n  mon: "07:00-19:00"\n  tue: "07:00-19:00"\n  sat: "07:00-13:00"\n',
      'taqueria-el-guero': '  timeZone: America/Mexico_City\n  mon: "12:00-22:00"\n  tue: "12:00-22:00"\n  ordersWhenClosed: false\n',
    });
    rt = await createTestRuntime({ botDirs: [bot], engine: { clock: { now: () => now } } });
  });
  afterAll(async () => {
    await rt?.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  /** Opens a shop by searching for it, and returns what the bot said. */
  const openShop = async (customerId: string, locale: string, search: string, name: string) => {
    const chat = createTestConversation(rt.engine, { botId: 'directory', customerId, locale });
    await chat.say(locale === 'pt-BR' ? 'oi' : 'hola');
    return { chat, reply: plain(await chat.say(optionNumber(await chat.say(search), name))) };
  };

  it('says nothing of hours while a shop is open', async () => {
    const { reply } = await openShop('open-ana', 'pt-BR', 'padaria', 'Padaria São Jorge');
    expect(reply).toContain('Boas-vindas à loja Padaria São Jorge');
    expect(reply).not.toContain('fechada');
  });

  it('tells a customer when a closed shop opens, in the shop\'s time and the customer\'s words, and takes the order for later', async () => {
    now = new Date('2026-12-07T23:30:00Z'); // Monday 20:30 in São Paulo
    const { chat, reply } = await openShop('late-bia', 'pt-BR', 'padaria', 'Padaria São Jorge');
    expect(reply).toContain('Padaria São Jorge está fechada agora (abre terça-feira, 07:00). Você pode fazer o pedido agora; ele será preparado quando abrir.');
    const salgados = await chat.say(optionNumber(reply, 'Salgados'));
    await chat.say(optionNumber(salgados, 'Pão de queijo'));
    await chat.say('2');
    const done = plain(await chat.say(optionNumber(plain(await chat.say('carrinho')), 'Finalizar compra')));
    expect(done).toMatch(/Pedido VT-[A-Z0-9]{6} registrado/);
  });

  it('tells it too to a customer who came by the shop\'s link', async () => {
    now = new Date('2026-12-07T23:30:00Z');
    const chat = createTestConversation(rt.engine, { botId: 'directory', customerId: 'link-duda', locale: 'pt-BR' });
    const reply = plain(await chat.say('Olá! Quero comprar na loja Padaria São Jorge. #padaria-sao-jorge'));
    expect(reply).toContain('Padaria São Jorge está fechada agora (abre terça-feira, 07:00).');
  });

  it('refuses the checkout of a shop that takes orders only while open, keeps the cart, and takes it once the shop opens', async () => {
    now = new Date('2026-12-07T12:00:00Z'); // Monday 06:00 in Mexico City
    const { chat, reply } = await openShop('early-caro', 'es-MX', 'taqueria', 'Taquería El Güero');
    expect(reply).toContain('Taquería El Güero está cerrado ahora (abre lunes 12:00 p.m.). Solo acepta pedidos cuando está abierto; mientras tanto, puedes ver los productos.');
    const tacos = await chat.say(optionNumber(reply, 'Tacos'));
    await chat.say(optionNumber(tacos, 'Orden de tacos al pastor'));
    await chat.say('1');
    const cart = plain(await chat.say('carrito'));
    const refused = plain(await chat.say(optionNumber(cart, 'Pagar')));
    expect(refused).toContain('Taquería El Güero solo acepta pedidos cuando está abierto (abre lunes 12:00 p.m.). Tu carrito queda guardado.');
    expect(await rt.db.order.count({ where: { customer: { externalId: 'early-caro' } } })).toBe(0);

    now = new Date('2026-12-07T19:00:00Z'); // 13:00 in Mexico City: open
    const again = plain(await chat.say(optionNumber(plain(await chat.say('carrito')), 'Pagar')));
    expect(again).toMatch(/El pedido VT-[A-Z0-9]{6} está registrado/);
    expect(await rt.db.order.count({ where: { customer: { externalId: 'early-caro' } } })).toBe(1);
  });

  it('refuses hours it cannot read, with the business file and line', async () => {
    const bad = directoryWithHours(path.join(root, 'bad'), { 'padaria-sao-jorge': '  timeZone: America/Sao_Paolo\n  mon: "19:00-07:00"\n' });
    const error = await createTestRuntime({ botDirs: [bad] }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map(formatProblem).join('\n');
    expect(problems).toMatch(/padaria-sao-jorge\.yaml:\d+:\d+ hours\.timeZone: expected an IANA time zone like "America\/Sao_Paulo"/);
    expect(problems).toMatch(/padaria-sao-jorge\.yaml:\d+:\d+ hours\.mon: expected opening times like "07:00-12:00, 14:00-19:00" \(each ending after it starts\) or "closed", got "19:00-07:00"/);
  });
});

describe('when a business opens', () => {
  const hours = openingHoursSchema.parse({ timeZone: 'Europe/London', sun: '10:00-16:00', sat: '08:00-12:00, 14:00-18:00' });
  it('finds the next opening across a day\'s gap, the week and a change of the clocks', () => {
    expect(openingAt(hours, new Date('2026-12-05T12:30:00Z'))).toEqual({ open: false, opensAt: new Date('2026-12-05T14:00:00Z') });
    expect(openingAt(hours, new Date('2026-12-05T15:00:00Z'))).toEqual({ open: true });
    expect(openingAt(hours, new Date('2026-12-07T09:00:00Z'))).toEqual({ open: false, opensAt: new Date('2026-12-12T08:00:00Z') });
    // The night British clocks go forward: Sunday 10:00 is 09:00 UTC.
    expect(openingAt(hours, new Date('2026-03-29T00:30:00Z'))).toEqual({ open: false, opensAt: new Date('2026-03-29T09:00:00Z') });
    expect(openingAt(openingHoursSchema.parse({ timeZone: 'Europe/London' }), new Date())).toEqual({ open: false });
  });
});
