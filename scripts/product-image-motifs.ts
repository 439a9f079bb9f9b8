/**
 * Flat illustrations of the example bots' products, as SVG on a 400×400
 * canvas: a loaf, a cup, a taco, a book… each drawn from a few shapes and the
 * colours it is given. `scripts/product-images.ts` renders them to JPEG.
 */

/** The SVG markup of one picture (without the outer `<svg>`). */
export type Motif = string;

const ellipse = (cx: number, cy: number, rx: number, ry: number, fill: string, extra = ''): string =>
  `<ellipse cx="${cx}" cy="${cy}" rx="${rx}" ry="${ry}" fill="${fill}" ${extra}/>`;
const circle = (cx: number, cy: number, r: number, fill: string, extra = ''): string => `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${fill}" ${extra}/>`;
const rect = (x: number, y: number, w: number, h: number, fill: string, r = 0, extra = ''): string =>
  `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${r}" fill="${fill}" ${extra}/>`;
const pathOf = (d: string, fill: string, extra = ''): string => `<path d="${d}" fill="${fill}" ${extra}/>`;
const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Centred text lines. */
const lines = (x: number, y: number, texts: readonly string[], size: number, fill: string, weight = 700, family = 'DejaVu Serif'): string =>
  texts.map((t, i) => `<text x="${x}" y="${y + i * size * 1.2}" font-family="${family}" font-size="${size}" font-weight="${weight}" fill="${fill}" text-anchor="middle">${escapeXml(t)}</text>`).join('');
/** A soft shadow under an object resting at `y`. */
const shadow = (cx: number, y: number, rx: number): string => ellipse(cx, y, rx, rx * 0.12, '#00000022');
/** Deterministic scatter of `n` points in a box, for seeds, toppings and specks. */
function scatter(n: number, x: number, y: number, w: number, h: number, seed: number): [number, number][] {
  let s = seed;
  const next = () => {
    s = (s * 9301 + 49297) % 233280;
    return s / 233280;
  };
  return Array.from({ length: n }, () => [x + next() * w, y + next() * h]);
}

/** The picture's background: a flat colour with a lighter disc. */
export function background(color: string, motif: Motif): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400">${rect(0, 0, 400, 400, color)}${circle(200, 200, 170, '#ffffff33')}${motif}</svg>`;
}

/** A loaf: round (a boule), tin, long (a bloomer) or small (a roll), scored, maybe seeded. */
export function loaf(o: { crust: string; shape: 'round' | 'tin' | 'long' | 'small'; score?: string; seeds?: string; flour?: boolean }): Motif {
  const score = o.score ?? '#f3d9a4';
  const seeds = o.seeds ? scatter(40, 110, 150, 180, 80, 7).map(([x, y]) => ellipse(x, y, 5, 3, o.seeds ?? '', `transform="rotate(${x % 90} ${x} ${y})"`)).join('') : '';
  const flour = o.flour ? scatter(60, 110, 140, 180, 70, 3).map(([x, y]) => circle(x, y, 2, '#ffffffaa')).join('') : '';
  switch (o.shape) {
    case 'round':
      return shadow(200, 300, 140) + pathOf('M70 290 Q60 140 200 120 Q340 140 330 290 Z', o.crust) + pathOf('M150 170 Q200 140 250 170', 'none', `stroke="${score}" stroke-width="10" stroke-linecap="round"`)
        + pathOf('M130 220 Q200 185 270 220', 'none', `stroke="${score}" stroke-width="10" stroke-linecap="round"`) + flour + seeds;
    case 'tin':
      return shadow(200, 305, 150) + rect(80, 170, 240, 130, o.crust, 12) + pathOf('M72 185 Q72 105 200 105 Q328 105 328 185 Z', o.crust) + rect(80, 180, 240, 8, '#00000018') + pathOf('M140 140 Q200 120 260 140', 'none', `stroke="${score}" stroke-width="8" stroke-linecap="round"`) + seeds;
    case 'long':
      return shadow(200, 290, 165) + ellipse(200, 220, 160, 75, o.crust) + [130, 180, 230, 280].map((x) => pathOf(`M${x - 20} 185 L${x + 20} 240`, 'none', `stroke="${score}" stroke-width="10" stroke-linecap="round"`)).join('') + flour + seeds;
    case 'small':
      return shadow(200, 290, 150) + [[130, 230], [270, 230], [200, 195]].map(([x, y]) => ellipse(x ?? 0, y ?? 0, 80, 58, o.crust) + pathOf(`M${(x ?? 0) - 35} ${y} Q${x} ${(y ?? 0) - 20} ${(x ?? 0) + 35} ${y}`, 'none', `stroke="${score}" stroke-width="7" stroke-linecap="round"`)).join('');
  }
}

