import type { DemoStep } from './demo.ts';
import { createProduct } from '../modules/catalog/index.ts';
import { createNode } from '../modules/cms/index.ts';
import { createProvider, createService, createServiceProvider } from '../modules/booking/index.ts';

const text = (key: string, en: string, fr: string) => ({ key, type: 'text', value: [{ en, fr }] });

/** A small catalogue: three products priced in both default markets, one with two variants. */
export const catalogueStep: DemoStep = {
  name: 'catalogue',
  async run({ store }) {
    const products = [
      {
        key: 'classic-tee',
        name: ['Classic tee', 'T-shirt classique'],
        variants: [
          ['tee-s', 'S', 2500, 2300, 25],
          ['tee-m', 'M', 2500, 2300, 40],
        ],
      },
      {
        key: 'canvas-tote',
        name: ['Canvas tote', 'Sac en toile'],
        variants: [['tote', 'One size', 1800, 1700, 100]],
      },
      {
        key: 'gift-card',
        name: ['Gift card', 'Carte cadeau'],
        variants: [['gift', 'Digital', 5000, 5000, -1]],
      },
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
        blocks: [
          text('title', en, fr),
          { key: 'body', type: 'markdown', value: [{ en: `# ${en}`, fr: `# ${fr}` }] },
        ],
      });
    }
  },
};

/** A bookable service with two providers, so the storefront shows availability at once. */
export const bookingStep: DemoStep = {
  name: 'booking',
  async run({ store }) {
    const service = await createService(store, {
      key: 'haircut',
      slug: { en: 'haircut', fr: 'coupe' },
      blocks: [text('name', 'Haircut', 'Coupe de cheveux')],
    });
    const days = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
    for (const [key, en] of [
      ['alex', 'Alex'],
      ['sam', 'Sam'],
    ] as const) {
      const provider = await createProvider(store, { key, blocks: [text('name', en, en)] });
      await createServiceProvider(store, {
        service_id: service.id,
        provider_id: provider.id,
        working_days: days.map((day) => ({
          day,
          working_hours: [
            { from: 540, to: 720 },
            { from: 780, to: 1020 },
          ],
        })),
        outcast_dates: [{ month: 12, day: 25, working_hours: [] }],
        specific_dates: [],
        prices: [
          { market: 'us', amount: 3500 },
          { market: 'eu', amount: 3200 },
        ],
        durations: [{ duration: 30, is_pause: false }],
        slot_interval: 30,
        reminders: [1440, 60],
      });
    }
  },
};
