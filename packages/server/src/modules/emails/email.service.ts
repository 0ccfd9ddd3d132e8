import type { Db, StoreCtx } from '../../lib/context.ts';
import { notFound } from '../../lib/errors.ts';
import { enqueue } from '../../lib/jobs.ts';
import { EMAIL_JOB } from '../../lib/mail.ts';
import { renderEmail } from './render.ts';
import { SAMPLES, TEMPLATE_NAMES, type TemplateName } from './templates.ts';

export function isTemplateName(name: string): name is TemplateName {
  return (TEMPLATE_NAMES as readonly string[]).includes(name);
}

/** `GET /v1/stores/{storeId}/emails/{template}/preview`: the template rendered with sample data. */
export async function previewEmail(ctx: StoreCtx, template: string, locale?: string) {
  if (!isTemplateName(template))
    throw notFound('email_template', `No email template ${template} (${TEMPLATE_NAMES.join(', ')})`);
  const rendered = await renderEmail(ctx.db, ctx.store.id, template, SAMPLES[template], locale);
  return {
    template,
    locale: rendered.locale,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
  };
}

export interface TemplatedEmail {
  storeId: string;
  to: string;
  template: TemplateName;
  data: Record<string, unknown>;
  locale?: string | undefined;
  headers?: Record<string, string> | undefined;
}

/**
 * Renders and queues an email in the caller's transaction (the `email.send` job sends it after
 * commit, with retries). Usable from event subscribers, which only hold a database handle.
 */
export async function enqueueTemplatedEmail(db: Db, now: number, email: TemplatedEmail): Promise<void> {
  const rendered = await renderEmail(db, email.storeId, email.template, email.data, email.locale);
  await enqueue(
    db,
    now,
    EMAIL_JOB,
    {
      to: email.to,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      ...(email.headers ? { headers: email.headers } : {}),
      ...(rendered.replyTo ? { replyTo: rendered.replyTo } : {}),
    },
    { maxAttempts: 5 },
  );
}
