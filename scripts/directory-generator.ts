/**
 * Writes a large directory bot (thousands of businesses across the seed markets, each with
 * its own products) as ordinary bot files, the way a deployment keeps them in `bots/`. The
 * same seed always writes the same files, so judged queries can name its businesses.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';

interface Market {
  country: string; locale: string; currency: string; cities: string[];
  /** Price range in minor units' major part, and the decimals written. */
  price: [number, number]; decimals: number;
  names: string[];
  kinds: Record<string, { words: string[]; products: string[] }>;
}

const MARKETS: Market[] = [
  {
    country: 'BR', locale: 'pt-BR', currency: 'BRL', price: [3, 90], decimals: 2,
    cities: ['São Paulo', 'Rio de Janeiro', 'Belo Horizonte', 'Curitiba', 'Salvador', 'Recife', 'Porto Alegre', 'Fortaleza', 'Florianópolis', 'Goiânia'],
    names: ['Estrela', 'Aurora', 'Bom Jesus', 'São Pedro', 'Ipê', 'Jabuticaba', 'Nossa Senhora', 'Primavera', 'Girassol', 'Boa Vista', 'Mangueira', 'Sabiá', 'Araucária', 'Pitanga', 'Coração'],
    kinds: {
      bakery: { words: ['Padaria', 'Panificadora', 'Confeitaria'], products: ['Pão francês', 'Pão de queijo', 'Bolo de cenoura', 'Coxinha', 'Sonho de creme', 'Pão de forma', 'Broa de milho', 'Rosca doce', 'Esfiha de carne', 'Quindim'] },
      pharmacy: { words: ['Farmácia', 'Drogaria'], products: ['Dipirona 500 mg', 'Protetor solar FPS 50', 'Vitamina C', 'Curativo adesivo', 'Soro fisiológico', 'Escova de dentes', 'Termômetro digital', 'Álcool em gel'] },
      restaurant: { words: ['Restaurante', 'Lanchonete', 'Churrascaria'], products: ['Feijoada completa', 'Prato feito', 'Moqueca de peixe', 'Pastel de feira', 'Açaí na tigela', 'Picanha na chapa', 'Caldo de cana', 'Acarajé'] },
      books: { words: ['Livraria', 'Sebo'], products: ['Dom Casmurro', 'Grande Sertão: Veredas', 'Caderno universitário', 'Marcador de página', 'Livro de receitas', 'Mapa do Brasil'] },
      flowers: { words: ['Floricultura', 'Flores'], products: ['Buquê de rosas', 'Orquídea branca', 'Vaso de girassóis', 'Arranjo de lírios', 'Cesta de flores do campo'] },
    },
  },
  {
    country: 'MX', locale: 'es-MX', currency: 'MXN', price: [15, 400], decimals: 2,
    cities: ['Ciudad de México', 'Guadalajara', 'Monterrey', 'Puebla', 'Mérida', 'Oaxaca', 'Querétaro', 'Tijuana'],
    names: ['El Güero', 'La Güera', 'Don Pepe', 'La Abuela', 'El Sol', 'La Esperanza', 'Los Arcos', 'El Nopal', 'La Lupita', 'San Juan', 'El Charro', 'La Palma'],
    kinds: {
      restaurant: { words: ['Taquería', 'Tacos', 'Fonda', 'Antojitos'], products: ['Tacos al pastor', 'Tacos de suadero', 'Quesadilla de flor de calabaza', 'Pozole rojo', 'Tamales de rajas', 'Enchiladas verdes', 'Agua de horchata', 'Chilaquiles'] },
      bakery: { words: ['Panadería', 'Pastelería'], products: ['Concha de vainilla', 'Bolillo', 'Pan de muerto', 'Cuernito', 'Oreja de hojaldre', 'Rosca de reyes', 'Polvorón'] },
      pharmacy: { words: ['Farmacia', 'Botica'], products: ['Paracetamol 500 mg', 'Suero oral', 'Vitamina C', 'Bloqueador solar', 'Gel antibacterial', 'Venda elástica'] },
      books: { words: ['Librería'], products: ['Pedro Páramo', 'Cien años de soledad', 'Cuaderno profesional', 'Diccionario escolar', 'Libro de cocina mexicana'] },
      flowers: { words: ['Florería'], products: ['Ramo de rosas rojas', 'Arreglo de cempasúchil', 'Orquídea morada', 'Ramo de girasoles', 'Corona de flores'] },
    },
  },
  {
    country: 'CO', locale: 'es-CO', currency: 'COP', price: [2, 90], decimals: -3,
    cities: ['Bogotá', 'Medellín', 'Cali', 'Barranquilla', 'Cartagena', 'Bucaramanga', 'Pereira', 'Manizales'],
    names: ['La Candelaria', 'El Poblado', 'Doña Rosa', 'La Montaña', 'El Paisa', 'La Ceiba', 'Los Andes', 'El Cafetal', 'La Orquídea', 'San Antonio', 'La Esquina'],
    kinds: {
      restaurant: { words: ['Arepería', 'Restaurante', 'Asadero'], products: ['Arepa de choclo', 'Bandeja paisa', 'Ajiaco santafereño', 'Empanada de pipián', 'Sancocho de gallina', 'Patacón con hogao', 'Jugo de lulo'] },
      cafe: { words: ['Café', 'Tienda de café'], products: ['Tinto', 'Café de origen Huila', 'Capuchino', 'Pandebono', 'Almojábana', 'Aromática de frutas'] },
      bakery: { words: ['Panadería', 'Repostería'], products: ['Pan campesino', 'Buñuelo', 'Pan de bono', 'Roscón de arequipe', 'Mantecada', 'Galletas de avena'] },
      pharmacy: { words: ['Droguería', 'Farmacia'], products: ['Acetaminofén 500 mg', 'Suero oral', 'Vitamina C', 'Protector solar', 'Alcohol antiséptico'] },
      flowers: { words: ['Floristería'], products: ['Ramo de rosas', 'Arreglo de girasoles', 'Orquídea cattleya', 'Bouquet de astromelias'] },
    },
  },
  {
    country: 'ID', locale: 'id', currency: 'IDR', price: [5, 250], decimals: -3,
    cities: ['Jakarta', 'Bandung', 'Surabaya', 'Yogyakarta', 'Medan', 'Denpasar', 'Semarang', 'Makassar', 'Malang'],
    names: ['Melati', 'Sederhana', 'Bu Sri', 'Pak Budi', 'Sari Rasa', 'Mawar', 'Cahaya', 'Berkah', 'Sumber Rejeki', 'Kenanga', 'Lestari', 'Bintang'],
    kinds: {
      restaurant: { words: ['Warung', 'Rumah Makan', 'Kedai'], products: ['Nasi goreng kampung', 'Mie ayam bakso', 'Sate ayam', 'Gado-gado', 'Soto betawi', 'Rendang sapi', 'Es teh manis', 'Ayam geprek'] },
      bakery: { words: ['Toko Roti', 'Toko Kue'], products: ['Roti tawar', 'Roti cokelat keju', 'Kue lapis legit', 'Klepon', 'Bolu pandan', 'Onde-onde', 'Martabak manis'] },
      pharmacy: { words: ['Apotek'], products: ['Paracetamol 500 mg', 'Minyak kayu putih', 'Vitamin C', 'Obat batuk', 'Masker medis', 'Plester luka'] },
      fashion: { words: ['Batik', 'Butik'], products: ['Kemeja batik', 'Kain batik tulis', 'Sarung tenun', 'Kebaya modern', 'Selendang sutra'] },
      cafe: { words: ['Kopi', 'Kedai Kopi'], products: ['Kopi susu gula aren', 'Kopi tubruk', 'Es kopi susu', 'Teh tarik', 'Pisang goreng'] },
    },
  },
  {
    country: 'GB', locale: 'en-GB', currency: 'GBP', price: [1, 40], decimals: 2,
    cities: ['London', 'Manchester', 'Birmingham', 'Leeds', 'Bristol', 'Glasgow', 'Liverpool', 'Edinburgh', 'Brighton'],
    names: ['Hackney', 'Northern Quarter', 'Old Town', 'Riverside', 'Kings Cross', 'Greenway', 'Oak & Ivy', 'Harbour', 'Market Street', 'Hillside', 'Canal Side'],
    kinds: {
      bakery: { words: ['Bakery', 'Bread Co.', 'Patisserie'], products: ['Sourdough loaf', 'Sausage roll', 'Croissant', 'Cinnamon bun', 'Cornish pasty', 'Victoria sponge', 'Bagel'] },
      books: { words: ['Bookshop', 'Books'], products: ['Pride and Prejudice', 'Atlas of Britain', 'Notebook A5', 'Crime novel', 'Cookbook', 'Gift card'] },
      flowers: { words: ['Florist', 'Flowers'], products: ['Bouquet of tulips', 'Red roses', 'Peace lily', 'Seasonal posy', 'Sunflower bunch'] },
      pharmacy: { words: ['Pharmacy', 'Chemist'], products: ['Paracetamol 500 mg', 'Sun cream SPF 50', 'Vitamin D', 'Plasters', 'Hand sanitiser', 'Cough syrup'] },
      cafe: { words: ['Coffee', 'Café'], products: ['Flat white', 'Cappuccino', 'English breakfast tea', 'Scone with jam', 'Bacon sandwich', 'Oat latte'] },
    },
  },
];

