import { describe, expect, it } from 'vitest';
import { degradeChoice, OptionIds, OutboundQueue, splitText } from '../../adapters/kit/index.ts';
import { WHATSAPP_CAPABILITIES } from '../../adapters/whatsapp/index.ts';
import type { ChoiceMessage } from '../../engine/index.ts';

const choice = (labels: string[], extra: Partial<ChoiceMessage> = {}): ChoiceMessage => ({
  kind: 'choice', text: 'Pick one', options: labels.map((label, i) => ({ id: `o${i}`, label })), ...extra,
});
const limits = { maxBody: 1024, maxRowDescription: 72 };

describe('degradeChoice', () => {
  it('uses buttons when the options fit', () => {
    expect(degradeChoice(choice(['Yes', 'No']), WHATSAPP_CAPABILITIES, limits)).toEqual({ mode: 'buttons', text: 'Pick one', buttons: [{ id: 'o0', title: 'Yes' }, { id: 'o1', title: 'No' }] });
  });

  it('goes to a list when a label is too long for a button, keeping it whole', () => {
    const fit = degradeChoice(choice(['Pão integral com grãos', 'No']), WHATSAPP_CAPABILITIES, limits);
    expect(fit).toMatchObject({ mode: 'list', rows: [{ id: 'o0', title: 'Pão integral com grãos' }, { id: 'o1', title: 'No' }] });
  });

  it('shortens a row title only when the description carries the full label', () => {
    const label = 'Bolo de cenoura com cobertura de chocolate';
    const fit = degradeChoice({ ...choice([label, 'B']), options: [{ id: 'a', label, description: 'R$32.00' }, { id: 'b', label: 'B' }] }, WHATSAPP_CAPABILITIES, limits);
    if (fit.mode !== 'list') throw new Error(`expected a list, got ${fit.mode}`);
    expect([...fit.rows[0]!.title].length).toBeLessThanOrEqual(24);
    expect(fit.rows[0]!.title.endsWith('…')).toBe(true);
    expect(fit.rows[0]!.description).toBe(`${label} · R$32.00`);
  });

  it('falls back to numbered text past the list size, with every label whole', () => {
    const labels = Array.from({ length: 11 }, (_, i) => `Option ${i + 1}`);
    const fit = degradeChoice(choice(labels), WHATSAPP_CAPABILITIES, limits);
    expect(fit.mode).toBe('text');
    if (fit.mode === 'text') for (const [i, l] of labels.entries()) expect(fit.text).toContain(`${i + 1}. ${l}`);
  });

  it('falls back to text when a label is too long even for a row description', () => {
    expect(degradeChoice(choice(['x'.repeat(80), 'B', 'C', 'D']), WHATSAPP_CAPABILITIES, limits).mode).toBe('text');
  });

  it('does not number options when the step reads numbers itself', () => {
    const fit = degradeChoice(choice(Array.from({ length: 12 }, (_, i) => `O${i}`), { numbered: false }), WHATSAPP_CAPABILITIES, limits);
    expect(fit.mode === 'text' && fit.text).not.toMatch(/^\d+\./m);
  });
});

describe('kit helpers', () => {
  it('splits long text without losing characters', () => {
    const text = Array.from({ length: 300 }, (_, i) => `line ${i}`).join('\n');
    const parts = splitText(text, 100);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(100);
    expect(parts.join('\n')).toBe(text);
  });

  it('forgets the oldest option tokens beyond capacity but keeps their position', () => {
    const ids = new OptionIds({ maxBytes: 8, capacity: 2 });
    const first = ids.encode('long-option-1', 1);
    ids.encode('long-option-2', 2);
    ids.encode('long-option-3', 3);
    expect(ids.decode(first)).toEqual({ kind: 'position', position: 1 });
    expect(ids.encode('short', 1)).toBe('short');
  });

  it('paces requests to maxPerSecond per key', async () => {
    let now = 0;
    const waits: number[] = [];
    const queue = new OutboundQueue({ maxPerSecond: 2, now: () => now, sleep: async (ms) => { waits.push(ms); now += ms; } });
    for (let i = 0; i < 5; i++) await queue.acquire('phone-1');
    expect(waits).toEqual([500, 500, 500]);
    await queue.acquire('phone-2');
    expect(waits).toHaveLength(3);
  });
});
