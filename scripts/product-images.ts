/**
 * Draws the example bots' product pictures: `npx tsx scripts/product-images.ts`
 * (those not drawn yet; `-- --all` redraws every one).
 * Each is a flat SVG illustration (scripts/product-image-motifs.ts) rendered
 * by headless Chromium (/usr/bin/chromium, or CHROMIUM) to a 400×400 JPEG in
 * the bot's folder, where its catalog names it (`image: images/…`).
 * WhatsApp and Telegram take JPEG or PNG, not SVG, hence the rendering.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import * as m from './product-image-motifs.ts';

const BOTS = path.resolve(import.meta.dirname, '..', 'bots');

const [CREAM, SAND, PEACH, MINT, SKY, LILAC, ROSE, STONE] = ['#f6ead7', '#efe0c2', '#f9dcc4', '#d8efe4', '#d6e8f5', '#e6dcf2', '#f6d6dc', '#e7e5e4'];
const [CRUST, DARK_CRUST, RYE, GOLDEN, PALE] = ['#c98a3c', '#9a5b24', '#6b4226', '#e0a84a', '#edc37a'];
const [COFFEE, MILKY, CUP_WHITE] = ['#5a3520', '#b98b5e', '#fbfbf8'];

/** Every picture: its file in `bots/`, its background and its drawing. */
const PICTURES: Record<string, [string, m.Motif]> = {
  'corner-bakery/images/white-sourdough.jpg': [CREAM, m.loaf({ crust: CRUST, shape: 'round', flour: true })],
  'corner-bakery/images/wholemeal-tin.jpg': [SAND, m.loaf({ crust: DARK_CRUST, shape: 'tin' })],
  'corner-bakery/images/focaccia.jpg': [MINT, m.focaccia({ color: GOLDEN, topping: '#3f7d3a' })],
  'corner-bakery/images/croissant.jpg': [SKY, m.croissant({ color: GOLDEN })],
  'corner-bakery/images/cinnamon-bun.jpg': [PEACH, m.swirlBun({ dough: PALE, swirl: DARK_CRUST, glaze: '#fffaf0' })],
  'corner-bakery/images/sausage-roll.jpg': [STONE, m.pastry({ kind: 'roll', crust: GOLDEN, filling: '#c9837a' })],
  'corner-bakery/images/victoria-sponge.jpg': [ROSE, m.slice({ layers: ['#f3d28b', '#d8324a', '#fff4e0', '#f3d28b'], top: '#fffaf5', garnish: '#d8324a' })],
  'corner-bakery/images/carrot-cake.jpg': [PEACH, m.slice({ layers: ['#c27a3a', '#fff4e0', '#c27a3a'], top: '#fff8ec', garnish: '#e97f2e' })],
  'corner-bakery/images/flat-white.jpg': [SAND, m.cup({ cup: CUP_WHITE, drink: MILKY, foam: '#fff7ea' })],
  'corner-bakery/images/seeded-rye.jpg': [STONE, m.loaf({ crust: RYE, shape: 'tin', score: '#8b5e3c', seeds: '#e9d8a6' })],
  'corner-bakery/images/baguette.jpg': [SKY, m.baguette({ crust: CRUST })],
  'corner-bakery/images/pain-au-chocolat.jpg': [ROSE, m.pastry({ kind: 'roll', crust: GOLDEN, filling: '#4a2a17' })],
  'corner-bakery/images/eccles-cake.jpg': [CREAM, m.smallBreads({ color: GOLDEN, count: 3 })],
  'corner-bakery/images/lemon-drizzle.jpg': [MINT, m.slice({ layers: ['#f3dc8b', '#f3dc8b'], top: '#fffbe0', garnish: '#facc15' })],
  'corner-bakery/images/chocolate-brownie.jpg': [PEACH, m.slice({ layers: ['#3b2416', '#4a2a17'], top: '#2b190f' })],
  'corner-bakery/images/whole-victoria-sponge.jpg': [LILAC, m.slice({ layers: ['#f3d28b', '#d8324a', '#f3d28b'], top: '#ffffff', garnish: '#f6d6dc' })],
  'corner-bakery/images/builders-tea.jpg': [SKY, m.cup({ cup: '#1d4e89', drink: '#9a5b2e' })],
  'corner-bakery/images/hot-chocolate.jpg': [ROSE, m.cup({ cup: '#b91c1c', drink: '#4a2a17', foam: '#fde7cf' })],

  'directory/images/libreria-la-rayuela/pedro-paramo.jpg': [SAND, m.book({ cover: '#8c2f1b', ink: '#f8e9c8', title: ['Pedro', 'Páramo'], author: 'Juan Rulfo' })],
  'directory/images/libreria-la-rayuela/cien-anos.jpg': [MINT, m.book({ cover: '#1f5f5b', ink: '#f4d35e', title: ['Cien años', 'de soledad'], author: 'G. García Márquez', band: '#f4d35e33' })],
  'directory/images/libreria-la-rayuela/aura.jpg': [LILAC, m.book({ cover: '#2d2a4a', ink: '#e6dcf2', title: ['Aura'], author: 'Carlos Fuentes' })],
  'directory/images/libreria-la-rayuela/temporada-huracanes.jpg': [SKY, m.book({ cover: '#c2452d', ink: '#fff3e0', title: ['Temporada', 'de huracanes'], author: 'Fernanda Melchor' })],
  'directory/images/libreria-la-rayuela/laberinto-soledad.jpg': [STONE, m.book({ cover: '#3a3a3a', ink: '#e9c46a', title: ['El laberinto', 'de la soledad'], author: 'Octavio Paz' })],
  'directory/images/libreria-la-rayuela/principito.jpg': [SKY, m.book({ cover: '#f2efe4', ink: '#1d4e89', title: ['El principito'], author: 'A. de Saint-Exupéry', band: '#f4d35e' })],

  'directory/images/farmacia-bem-estar/dipirona-500.jpg': [SKY, m.medicineBox({ color: '#2563eb', text: ['Dipirona', '500 mg'], tablets: '#ffffff' })],
  'directory/images/farmacia-bem-estar/ibuprofeno-400.jpg': [ROSE, m.medicineBox({ color: '#dc2626', text: ['Ibuprofeno', '400 mg'], tablets: '#fca5a5' })],
  'directory/images/farmacia-bem-estar/pastilha-garganta.jpg': [MINT, m.medicineBox({ color: '#16a34a', text: ['Pastilhas', 'garganta'], tablets: '#86efac' })],
  'directory/images/farmacia-bem-estar/termometro-digital.jpg': [MINT, m.thermometer()],
  'directory/images/farmacia-bem-estar/protetor-solar-50.jpg': [PEACH, m.bottle({ color: '#f59e0b', cap: '#1f2937', text: ['FPS', '50'] })],
  'directory/images/farmacia-bem-estar/sabonete-liquido.jpg': [LILAC, m.bottle({ color: '#a78bfa', cap: '#f5f3ff', text: ['Sabonete', 'líquido'], pump: true })],
  'directory/images/farmacia-bem-estar/vitamina-d-2000.jpg': [CREAM, m.bottle({ color: '#fbbf24', cap: '#ffffff', text: ['Vitamina D', '2000 UI'] })],

  'directory/images/chorlton-bookshop/north-and-south.jpg': [STONE, m.book({ cover: '#5b3a29', ink: '#f3e3c3', title: ['North', 'and South'], author: 'Elizabeth Gaskell' })],
  'directory/images/chorlton-bookshop/remains-of-the-day.jpg': [SAND, m.book({ cover: '#27476e', ink: '#f6ead7', title: ['The Remains', 'of the Day'], author: 'Kazuo Ishiguro' })],
  'directory/images/chorlton-bookshop/normal-people.jpg': [PEACH, m.book({ cover: '#f1e6d6', ink: '#2f3e46', title: ['Normal', 'People'], author: 'Sally Rooney', band: '#d9a066' })],
  'directory/images/chorlton-bookshop/orbital.jpg': [SKY, m.book({ cover: '#0b1d3a', ink: '#ffd166', title: ['Orbital'], author: 'Samantha Harvey' })],
  'directory/images/chorlton-bookshop/braiding-sweetgrass.jpg': [MINT, m.book({ cover: '#3f6b3a', ink: '#f4f1de', title: ['Braiding', 'Sweetgrass'], author: 'Robin Wall Kimmerer' })],
  'directory/images/chorlton-bookshop/gruffalo.jpg': [CREAM, m.book({ cover: '#5a7d2a', ink: '#fff3b0', title: ['The', 'Gruffalo'], author: 'Julia Donaldson' })],
  'directory/images/chorlton-bookshop/tote-bag.jpg': [ROSE, m.tote({ color: '#f3ecd9', text: 'Chorlton' })],

  'directory/images/areperia-dona-rosa/arepa-queso.jpg': [CREAM, m.arepa({ filling: '#fdf6d8' })],
  'directory/images/areperia-dona-rosa/arepa-pollo.jpg': [PEACH, m.arepa({ filling: '#e9c89b', specks: '#6aa84f' })],
  'directory/images/areperia-dona-rosa/arepa-chicharron.jpg': [SAND, m.arepa({ filling: '#b5652b', specks: '#8a3d12' })],
  'directory/images/areperia-dona-rosa/arepa-hogao.jpg': [ROSE, m.arepa({ filling: '#d9482b', specks: '#f2c14e' })],
  'directory/images/areperia-dona-rosa/chorizo-antioqueno.jpg': [STONE, m.sausages({ color: '#9b2f1f' })],
  'directory/images/areperia-dona-rosa/aguapanela-limon.jpg': [MINT, m.glass({ drink: '#c98b3c', ice: true, garnish: '#b5d334' })],

  'directory/images/acai-do-leme/acai-300.jpg': [LILAC, m.bowl({ bowl: '#f5f3ff', food: '#4a1d4f', toppings: ['#f7d774', '#c89b5b'] })],
  'directory/images/acai-do-leme/acai-700.jpg': [LILAC, m.bowl({ bowl: '#7c3aed', food: '#4a1d4f', toppings: ['#f7d774', '#c89b5b', '#e63946'] })],
  'directory/images/acai-do-leme/acai-banana-granola.jpg': [CREAM, m.bowl({ bowl: '#f5f3ff', food: '#4a1d4f', toppings: ['#fbe7a1', '#b07d48'] })],
  'directory/images/acai-do-leme/acai-pacoca.jpg': [SAND, m.bowl({ bowl: '#ffffff', food: '#4a1d4f', toppings: ['#d4a373'] })],
  'directory/images/acai-do-leme/cupuacu-500.jpg': [PEACH, m.bowl({ bowl: '#ffffff', food: '#f3e1b6', toppings: ['#c89b5b'] })],
  'directory/images/acai-do-leme/suco-maracuja.jpg': [CREAM, m.glass({ drink: '#f6c23e', straw: '#16a34a', garnish: '#7a4f9a' })],
  'directory/images/acai-do-leme/tapioca-queijo-coco.jpg': [MINT, m.tapioca({ filling: '#fff3c4' })],

  'directory/images/petals-and-stems/seasonal-small.jpg': [MINT, m.bouquet({ flowers: ['#f4a261', '#e76f51', '#f6bd60'], wrap: '#e9dcc9' })],
  'directory/images/petals-and-stems/british-grown.jpg': [SKY, m.bouquet({ flowers: ['#9d4edd', '#ffd6e0', '#f4f1de', '#5a189a'], wrap: '#d8c3a5' })],
  'directory/images/petals-and-stems/peony-bunch.jpg': [ROSE, m.bouquet({ flowers: ['#f497b6', '#e05780'], wrap: '#fff0f3' })],
  'directory/images/petals-and-stems/white-lilies.jpg': [LILAC, m.bouquet({ flowers: ['#ffffff', '#fdfcf7'], wrap: '#cdb4db' })],
  'directory/images/petals-and-stems/dried-posy.jpg': [SAND, m.bouquet({ flowers: ['#c9a66b', '#b56576', '#e5d4b3'], wrap: '#8d6e63', dried: true })],
  'directory/images/petals-and-stems/monstera.jpg': [CREAM, m.plant()],
  'directory/images/petals-and-stems/glass-vase.jpg': [STONE, m.vase()],

  'directory/images/hackney-bread-co/sourdough-white.jpg': [SAND, m.loaf({ crust: CRUST, shape: 'round', flour: true })],
  'directory/images/hackney-bread-co/rye-loaf.jpg': [STONE, m.loaf({ crust: RYE, shape: 'tin', score: '#8b5e3c', seeds: '#d9c27a' })],
  'directory/images/hackney-bread-co/bloomer.jpg': [CREAM, m.loaf({ crust: GOLDEN, shape: 'long', flour: true })],
  'directory/images/hackney-bread-co/focaccia.jpg': [PEACH, m.focaccia({ color: PALE, topping: '#b91c1c' })],
  'directory/images/hackney-bread-co/croissant.jpg': [CREAM, m.croissant({ color: CRUST })],
  'directory/images/hackney-bread-co/cardamom-bun.jpg': [MINT, m.swirlBun({ dough: GOLDEN, swirl: DARK_CRUST })],
  'directory/images/hackney-bread-co/sausage-roll.jpg': [SKY, m.pastry({ kind: 'roll', crust: PALE, filling: '#b86b5e' })],
  'directory/images/hackney-bread-co/quiche-slice.jpg': [MINT, m.slice({ layers: [PALE, '#f7d774', '#f7d774'], top: '#e0b341', garnish: '#3f7d3a' })],
  'directory/images/hackney-bread-co/chai-latte.jpg': [PEACH, m.cup({ cup: '#2f4858', drink: '#c8a27a', foam: '#f7ecdc' })],
  'directory/images/hackney-bread-co/sourdough-seeded.jpg': [MINT, m.loaf({ crust: CRUST, shape: 'round', seeds: '#e9d8a6' })],
  'directory/images/hackney-bread-co/wholemeal-tin.jpg': [PEACH, m.loaf({ crust: DARK_CRUST, shape: 'tin' })],
  'directory/images/hackney-bread-co/spelt-loaf.jpg': [LILAC, m.loaf({ crust: '#b07a3c', shape: 'long', flour: true })],
  'directory/images/hackney-bread-co/baguette.jpg': [ROSE, m.baguette({ crust: GOLDEN })],
  'directory/images/hackney-bread-co/ciabatta.jpg': [SAND, m.baguette({ crust: PALE, flat: true })],
  'directory/images/hackney-bread-co/brioche-loaf.jpg': [SKY, m.loaf({ crust: '#d98a2b', shape: 'tin', score: '#f7c873' })],
  'directory/images/hackney-bread-co/pain-au-chocolat.jpg': [STONE, m.pastry({ kind: 'roll', crust: GOLDEN, filling: '#4a2a17' })],
  'directory/images/hackney-bread-co/almond-croissant.jpg': [ROSE, m.croissant({ color: PALE })],
  'directory/images/hackney-bread-co/cinnamon-bun.jpg': [LILAC, m.swirlBun({ dough: PALE, swirl: DARK_CRUST, glaze: '#fffaf0' })],
  'directory/images/hackney-bread-co/vegan-sausage-roll.jpg': [MINT, m.pastry({ kind: 'roll', crust: GOLDEN, filling: '#7a9a4a' })],
  'directory/images/hackney-bread-co/cheese-onion-slice.jpg': [CREAM, m.pastry({ kind: 'roll', crust: PALE, filling: '#f3e3a0' })],
  'directory/images/hackney-bread-co/flat-white.jpg': [STONE, m.cup({ cup: CUP_WHITE, drink: MILKY, foam: '#fff7ea' })],
  'directory/images/hackney-bread-co/filter-coffee.jpg': [SAND, m.cup({ cup: '#2f4858', drink: COFFEE })],
  'directory/images/hackney-bread-co/fresh-oj.jpg': [SKY, m.glass({ drink: '#f59e0b', garnish: '#fb923c' })],

  'directory/images/padaria-sao-jorge/pao-frances.jpg': [CREAM, m.smallBreads({ color: GOLDEN, count: 5, long: true })],
  'directory/images/padaria-sao-jorge/pao-italiano.jpg': [SAND, m.loaf({ crust: DARK_CRUST, shape: 'round' })],
  'directory/images/padaria-sao-jorge/bisnaguinha.jpg': [PEACH, m.smallBreads({ color: '#e8a44a', count: 6, long: true })],
  'directory/images/padaria-sao-jorge/baguete.jpg': [SKY, m.baguette({ crust: GOLDEN })],
  'directory/images/padaria-sao-jorge/ciabatta.jpg': [STONE, m.baguette({ crust: PALE, flat: true })],
  'directory/images/padaria-sao-jorge/pao-queijo.jpg': [MINT, m.smallBreads({ color: '#f2c14e', count: 6 })],
  'directory/images/padaria-sao-jorge/esfiha-carne.jpg': [CREAM, m.pastry({ kind: 'triangle', crust: GOLDEN, filling: '#a2412a' })],
  'directory/images/padaria-sao-jorge/sonho.jpg': [ROSE, m.donut({ dough: '#e3a857', filling: '#fff1c1' })],
  'directory/images/padaria-sao-jorge/pudim.jpg': [LILAC, m.flan({ custard: '#f6d776', caramel: '#9c4a1a' })],
  'directory/images/padaria-sao-jorge/pingado.jpg': [SAND, m.cup({ cup: '#f5f0e6', drink: MILKY })],
  'directory/images/padaria-sao-jorge/pao-de-forma.jpg': [SKY, m.loaf({ crust: GOLDEN, shape: 'tin' })],
  'directory/images/padaria-sao-jorge/pao-integral.jpg': [STONE, m.loaf({ crust: DARK_CRUST, shape: 'tin', seeds: '#e9d8a6' })],
  'directory/images/padaria-sao-jorge/pao-de-milho.jpg': [MINT, m.loaf({ crust: '#e8b43a', shape: 'round' })],
  'directory/images/padaria-sao-jorge/pao-australiano.jpg': [PEACH, m.loaf({ crust: '#4a2a17', shape: 'long', score: '#7a4a2a' })],
  'directory/images/padaria-sao-jorge/pao-sirio.jpg': [LILAC, m.baguette({ crust: '#f0d9a0', flat: true })],
  'directory/images/padaria-sao-jorge/coxinha.jpg': [CREAM, m.coxinhas({ crust: '#d9822b' })],
  'directory/images/padaria-sao-jorge/empada-palmito.jpg': [ROSE, m.slice({ layers: [GOLDEN, '#f1e7b0'], top: GOLDEN, garnish: '#6aa84f' })],
  'directory/images/padaria-sao-jorge/misto-quente.jpg': [SAND, m.sandwich({ bread: '#e0a84a', filling: ['#f7d774', '#f2a7a0'] })],
  'directory/images/padaria-sao-jorge/bolo-fuba.jpg': [MINT, m.slice({ layers: ['#f2c94c', '#f2c94c', '#e8b43a'], top: '#d99a2b' })],
  'directory/images/padaria-sao-jorge/brigadeiro.jpg': [PEACH, m.smallBreads({ color: '#3b2416', count: 6 })],
  'directory/images/padaria-sao-jorge/cafe-coado.jpg': [STONE, m.cup({ cup: '#f5f0e6', drink: COFFEE })],
  'directory/images/padaria-sao-jorge/cappuccino.jpg': [SKY, m.cup({ cup: '#7c2d12', drink: MILKY, foam: '#fff7ea' })],
  'directory/images/padaria-sao-jorge/suco-laranja.jpg': [CREAM, m.glass({ drink: '#f59e0b', straw: '#16a34a', garnish: '#fb923c' })],

  'directory/images/warung-bu-sri/nasi-goreng.jpg': [PEACH, m.plate({ rice: '#c9762c', sides: [{ color: '#fff7e0', r: 34, x: 270, y: 175 }, { color: '#f4b400', r: 14, x: 270, y: 175 }, { color: '#6aa84f', r: 22, x: 250, y: 270 }, { color: '#d9482b', r: 12, x: 120, y: 280 }] })],
  'directory/images/warung-bu-sri/nasi-uduk.jpg': [MINT, m.plate({ rice: '#fbf6ea', sides: [{ color: '#c0782c', r: 32, x: 275, y: 200 }, { color: '#b5391c', r: 20, x: 240, y: 280 }, { color: '#e9c46a', r: 18, x: 140, y: 290 }] })],
  'directory/images/warung-bu-sri/nasi-campur.jpg': [SAND, m.plate({ rice: '#fbf6ea', sides: [{ color: '#8c4a1e', r: 30, x: 280, y: 190 }, { color: '#4f8a3c', r: 24, x: 260, y: 275 }, { color: '#e76f51', r: 20, x: 160, y: 295 }, { color: '#f4e3b2', r: 16, x: 300, y: 250 }] })],
  'directory/images/warung-bu-sri/gado-gado.jpg': [MINT, m.bowl({ bowl: '#ffffff', food: '#b07030', toppings: ['#6aa84f', '#f6e7b4', '#e9c46a'] })],
  'directory/images/warung-bu-sri/ayam-penyet.jpg': [ROSE, m.plate({ rice: '#fbf6ea', sides: [{ color: '#b8702a', r: 44, x: 270, y: 220 }, { color: '#d62828', r: 18, x: 150, y: 295 }, { color: '#6aa84f', r: 16, x: 210, y: 300 }] })],
  'directory/images/warung-bu-sri/telur-balado.jpg': [PEACH, m.plate({ rice: '#fbf6ea', sides: [{ color: '#d62828', r: 36, x: 270, y: 190 }, { color: '#fff7e0', r: 18, x: 270, y: 190 }, { color: '#d62828', r: 30, x: 255, y: 275 }, { color: '#fff7e0', r: 14, x: 255, y: 275 }] })],
  'directory/images/warung-bu-sri/es-teh-manis.jpg': [SKY, m.glass({ drink: '#b5651d', ice: true, straw: '#ef4444' })],
  'directory/images/warung-bu-sri/es-cendol.jpg': [MINT, m.glass({ drink: '#f1e4c8', layers: ['#4caf50', '#6b3e1d'], ice: true })],

  'directory/images/batik-sekar-arum/kemeja-parang.jpg': [SAND, m.batik({ item: 'shirt', pattern: 'parang', base: '#e8d5b0', ink: '#5b3a1e' })],
  'directory/images/batik-sekar-arum/kemeja-mega-mendung.jpg': [SKY, m.batik({ item: 'shirt', pattern: 'mendung', base: '#1e3a5f', ink: '#7fb3d5' })],
  'directory/images/batik-sekar-arum/kemeja-tulis-sogan.jpg': [CREAM, m.batik({ item: 'shirt', pattern: 'sogan', base: '#7a4a24', ink: '#f0d9a8' })],
  'directory/images/batik-sekar-arum/dress-batik-cap.jpg': [ROSE, m.batik({ item: 'dress', pattern: 'cap', base: '#8e2c3f', ink: '#f6d6dc' })],
  'directory/images/batik-sekar-arum/kain-tulis-parang.jpg': [STONE, m.batik({ item: 'cloth', pattern: 'parang', base: '#6b4a2b', ink: '#f3e3c3' })],
  'directory/images/batik-sekar-arum/selendang-sutra.jpg': [LILAC, m.batik({ item: 'scarf', pattern: 'mendung', base: '#5b3f8c', ink: '#e6dcf2' })],
  'directory/images/batik-sekar-arum/tas-batik.jpg': [PEACH, m.batik({ item: 'bag', pattern: 'cap', base: '#234e52', ink: '#f6ad55' })],

  'directory/images/cafe-la-candelaria/tinto.jpg': [SAND, m.cup({ cup: '#f5f0e6', drink: COFFEE })],
  'directory/images/cafe-la-candelaria/americano.jpg': [STONE, m.cup({ cup: '#1f2937', drink: COFFEE })],
  'directory/images/cafe-la-candelaria/mocaccino.jpg': [PEACH, m.cup({ cup: '#b45309', drink: '#7b4a2a', foam: '#f3e1c7' })],
  'directory/images/cafe-la-candelaria/cold-brew.jpg': [SKY, m.glass({ drink: '#3b2416', ice: true, straw: '#111827' })],
  'directory/images/cafe-la-candelaria/cafe-huila-250.jpg': [CREAM, m.coffeeBag({ bag: '#7a4a24', label: '#f6ead7', text: ['Huila', '250 g'] })],
  'directory/images/cafe-la-candelaria/cafe-sierra-nevada-500.jpg': [MINT, m.coffeeBag({ bag: '#1f3b2d', label: '#f6ead7', text: ['Sierra', 'Nevada', '500 g'] })],
  'directory/images/cafe-la-candelaria/almojabana.jpg': [SAND, m.smallBreads({ color: '#f0c36d', count: 4 })],

  'directory/images/taqueria-el-guero/tacos-pastor.jpg': [PEACH, m.tacos({ shell: '#f1d88c', filling: '#c2410c', garnish: ['#f7d774', '#6aa84f'], count: 3 })],
  'directory/images/taqueria-el-guero/tacos-bistec.jpg': [SAND, m.tacos({ shell: '#f1d88c', filling: '#6b3e1d', garnish: ['#ffffff', '#6aa84f'], count: 3 })],
  'directory/images/taqueria-el-guero/tacos-tripa.jpg': [STONE, m.tacos({ shell: '#f1d88c', filling: '#c78a3c', garnish: ['#ffffff', '#6aa84f'], count: 3 })],
  'directory/images/taqueria-el-guero/tacos-carnitas.jpg': [CREAM, m.tacos({ shell: '#f1d88c', filling: '#a86432', garnish: ['#ffffff', '#6aa84f'], count: 3 })],
  'directory/images/taqueria-el-guero/gringa-pastor.jpg': [MINT, m.tacos({ shell: '#f5ecd7', filling: '#c2410c', garnish: ['#fff3c4'], count: 1 })],
  'directory/images/taqueria-el-guero/alambre-bistec.jpg': [SKY, m.plate({ rice: '#6b3e1d', sides: [{ color: '#16a34a', r: 26, x: 270, y: 190 }, { color: '#dc2626', r: 22, x: 255, y: 270 }, { color: '#fde68a', r: 22, x: 160, y: 295 }] })],
  'directory/images/taqueria-el-guero/agua-jamaica.jpg': [ROSE, m.glass({ drink: '#9d174d', ice: true, garnish: '#84cc16' })],
  'directory/images/taqueria-el-guero/flan.jpg': [CREAM, m.flan({ custard: '#f7e08a', caramel: '#8a3b12' })],

  'directory/images/panaderia-la-espiga/pan-campesino.jpg': [SAND, m.loaf({ crust: DARK_CRUST, shape: 'round', flour: true })],
  'directory/images/panaderia-la-espiga/pandebono.jpg': [CREAM, m.smallBreads({ color: '#f0c36d', count: 4 })],
  'directory/images/panaderia-la-espiga/bunuelo.jpg': [PEACH, m.smallBreads({ color: GOLDEN, count: 3 })],
  'directory/images/panaderia-la-espiga/chocolate-caliente.jpg': [ROSE, m.cup({ cup: '#f5f0e6', drink: '#4a2a17', foam: '#fde7cf' })],

  'directory/images/tacos-don-chuy/tacos-birria.jpg': [ROSE, m.tacos({ shell: '#d9622b', filling: '#7f1d1d', garnish: ['#ffffff', '#6aa84f'], count: 4 })],
  'directory/images/tacos-don-chuy/tacos-barbacoa.jpg': [SAND, m.tacos({ shell: '#f1d88c', filling: '#7c4a2d', garnish: ['#ffffff', '#6aa84f'], count: 4 })],
  'directory/images/tacos-don-chuy/torta-ahogada.jpg': [PEACH, m.sandwich({ bread: '#c2410c', filling: ['#a86432', '#dc2626'] })],
  'directory/images/tacos-don-chuy/agua-jamaica.jpg': [LILAC, m.glass({ drink: '#9d174d', ice: true, garnish: '#84cc16' })],

  'directory/images/toko-roti-melati/roti-tawar.jpg': [CREAM, m.loaf({ crust: PALE, shape: 'tin' })],
  'directory/images/toko-roti-melati/roti-cokelat-keju.jpg': [SKY, m.swirlBun({ dough: PALE, swirl: '#4a2a17', glaze: '#fde68a' })],
  'directory/images/toko-roti-melati/kue-lapis-legit.jpg': [SAND, m.slice({ layers: ['#f3c969', '#8a5a2b', '#f3c969', '#8a5a2b', '#f3c969', '#8a5a2b'], top: '#8a5a2b' })],
  'directory/images/toko-roti-melati/klepon.jpg': [MINT, m.smallBreads({ color: '#4ade80', count: 5 })],
};

/**
 * Renders the pictures with one Chromium and writes each where its catalog
 * expects it: those not drawn yet, or all of them with `--all`.
 */
async function main(): Promise<void> {
  const browser = await chromium.launch({ executablePath: process.env['CHROMIUM'] ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 400, height: 400 } });
    let total = 0;
    let drawn = 0;
    for (const [file, [color, motif]] of Object.entries(PICTURES)) {
      const target = path.join(BOTS, file);
      if (!process.argv.includes('--all') && existsSync(target)) continue;
      drawn += 1;
      await page.setContent(`<!doctype html><style>html,body{margin:0}</style>${m.background(color, motif)}`);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, await page.screenshot({ type: 'jpeg', quality: 82 }));
      total += statSync(target).size;
    }
    console.log(`wrote ${drawn} of ${Object.keys(PICTURES).length} pictures, ${Math.round(total / 1024)} KB in all`);
  } finally {
    await browser.close();
  }
}

await main();
