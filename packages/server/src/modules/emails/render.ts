import { createRequire } from 'node:module';
import Mustache from 'mustache';
import { sha256 } from '../../lib/crypto.ts';
import type { Db } from '../../lib/context.ts';
import { validationError } from '../../lib/errors.ts';
import { fromJson } from '../../lib/json.ts';
import { BUILT_IN, layout, type TemplateName, type TemplateVariant } from './templates.ts';

/** mjml 5 renders asynchronously (@types/mjml describes the synchronous 4.x API, so it is not used). */
type Mjml2Html = (
  input: string,
  options?: { validationLevel?: 'strict' | 'soft' | 'skip'; fonts?: Record<string, string> },
) => Promise<{ html: string; errors: { message: string }[] }>;
// mjml is loaded at the first render: ≈ 2 s of CPU and 50 MiB that every start would pay otherwise.
let mjml: Mjml2Html | undefined;
const mjml2html: Mjml2Html = (...args) =>
  (mjml ??= createRequire(import.meta.url)('mjml') as Mjml2Html)(...args);

export interface RenderedEmail {
  locale: string;
  subject: string;
  html: string;
  text: string;
}

/**
 * MJML is compiled once per distinct source and the HTML kept: only the Mustache values change per
 * message. Bounded, so store overrides cannot grow it without limit.
 */
const compiled = new Map<string, Promise<string>>();
const MAX_COMPILED = 200;

async function compile(source: string): Promise<string> {
  const key = sha256(source);
  const cached = compiled.get(key);
  if (cached) return cached;
  const html = mjml2html(source, { validationLevel: 'soft', fonts: {} }).then((r) => r.html);
  if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
  compiled.set(key, html);
  html.catch(() => compiled.delete(key));
  return html;
}

const plain = (s: string) => s;
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
/** HTML escaping of values; unlike Mustache's default it leaves `/` and `=` of URLs readable. */
const escapeHtml = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => ENTITIES[c]!);

interface StoreFacts {
  key: string;
  languages: string[];
  overrides: Record<string, Record<string, Partial<TemplateVariant>>>;
  support: string | null;
}

async function storeFacts(db: Db, storeId: string): Promise<StoreFacts> {
  const row = await db
    .selectFrom('stores')
    .select(['key', 'languages', 'settings', 'emails'])
    .where('id', '=', storeId)
    .executeTakeFirstOrThrow();
  const settings = fromJson<Record<string, unknown>>(row.settings, {});
  const overrides = settings.email_templates;
  return {
    key: row.key,
    languages: fromJson<{ id: string }[]>(row.languages, []).map((l) => l.id),
    overrides: overrides && typeof overrides === 'object' ? (overrides as StoreFacts['overrides']) : {},
    support: fromJson<{ support?: string }>(row.emails, {}).support ?? null,
  };
}

/** The requested locale when the store speaks it, else the store's default, else `en`. */
export function chooseLocale(requested: string | undefined, storeLanguages: string[]): string {
  const wanted = requested?.toLowerCase();
  if (wanted && storeLanguages.includes(wanted)) return wanted;
  return storeLanguages[0] ?? 'en';
}

/** Renders `template` for a store in a locale; values are HTML-escaped in the HTML part only. */
export async function renderEmail(
  db: Db,
  storeId: string,
  template: TemplateName,
  data: Record<string, unknown>,
  requestedLocale?: string,
): Promise<RenderedEmail & { replyTo: string | null }> {
  const store = await storeFacts(db, storeId);
  const locale = chooseLocale(requestedLocale, store.languages);
  const builtIn = BUILT_IN[template][locale] ?? BUILT_IN[template].en!;
  const override = store.overrides[template]?.[locale] ?? {};
  const variant = { ...builtIn, ...pickStrings(override) };
  const view = { ...data, store: { name: store.key, key: store.key }, preview: '' };
  const subject = Mustache.render(variant.subject, view, {}, { escape: plain })
    .replace(/[\r\n]+/g, ' ')
    .trim();
  view.preview = subject;
  let html: string;
  try {
    html = Mustache.render(
      await compile(layout(variant.mjml, variant.footer)),
      view,
      {},
      { escape: escapeHtml },
    );
  } catch (error) {
    throw validationError({
      field: `settings.email_templates.${template}.${locale}.mjml`,
      reason: 'invalid_template',
      message: `The ${template} template of this store does not render: ${(error as Error).message}`,
    });
  }
  const text = Mustache.render(variant.text, view, {}, { escape: plain });
  return { locale, subject, html, text, replyTo: store.support };
}

function pickStrings(o: Partial<TemplateVariant>): Partial<TemplateVariant> {
  const out: Partial<TemplateVariant> = {};
  for (const k of ['subject', 'mjml', 'text'] as const) if (typeof o[k] === 'string') out[k] = o[k];
  return out;
}