/** A baguette or a ciabatta lying across. */
export function baguette(o: { crust: string; flat?: boolean }): Motif {
  const body = o.flat ? rect(70, 170, 260, 90, o.crust, 40) : pathOf('M40 280 Q30 250 70 235 L330 120 Q365 110 370 140 Q372 160 345 175 L85 290 Q55 300 40 280 Z', o.crust);
  const cuts = o.flat ? scatter(30, 90, 185, 220, 60, 11).map(([x, y]) => circle(x, y, 3, '#ffffff88')).join('')
    : [110, 170, 230, 290].map((x) => pathOf(`M${x - 15} ${270 - (x - 70) * 0.45} l35 -25`, 'none', 'stroke="#f3d9a4" stroke-width="9" stroke-linecap="round"')).join('');
  return shadow(200, 300, 160) + body + cuts;
}

/** A croissant. */
export function croissant(o: { color: string }): Motif {
  const ribs = [120, 160, 200, 240, 280].map((x) => pathOf(`M${x} 150 Q${x + 8} 220 ${x} 270`, 'none', 'stroke="#00000025" stroke-width="6"')).join('');
  return shadow(200, 290, 150) + pathOf('M60 250 Q70 140 200 140 Q330 140 340 250 Q300 230 280 270 Q200 300 120 270 Q100 230 60 250 Z', o.color) + ribs;
}

/** A swirled bun (cinnamon, cardamom), glazed or not. */
export function swirlBun(o: { dough: string; swirl: string; glaze?: string }): Motif {
  const spiral = 'M200 205 m-8 0 a8 8 0 1 1 16 0 a22 22 0 1 1 -44 0 a40 40 0 1 1 80 0 a58 58 0 1 1 -116 0 a76 76 0 1 1 152 0';
  const glaze = o.glaze ? pathOf('M110 170 q20 30 40 0 q20 30 40 0 q20 30 40 0 q20 30 40 0', 'none', `stroke="${o.glaze}" stroke-width="12" stroke-linecap="round"`) : '';
  return shadow(200, 300, 130) + circle(200, 210, 100, o.dough) + pathOf(spiral, 'none', `stroke="${o.swirl}" stroke-width="12" stroke-linecap="round"`) + glaze;
}

/** A heap of small round breads (pão de queijo, bisnaguinhas, pão francês). */
export function smallBreads(o: { color: string; count: number; long?: boolean }): Motif {
  const spots = [[140, 250], [260, 250], [200, 260], [170, 200], [235, 200], [200, 150]].slice(0, o.count);
  return shadow(200, 300, 150) + spots.map(([x, y]) => (o.long ? ellipse(x ?? 0, y ?? 0, 60, 36, o.color, 'stroke="#00000015" stroke-width="3"') : circle(x ?? 0, y ?? 0, 45, o.color, 'stroke="#00000015" stroke-width="3"'))).join('');
}