/** A small, fast, seeded random generator (mulberry32): the same seed, the same directory. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const slugify = (text: string): string => text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** What {@link generateDirectory} wrote. */
export interface GeneratedDirectory {
  dir: string;
  botId: string;
  businesses: number;
  products: number;
}

/** One generated business, as its file says it. */
interface BusinessFile {
  slug: string; name: string; description: string; category: string; tags: string[]; city: string; country: string;
  locale: string; currency: string; categories: { slug: string; name: string }[];
  products: { sku: string; name: string; description: string; category: string; price: string; stock?: number }[];
}

function price(market: Market, pick: () => number): string {
  const major = market.price[0] + Math.floor(pick() * (market.price[1] - market.price[0]));
  return market.decimals < 0 ? String(major * 10 ** -market.decimals) : `${major}.${String(Math.floor(pick() * 100)).padStart(2, '0')}`;
}

function business(index: number, pick: () => number, productsEach: number): BusinessFile {
  const one = <T>(list: readonly T[]): T => list[Math.floor(pick() * list.length)]!;
  const market = one(MARKETS);
  const kind = one(Object.keys(market.kinds));
  const { words, products } = market.kinds[kind]!;
  const word = one(words);
  const name = `${word} ${one(market.names)}`;
  const city = one(market.cities);
  const count = Math.max(1, Math.round(productsEach * (0.5 + pick())));
  const items = Array.from({ length: count }, (_, i) => {
    const product = one(products);
    return { sku: `P${i + 1}`, name: i < products.length ? product : `${product} ${i + 1}`, description: `${product} — ${name}, ${city}.`, category: 'all', price: price(market, pick), ...(pick() < 0.3 ? { stock: Math.floor(pick() * 50) } : {}) };
  });
  return {
    slug: `${slugify(`${name} ${city}`)}-${index}`, name, description: `${word} em ${city}`.replace(' em ', market.locale === 'pt-BR' ? ' em ' : market.locale === 'id' ? ' di ' : market.locale === 'en-GB' ? ' in ' : ' en '),
    category: kind, tags: [word.toLowerCase(), kind, slugify(city).replace(/-/g, ' ')], city, country: market.country, locale: market.locale, currency: market.currency,
    categories: [{ slug: 'all', name: word }], products: items,
  };
}

