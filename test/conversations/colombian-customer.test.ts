import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestConversation } from '../../adapters/console/index.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';
import { optionNumber, plain } from '../support/text.ts';

describe('a customer whose device says es-CO', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime();
  });
  afterAll(() => rt.dispose());

  it('keeps Colombian Spanish after a plain Spanish greeting, and prices read $ 8.000', async () => {
    const chat = createTestConversation(rt.engine, { botId: 'directory', customerId: 'camila-co', locale: 'es-CO' });
    // "Hola" is Spanish of every country (the web chat page sends it by itself): the device says which one.
    const welcome = plain(await chat.say('Hola'));
    expect(welcome).toContain('Qué bueno tenerte por acá');
    const found = plain(await chat.say('arepas medellín'));
    expect(found).toContain('Arepería Doña Rosa');
    const shop = plain(await chat.say(optionNumber(found, 'Arepería Doña Rosa')));
    const category = plain(await chat.say(optionNumber(shop, 'Arepas')));
    expect(category).toContain('$ 8.000');
    expect(category).not.toContain('COP');
    const conversation = await rt.db.conversation.findFirstOrThrow({ where: { customer: { externalId: 'camila-co' } } });
    expect(conversation.locale).toBe('es-CO');
  });

  it('still switches to Mexican Spanish when a Mexican greeting says so', async () => {
    const chat = createTestConversation(rt.engine, { botId: 'directory', customerId: 'lupita-mx', locale: 'es-CO' });
    await chat.say('Qué onda');
    const conversation = await rt.db.conversation.findFirstOrThrow({ where: { customer: { externalId: 'lupita-mx' } } });
    expect(conversation.locale).toBe('es-MX');
  });
});
