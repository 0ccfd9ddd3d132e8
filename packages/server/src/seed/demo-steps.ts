import type { DemoStep } from './demo.ts';
import { createProduct } from '../modules/catalog/index.ts';
import { createNode } from '../modules/cms/index.ts';

const text = (key: string, en: string, fr: string) => ({ key, type: 'text', value: [{ en, fr }] });

/** A small catalogue: three products priced in both default markets, one with two variants. */
export const catalogueStep: DemoStep = {
  name: 'catalogue',
  async run({ store }) {
    const products = [
      { key: 'classic-tee', name: ['Classic tee', 'T-shirt classique'], variants: [['tee-s', 'S', 2500, 2300, 25], ['tee-m', 'M', 2500, 2300, 40]] },
      { key: 'canvas-tote', name: ['Canvas tote', 'Sac en toile'], variants: [['tote', 'One size', 1800, 1700, 100]] },
      { key: 'gift-card', name: ['Gift card', 'Carte cadeau'], variants: [['gift', 'Digital', 5000, 5000, -1]] },
    ] as const;
    for (const p of products) {
      await createProduct(store, {
        key: p.key,
        blocks: [text('name', p.name[0], p.name[1])],
        variants: p.variants.map(([sku, size, usd, eur, stock]) => ({
          sku,
          attributes: { size },
          prices: [
            { market: 'us', amount: usd },
            { market: 'eu', amount: eur },
          ],
          inventory: stock,
        })),
      });
    }
  },
};

/** A blog collection with a schema and two localized entries. */
export const contentStep: DemoStep = {
  name: 'content',
  async run({ store }) {
    const blog = await createNode(store, {
      key: 'blog',
      schema: [
        { key: 'title', type: 'text', properties: { required: true, max_length: 120 }, value: [] },
        { key: 'body', type: 'markdown', properties: {}, value: [] },
      ],
    });
    const entries = [
      ['hello-world', 'Hello, world', 'Bonjour le monde', 'bonjour-le-monde'],
      ['opening-hours', 'Opening hours', "Heures d'ouverture", 'heures-ouverture'],
    ] as const;
    for (const [key, en, fr, frSlug] of entries) {
      await createNode(store, {
        key,
        parent_id: blog.id,
        slug: { en: key, fr: frSlug },
        blocks: [text('title', en, fr), { key: 'body', type: 'markdown', value: [{ en: `# ${en}`, fr: `# ${fr}` }] }],
      });
    }
  },
};
