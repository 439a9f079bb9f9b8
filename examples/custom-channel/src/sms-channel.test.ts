import { expect, it } from 'vitest';
import { runAdapterConformance } from 'vitrine/testing';
import { createSmsAdapter } from './sms-channel.ts';

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
