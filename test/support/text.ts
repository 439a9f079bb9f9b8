/** Folds the no-break spaces `Intl` puts in money ("R$\u00a012,50") into plain spaces. */
export function plain(text: string): string {
  return text.replace(/[\u00a0\u202f]/g, ' ');
}

/** The number in front of the numbered option whose line contains `label`. */
export function optionNumber(reply: string, label: string): string {
  const line = plain(reply).split('\n').find((l) => /^\s*\d+\. /.test(l) && l.includes(label));
  if (!line) throw new Error(`no option "${label}" in:\n${reply}`);
  return line.trim().split('.')[0] ?? '';
}