/** A pastry: a sausage roll (log with a filling end) or an esfiha (open triangle). */
export function pastry(o: { kind: 'roll' | 'triangle'; crust: string; filling: string }): Motif {
  if (o.kind === 'triangle') return shadow(200, 300, 140) + pathOf('M70 290 L200 90 L330 290 Z', o.crust, 'stroke-linejoin="round" stroke="#c08a3e" stroke-width="14"') + pathOf('M120 265 L200 140 L280 265 Z', o.filling) + scatter(14, 150, 200, 100, 50, 5).map(([x, y]) => circle(x, y, 5, '#3f7d3a')).join('');
  return shadow(200, 300, 160) + rect(60, 160, 280, 110, o.crust, 50) + ellipse(320, 215, 30, 52, o.filling) + [120, 170, 220, 270].map((x) => pathOf(`M${x} 170 l20 90`, 'none', 'stroke="#00000022" stroke-width="7"')).join('');
}

/** A flat bread with toppings (focaccia), as a slab seen from above. */
export function focaccia(o: { color: string; topping: string }): Motif {
  return shadow(200, 320, 160) + rect(60, 100, 280, 210, o.color, 24) + scatter(26, 80, 120, 240, 170, 13).map(([x, y]) => circle(x, y, 7, '#00000018')).join('')
    + scatter(14, 85, 125, 230, 160, 17).map(([x, y]) => pathOf(`M${x} ${y} l14 -10`, 'none', `stroke="${o.topping}" stroke-width="5" stroke-linecap="round"`)).join('');
}

/** A slice of cake, tart or quiche from the side: layers bottom to top, a top colour and a garnish. */
export function slice(o: { layers: readonly string[]; top: string; garnish?: string }): Motif {
  const h = 150 / o.layers.length;
  const body = o.layers.map((c, i) => pathOf(`M80 ${290 - i * h} L320 ${290 - i * h} L320 ${290 - (i + 1) * h} L80 ${290 - (i + 1) * h} Z`, c)).join('');
  return shadow(200, 300, 150) + body + pathOf('M70 140 L330 140 L320 125 L80 125 Z', o.top) + (o.garnish ? circle(150, 118, 14, o.garnish) + circle(250, 118, 14, o.garnish) : '');
}

/** A crème caramel (pudim, flan) on a plate. */
export function flan(o: { custard: string; caramel: string }): Motif {
  return ellipse(200, 290, 170, 40, '#ffffff') + pathOf('M110 290 L140 150 L260 150 L290 290 Z', o.custard) + ellipse(200, 150, 60, 16, o.caramel) + pathOf('M140 152 q10 40 20 0 q15 55 30 0 q15 40 30 0 q15 50 30 0', o.caramel) + ellipse(200, 292, 120, 14, o.caramel);
}

/** Croquettes shaped as drops (coxinhas). */
export function coxinhas(o: { crust: string }): Motif {
  const drop = (x: number, y: number) => pathOf(`M${x} ${y - 90} Q${x + 15} ${y - 40} ${x + 55} ${y + 10} Q${x + 60} ${y + 70} ${x} ${y + 70} Q${x - 60} ${y + 70} ${x - 55} ${y + 10} Q${x - 15} ${y - 40} ${x} ${y - 90} Z`, o.crust);
  return shadow(200, 300, 150) + drop(140, 225) + drop(260, 225) + scatter(50, 90, 150, 220, 130, 53).map(([x, y]) => circle(x, y, 2.5, '#00000020')).join('');
}

/** A toasted sandwich cut in two, with its filling showing. */
export function sandwich(o: { bread: string; filling: readonly string[] }): Motif {
  const half = (dx: number, rotate: number) => `<g transform="rotate(${rotate} ${200 + dx} 220)">${o.filling.map((c, i) => rect(110 + dx, 200 + i * 8, 180, 14, c, 6)).join('')}${pathOf(`M${100 + dx} 200 L${300 + dx} 200 L${200 + dx} 110 Z`, o.bread)}${rect(100 + dx, 200 + o.filling.length * 8 + 6, 200, 20, o.bread, 6)}</g>`;
  return shadow(200, 300, 160) + half(-55, -8) + half(55, 8);
}

