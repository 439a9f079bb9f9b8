import Fuse from 'fuse.js';
import { describe, expect, it } from 'vitest';
import { foldedFuse, foldForSearch } from '../../engine/catalog/folded-search.ts';

const shops = [
  { name: 'Padaria São Jorge', city: 'São Paulo', tags: ['pão', 'café'] },
  { name: 'Taquería El Güero', city: 'Ciudad de México', tags: ['tacos'] },
  { name: 'Warung Bu Sri', city: 'Jakarta', tags: ['nasi goreng'] },
  { name: 'Hackney Bread Co.', city: 'London', tags: ['sourdough'] },
];
const options = { keys: ['name', 'city', 'tags'], threshold: 0.34, ignoreLocation: true, includeScore: true };

describe('search over folded text', () => {
  it('folds case, accents and marks', () => {
    expect(['São Paulo', 'GÜERO', 'Ciudad de México', 'Pão', 'Ñandú'].map(foldForSearch)).toEqual(['sao paulo', 'guero', 'ciudad de mexico', 'pao', 'nandu']);
  });

  it('finds with or without accents and capitals, in tags too', () => {
    const fuse = foldedFuse(shops, options);
    const first = (query: string) => fuse.search(foldForSearch(query))[0]?.item.name;
    for (const query of ['sao paulo', 'SÃO PAULO', 'São Paulo']) expect(first(query), query).toBe('Padaria São Jorge');
    expect(first('guero')).toBe('Taquería El Güero');
    expect(first('mexico')).toBe('Taquería El Güero');
    expect(first('pao')).toBe('Padaria São Jorge');
    expect(first('NASI')).toBe('Warung Bu Sri');
  });

  it('ranks and scores as Fuse does with its own folding options', () => {
    const ours = foldedFuse(shops, options);
    const theirs = new Fuse(shops, { ...options, ignoreDiacritics: true });
    for (const query of ['sao paulo', 'padaria', 'tacso', 'bread london', 'jakarta', 'güero']) {
      const a = ours.search(foldForSearch(query)).map((r) => [r.item.name, r.score?.toFixed(6)]);
      const b = theirs.search(query).map((r) => [r.item.name, r.score?.toFixed(6)]);
      expect(a, query).toEqual(b);
    }
  });
});
