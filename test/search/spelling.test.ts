import { describe, expect, it } from 'vitest';
import { Spelling } from '../../engine/catalog/spelling.ts';

describe('Spelling: the words a directory is known by, closest first', () => {
  const spelling = new Spelling(['Confeitaria Doce Lar', 'Drogaria Central', 'Drogaria Sul', 'Droguería Sana', 'Belo Horizonte', 'Panadería La Espiga', 'Padaria São Jorge']);

  it('gives the word meant for a swap, a missing letter, a doubled letter or a wrong accent', () => {
    expect(spelling.correct('cofneitaria')).toEqual(['confeitaria']);
    expect(spelling.correct('horizonet')).toEqual(['horizonte']);
    expect(spelling.correct('paanderia')).toEqual(['panaderia']);
    expect(spelling.correct('padria')).toEqual(['padaria']);
  });

  it('offers the most used of equally close words first', () => {
    expect(spelling.correct('drogeria')).toEqual(['drogaria', 'drogueria']);
  });

  it('allows one edit to a word of four or five letters, two from six on, none below four', () => {
    expect(spelling.correct('belp')).toEqual(['belo']);
    expect(spelling.correct('bxlp')).toEqual([]);
    expect(spelling.correct('cofnetaria')).toEqual(['confeitaria']);
    expect(spelling.correct('lr')).toEqual([]);
    expect(spelling.correct('laa')).toEqual([]);
  });

  it('corrects nothing that is already a word of the directory, or far from every word', () => {
    expect(spelling.correct('padaria')).toEqual([]);
    expect(spelling.correct('xyzzyqw')).toEqual([]);
  });
});