/** A filled doughnut (sonho) dusted with sugar. */
export function donut(o: { dough: string; filling: string }): Motif {
  return shadow(200, 300, 140) + ellipse(200, 215, 130, 90, o.dough) + pathOf('M90 215 Q200 250 310 215 Q200 232 90 215 Z', o.filling, 'stroke="#e9c46a" stroke-width="14"')
    + scatter(50, 100, 140, 200, 60, 19).map(([x, y]) => circle(x, y, 2.5, '#ffffff')).join('');
}

/** A hot drink in a cup on a saucer, with a foam pattern or none. */
export function cup(o: { cup: string; drink: string; foam?: string }): Motif {
  const foam = o.foam ? pathOf('M200 150 q-30 10 0 25 q30 10 0 25', 'none', `stroke="${o.foam}" stroke-width="10" stroke-linecap="round"`) + ellipse(200, 175, 40, 12, 'none', `stroke="${o.foam}" stroke-width="6"`) : '';
  return ellipse(200, 300, 160, 40, '#ffffff', 'stroke="#00000015" stroke-width="3"') + pathOf('M90 170 Q95 300 200 300 Q305 300 310 170 Z', o.cup) + pathOf('M305 195 q60 5 40 55 q-15 25 -50 20', 'none', `stroke="${o.cup}" stroke-width="16"`)
    + ellipse(200, 172, 110, 30, o.drink) + foam;
}

/** A cold drink in a glass: colour, ice, a straw and a garnish (a lemon slice, a fruit). */
export function glass(o: { drink: string; straw?: string; garnish?: string; ice?: boolean; layers?: readonly string[] }): Motif {
  const layers = (o.layers ?? []).map((c, i) => pathOf(`M${136 - i * 4} ${300 - i * 40} L${264 + i * 4} ${300 - i * 40} L${260 + i * 4} ${270 - i * 40} L${140 - i * 4} ${270 - i * 40} Z`, c)).join('');
  const ice = o.ice ? [[170, 150], [220, 170], [190, 200]].map(([x, y]) => rect(x ?? 0, y ?? 0, 34, 34, '#ffffff66', 6, `transform="rotate(15 ${x} ${y})"`)).join('') : '';
  return shadow(200, 320, 90) + pathOf('M120 110 L140 315 L260 315 L280 110 Z', '#ffffffaa') + pathOf('M127 140 L142 305 L258 305 L273 140 Z', o.drink) + layers + ice
    + (o.straw ? rect(230, 60, 14, 140, o.straw, 6, 'transform="rotate(14 237 130)"') : '') + (o.garnish ? circle(275, 118, 30, o.garnish, 'stroke="#ffffff" stroke-width="6"') : '');
}

/** A bowl seen from the side, heaped with a colour and toppings. */
export function bowl(o: { bowl: string; food: string; toppings?: readonly string[] }): Motif {
  const tops = (o.toppings ?? []).flatMap((c, i) => scatter(8, 120, 130, 160, 40, 23 + i).map(([x, y]) => circle(x, y, 11, c))).join('');
  return shadow(200, 320, 140) + ellipse(200, 165, 140, 45, o.food) + tops + pathOf('M60 170 Q70 320 200 320 Q330 320 340 170 Q200 215 60 170 Z', o.bowl);
}

/** A plate seen from above: a heap of rice and sides (circles of colour). */
export function plate(o: { rice: string; sides: readonly { color: string; r: number; x: number; y: number }[] }): Motif {
  return ellipse(200, 210, 175, 165, '#ffffff', 'stroke="#00000014" stroke-width="4"') + ellipse(200, 210, 140, 130, '#cfe3de') + circle(170, 190, 75, o.rice)
    + scatter(40, 110, 130, 120, 120, 29).map(([x, y]) => ellipse(x, y, 4, 2, '#ffffff99')).join('') + o.sides.map((s) => circle(s.x, s.y, s.r, s.color)).join('');
}