/**
 * Writes `bot.yaml` and `businesses/<slug>.yaml` for `count` businesses with about
 * `productsEach` products each (between half and one and a half times as many).
 *
 * @example
 * ```ts
 * const { dir } = await generateDirectory('/tmp/national', { count: 10_000, productsEach: 10 });
 * await seedBot(db, await loadBot(dir));
 * ```
 */
export async function generateDirectory(dir: string, options: { count: number; productsEach: number; seed?: number; botId?: string; onProgress?: (done: number) => void }): Promise<GeneratedDirectory> {
  const pick = random(options.seed ?? 20261205);
  const botId = options.botId ?? 'national';
  await mkdir(path.join(dir, 'businesses'), { recursive: true });
  await writeFile(path.join(dir, 'bot.yaml'), stringify({
    id: botId, name: 'National Directory', description: 'A generated directory across Brazil, Mexico, Colombia, Indonesia and the UK.',
    defaultLocale: 'en', locales: ['en', 'pt-BR', 'es-MX', 'es-CO', 'id'], flow: 'shopping', businesses: 'businesses', orderPrefix: 'ND',
    payments: { provider: 'record' }, channels: { console: {} },
  }));
  let products = 0;
  for (let i = 0; i < options.count; i++) {
    const b = business(i, pick, options.productsEach);
    products += b.products.length;
    await writeFile(path.join(dir, 'businesses', `${b.slug}.yaml`), stringify(b));
    if ((i + 1) % 500 === 0) options.onProgress?.(i + 1);
  }
  return { dir, botId, businesses: options.count, products };
}

/**
 * Writes a bot of one shop whose catalog is a CSV of `count` products.
 *
 * @example
 * ```ts
 * await generateBigShop('/tmp/big-shop', { count: 100_000 });
 * ```
 */
export async function generateBigShop(dir: string, options: { count: number; seed?: number }): Promise<GeneratedDirectory> {
  const pick = random(options.seed ?? 20261206);
  const market = MARKETS[0]!;
  const all = Object.values(market.kinds).flatMap((k) => k.products);
  await mkdir(dir, { recursive: true });
  const lines = ['sku,name,description,category,price,stock,image'];
  for (let i = 0; i < options.count; i++) {
    const product = all[Math.floor(pick() * all.length)]!;
    lines.push(`SKU-${i},"${product} ${i}","${product}, item ${i}",all,${price(market, pick)},,`);
  }
  await writeFile(path.join(dir, 'catalog.csv'), `${lines.join('\n')}\n`);
  await writeFile(path.join(dir, 'bot.yaml'), stringify({
    id: 'big-shop', name: 'Big Shop', defaultLocale: 'pt-BR', locales: ['pt-BR'], flow: 'shopping', orderPrefix: 'BS', payments: { provider: 'record' }, channels: { console: {} },
    business: { slug: 'big-shop', name: 'Mercado Grande', category: 'grocery', tags: ['mercado'], city: 'São Paulo', country: 'BR', locale: 'pt-BR', currency: 'BRL',
      categories: [{ slug: 'all', name: 'Tudo' }], catalog: 'catalog.csv' },
  }));
  return { dir, botId: 'big-shop', businesses: 1, products: options.count };
}
