import { describe, expect, it } from 'vitest';
import { createTestConversation } from '../../adapters/console/index.ts';
import { onEachDatabase, type TestRuntime } from '../support/test-runtime.ts';
import { plain } from '../support/text.ts';

let rt: TestRuntime;
onEachDatabase((runtime) => {
  rt = runtime;
}, () => {
  /** Taps `business:<id>` in a directory-bot conversation, as a channel's button would send it. */
  async function tapBusiness(customerId: string, businessId: string): Promise<string> {
    const chat = createTestConversation(rt.engine, { botId: 'directory', customerId });
    await chat.say('hi');
    const replies = await rt.engine.handle({
      kind: 'choice', optionId: `business:${businessId}`, label: 'shop', messageId: `${customerId}-tap`, channel: 'console', botId: 'directory',
      customer: { id: customerId },
    });
    return replies.map((r) => ('text' in r && typeof r.text === 'string' ? plain(r.text) : '')).join('\n');
  }

  describe('a business id sent in the chat', () => {
    it('is not understood when it names another bot\'s business, and selects nothing', async () => {
      const other = await rt.db.business.findFirstOrThrow({ where: { botId: { not: 'directory' }, active: true } });
      const reply = await tapBusiness('iso-foreign', other.id);
      expect(reply).toContain("Sorry, I didn't get that.");
      expect(reply).not.toContain(other.name);
      expect(plain(await createTestConversation(rt.engine, { botId: 'directory', customerId: 'iso-foreign' }).say('cart'))).not.toContain(other.name);
    });

    it('is not understood when it names a closed business of the bot or none at all', async () => {
      const closed = await rt.db.business.findFirstOrThrow({ where: { botId: 'directory', slug: 'hackney-bread-co' } });
      await rt.db.business.update({ where: { id: closed.id }, data: { active: false } });
      try {
        expect(await tapBusiness('iso-closed', closed.id)).toContain("Sorry, I didn't get that.");
      } finally {
        await rt.db.business.update({ where: { id: closed.id }, data: { active: true } });
      }
      expect(await tapBusiness('iso-unknown', 'no-such-business')).toContain("Sorry, I didn't get that.");
    });

    it('selects an active business of the bot', async () => {
      const own = await rt.db.business.findFirstOrThrow({ where: { botId: 'directory', slug: 'hackney-bread-co' } });
      expect(await tapBusiness('iso-own', own.id)).toContain(own.name);
    });
  });
});