/** Folded tacos (or a gringa) with a filling and garnish. */
export function tacos(o: { shell: string; filling: string; garnish: readonly string[]; count: number }): Motif {
  return shadow(200, 320, 170) + Array.from({ length: o.count }, (_, i) => {
    const x = o.count === 1 ? 200 : 110 + i * (180 / (o.count - 1));
    return pathOf(`M${x - 80} 280 Q${x - 80} 150 ${x} 150 Q${x + 80} 150 ${x + 80} 280`, o.filling) + o.garnish.map((c, j) => scatter(6, x - 55, 165 + j * 10, 110, 50, 31 + i + j).map(([a, b]) => circle(a, b, 8, c)).join('')).join('')
      + pathOf(`M${x - 85} 285 Q${x - 85} 180 ${x - 60} 175 Q${x} 300 ${x + 60} 175 Q${x + 85} 180 ${x + 85} 285 Z`, o.shell);
  }).join('');
}

/** An arepa split and filled. */
export function arepa(o: { filling: string; specks?: string }): Motif {
  return shadow(200, 300, 140) + ellipse(200, 245, 130, 45, '#e9d29a') + ellipse(200, 205, 128, 35, o.filling)
    + (o.specks ? scatter(20, 100, 190, 200, 30, 37).map(([x, y]) => circle(x, y, 7, o.specks ?? '')).join('') : '') + ellipse(200, 175, 130, 45, '#f2dfa8') + scatter(12, 100, 150, 200, 50, 41).map(([x, y]) => circle(x, y, 6, '#c9a25e')).join('');
}

/** A folded tapioca crepe with a filling. */
export function tapioca(o: { filling: string }): Motif {
  return shadow(200, 300, 150) + pathOf('M60 270 Q200 80 340 270 Z', '#fbf7ee', 'stroke="#e8dfcc" stroke-width="6"') + pathOf('M90 270 Q200 250 310 270', 'none', `stroke="${o.filling}" stroke-width="14"`) + scatter(40, 110, 170, 180, 70, 43).map(([x, y]) => circle(x, y, 3, '#e8dfcc')).join('');
}

/** Sausages (chorizo) on a board, with a lemon. */
export function sausages(o: { color: string }): Motif {
  return rect(60, 210, 280, 90, '#b98552', 16) + [130, 200, 270].map((x) => ellipse(x, 220, 30, 70, o.color, `transform="rotate(-25 ${x} 220)"`)).join('') + circle(300, 280, 26, '#9acd32', 'stroke="#fff" stroke-width="5"');
}

/** A book standing slightly turned, with its title (and author) on the cover. */
export function book(o: { cover: string; ink: string; title: readonly string[]; author?: string; band?: string }): Motif {
  return shadow(200, 345, 110) + rect(118, 56, 180, 280, '#f5f0e6', 6) + rect(102, 50, 180, 285, o.cover, 8) + rect(102, 50, 16, 285, '#00000025')
    + (o.band ? rect(118, 230, 164, 40, o.band) : '') + lines(200, 130, o.title, o.title.some((t) => t.length > 10) ? 20 : 26, o.ink) + (o.author ? lines(200, 305, [o.author], 14, o.ink, 400, 'DejaVu Sans') : '');
}

/** A bag of coffee beans with a label. */
export function coffeeBag(o: { bag: string; label: string; text: readonly string[] }): Motif {
  return shadow(200, 330, 110) + pathOf('M110 80 L290 80 L305 330 L95 330 Z', o.bag) + rect(110, 70, 180, 22, '#00000030', 4) + rect(130, 160, 140, 110, o.label, 8) + lines(200, 200, o.text, 18, '#3b2416')
    + ellipse(200, 250, 14, 9, '#3b2416');
}

