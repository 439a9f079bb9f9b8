import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestConversation } from '../../adapters/console/index.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await createTestRuntime();
});
afterAll(async () => rt?.dispose());

/** The kinds of the bot's replies to `text`, said after opening the directory. */
async function replyKinds(customerId: string, text: string): Promise<string[]> {
  const chat = createTestConversation(rt.engine, { botId: 'directory', customerId });
  await chat.say('hi');
  await chat.say(text);
  return chat.last.map((r) => r.kind);
}

describe('asking for a person in the customer\'s own words', () => {
  const asks: [string, string][] = [
    ['en', 'human please'],
    ['en', 'can I speak to someone about my order'],
    ['en', 'I want to talk to a real person'],
    ['pt-BR', 'quero falar com um atendente'],
    ['pt-BR', 'Quero falar com alguém, por favor'],
    ['es', 'hablar con alguien'],
    ['es', 'necesito hablar con un asesor'],
    ['id', 'bicara dengan admin'],
    ['id', 'saya mau bicara dengan cs'],
  ];
  it.each(asks)('hands the conversation to a person (%s: "%s")', async (_locale, text) => {
    expect(await replyKinds(`ask-${text}`, text)).toContain('handoff');
  });

  const searches: [string, string][] = [
    ['pt-BR', 'agente de viagens em são paulo'],
    ['en', 'a book about human nature'],
    ['id', 'toko admin jakarta'],
  ];
  it.each(searches)('leaves a search that names one of those words a search (%s: "%s")', async (_locale, text) => {
    expect(await replyKinds(`search-${text}`, text)).not.toContain('handoff');
  });

  it('says honestly who can answer: no one in this chat yet, in the directory', async () => {
    const chat = createTestConversation(rt.engine, { botId: 'directory', customerId: 'honest-directory' });
    await chat.say('hi');
    await chat.say('talk to a person');
    expect(chat.last).toContainEqual({ kind: 'handoff', text: 'No one from the team can answer in this chat yet. I can keep helping you here: type "help" to see what I can do.' });
  });

  it('hands the chat to the shop\'s team and gives its number too, in the customer\'s language', async () => {
    const chat = createTestConversation(rt.engine, { botId: 'directory', customerId: 'honest-shop', locale: 'pt-BR' });
    await chat.say('oi');
    await chat.say('Olá! Quero comprar na loja Padaria São Jorge. #padaria-sao-jorge');
    await chat.say('quero falar com um atendente');
    expect(chat.last).toContainEqual({
      kind: 'handoff',
      text: 'Avisei a equipe de Padaria São Jorge que você quer falar com uma pessoa. Escreva aqui: eles vão ler suas mensagens e responder neste chat. Enquanto isso, eu fico quieto. Você também pode falar com eles pelo +55 11 3333-4444.',
    });
  });
});