/** A medicine box with a label, and a strip of tablets beside it. */
export function medicineBox(o: { color: string; text: readonly string[]; tablets?: string }): Motif {
  return shadow(200, 320, 140) + rect(80, 120, 200, 190, '#ffffff', 6, 'stroke="#00000018" stroke-width="3"') + rect(80, 120, 200, 50, o.color, 6) + lines(180, 220, o.text, 20, '#1f2937', 700, 'DejaVu Sans')
    + (o.tablets ? rect(250, 200, 80, 120, '#d7dde3', 8) + [0, 1, 2].flatMap((r) => [0, 1].map((c) => circle(272 + c * 36, 225 + r * 36, 13, o.tablets ?? ''))).join('') : '');
}

/** A bottle (pills, sunscreen tube, liquid soap with a pump). */
export function bottle(o: { color: string; cap: string; text: readonly string[]; pump?: boolean }): Motif {
  const top = o.pump ? rect(180, 60, 40, 40, o.cap, 4) + rect(200, 50, 60, 14, o.cap, 4) : rect(160, 70, 80, 40, o.cap, 8);
  return shadow(200, 335, 110) + top + rect(120, 105, 160, 230, o.color, 28) + rect(135, 170, 130, 100, '#ffffffdd', 8) + lines(200, 210, o.text, 18, '#1f2937', 700, 'DejaVu Sans');
}

/** A digital thermometer. */
export function thermometer(): Motif {
  return shadow(200, 320, 150) + rect(60, 180, 290, 56, '#ffffff', 28, 'transform="rotate(-25 200 208)" stroke="#00000020" stroke-width="3"') + rect(150, 190, 90, 34, '#cfe8e2', 6, 'transform="rotate(-25 200 208)"')
    + lines(196, 222, ['36.6'], 20, '#115e59', 700, 'DejaVu Sans Mono').replace('<text ', '<text transform="rotate(-25 200 208)" ') + rect(40, 196, 40, 20, '#9ca3af', 10, 'transform="rotate(-25 200 208)"');
}

/** A bouquet: flower heads of the given colours over green stems, in a wrap. */
export function bouquet(o: { flowers: readonly string[]; wrap: string; dried?: boolean }): Motif {
  const heads = scatter(o.flowers.length * 3, 110, 70, 180, 110, 47).map(([x, y], i) => circle(x, y, o.dried ? 16 : 30, o.flowers[i % o.flowers.length] ?? '', 'stroke="#ffffff66" stroke-width="4"') + circle(x, y, o.dried ? 5 : 9, '#00000022')).join('');
  const stems = [150, 180, 200, 220, 250].map((x) => pathOf(`M${x} 170 L200 330`, 'none', `stroke="${o.dried ? '#a08f5c' : '#4f8a3c'}" stroke-width="6"`)).join('');
  return shadow(200, 350, 90) + stems + heads + pathOf('M120 210 L280 210 L225 350 L175 350 Z', o.wrap);
}

/** A potted plant with split leaves (a monstera). */
export function plant(): Motif {
  const leaf = (x: number, y: number, angle: number) => `<g transform="rotate(${angle} ${x} ${y})">${ellipse(x, y, 55, 40, '#2f7d4a')}${[-25, 0, 25].map((d) => rect(x + d - 3, y - 40, 6, 24, '#cfe3cf')).join('')}</g>`;
  return shadow(200, 345, 90) + leaf(140, 130, -30) + leaf(260, 130, 30) + leaf(200, 95, 0) + leaf(135, 205, -50) + leaf(265, 205, 50) + pathOf('M135 240 L265 240 L250 345 L150 345 Z', '#d97757');
}

/** A glass vase. */
export function vase(): Motif {
  return shadow(200, 340, 90) + pathOf('M160 70 L240 70 L235 110 Q300 170 280 280 Q270 340 200 340 Q130 340 120 280 Q100 170 165 110 Z', '#a5d8e6aa', 'stroke="#ffffff" stroke-width="6"') + pathOf('M150 200 Q140 250 160 290', 'none', 'stroke="#ffffffcc" stroke-width="8" stroke-linecap="round"');
}

/** A batik pattern tile (parang diagonals, mega mendung clouds, sogan dots). */
function batikPattern(id: string, kind: 'parang' | 'mendung' | 'sogan' | 'cap', base: string, ink: string): string {
  const tile: Record<typeof kind, string> = {
    parang: `${rect(0, 0, 40, 40, base)}${pathOf('M-10 50 Q10 30 20 20 Q30 10 50 -10', 'none', `stroke="${ink}" stroke-width="8"`)}${circle(8, 8, 4, ink)}${circle(32, 32, 4, ink)}`,
    mendung: `${rect(0, 0, 60, 40, base)}${[18, 12, 6].map((r, i) => circle(30, 40, r, i % 2 ? base : ink)).join('')}${[14, 8].map((r, i) => circle(0, 14, r, i % 2 ? base : ink)).join('')}${[14, 8].map((r, i) => circle(60, 14, r, i % 2 ? base : ink)).join('')}`,
    sogan: `${rect(0, 0, 30, 30, base)}${circle(15, 15, 8, 'none', `stroke="${ink}" stroke-width="3"`)}${circle(15, 15, 3, ink)}${circle(0, 0, 3, ink)}${circle(30, 30, 3, ink)}`,
    cap: `${rect(0, 0, 40, 40, base)}${pathOf('M20 6 L34 20 L20 34 L6 20 Z', 'none', `stroke="${ink}" stroke-width="4"`)}${circle(20, 20, 5, ink)}`,
  };
  const size = kind === 'mendung' ? [60, 40] : kind === 'sogan' ? [30, 30] : [40, 40];
  return `<defs><pattern id="${id}" width="${size[0]}" height="${size[1]}" patternUnits="userSpaceOnUse">${tile[kind]}</pattern></defs>`;
}

/** A garment or cloth in a batik pattern: a shirt, a dress, a folded cloth, a scarf or a bag. */
export function batik(o: { item: 'shirt' | 'dress' | 'cloth' | 'scarf' | 'bag'; pattern: 'parang' | 'mendung' | 'sogan' | 'cap'; base: string; ink: string }): Motif {
  const fill = 'url(#batik)';
  const shapes: Record<typeof o.item, string> = {
    shirt: pathOf('M140 70 L200 95 L260 70 L340 120 L310 180 L280 165 L280 340 L120 340 L120 165 L90 180 L60 120 Z', fill) + pathOf('M170 75 L200 120 L230 75', 'none', 'stroke="#ffffffaa" stroke-width="6"') + [160, 210, 260, 310].map((y) => circle(200, y, 5, '#f5f0e6')).join(''),
    dress: pathOf('M160 60 L240 60 L250 140 L320 345 L80 345 L150 140 Z', fill) + rect(150, 135, 100, 14, '#00000030'),
    cloth: rect(70, 120, 260, 60, fill, 6) + rect(60, 175, 280, 60, fill, 6) + rect(70, 230, 260, 80, fill, 6) + rect(60, 175, 280, 4, '#00000025') + rect(70, 230, 260, 4, '#00000025'),
    scarf: pathOf('M100 60 Q200 40 300 60 L260 200 Q300 260 250 345 L200 345 Q230 260 200 200 L150 200 Q170 260 150 345 L100 345 Q60 260 130 200 Z', fill),
    bag: pathOf('M150 150 Q150 70 200 70 Q250 70 250 150', 'none', `stroke="${o.ink}" stroke-width="14"`) + rect(90, 140, 220, 200, fill, 14),
  };
  return batikPattern('batik', o.pattern, o.base, o.ink) + shadow(200, 345, 130) + shapes[o.item];
}

/** A canvas tote bag with a printed word. */
export function tote(o: { color: string; text: string }): Motif {
  return shadow(200, 345, 120) + pathOf('M140 150 Q140 60 200 60 Q260 60 260 150', 'none', 'stroke="#d6c7a1" stroke-width="14"') + rect(90, 140, 220, 200, o.color, 6) + lines(200, 250, [o.text], 24, '#1f2937');
}
