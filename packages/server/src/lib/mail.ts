import { createRequire } from 'node:module';
import type * as Nodemailer from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { Ctx } from './context.ts';
import { seal, unseal } from './sealed.ts';
import { Type, type Static } from '@sinclair/typebox';
import { enqueue, handleJob, jobKind, type JobHandlerDef } from './jobs.ts';

/** One outgoing email: a text part every client renders, optionally an HTML part and headers. */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string | undefined;
  /** Extra headers (e.g. `List-Unsubscribe`, `List-Unsubscribe-Post`). */
  headers?: Record<string, string> | undefined;
  replyTo?: string | undefined;
}

/** Sends email through the configured transport. */
export interface Mailer {
  send(message: EmailMessage): Promise<void>;
}

/**
 * SMTP through nodemailer when `SMTP_URL` is set. Without it, development prints the message
 * (login codes included: `logEmailCodes`) and production drops it with a warning, since retrying
 * cannot help until the server is configured.
 */
export function createMailer(config: Config, log: FastifyBaseLogger): Mailer {
  if (config.smtpUrl) {
    // Loaded only when SMTP is configured: a server without SMTP never pays for it at start.
    const nodemailer = createRequire(import.meta.url)('nodemailer') as typeof Nodemailer;
    const transport = nodemailer.createTransport(
      { url: config.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 },
      { from: config.smtpFrom },
    );
    return {
      async send(message) {
        await transport.sendMail({
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html ? { html: message.html } : {}),
          ...(message.headers ? { headers: message.headers } : {}),
          ...(message.replyTo ? { replyTo: message.replyTo } : {}),
        });
      },
    };
  }
  return {
    async send(message) {
      if (config.logEmailCodes) {
        log.info(
          { to: message.to, subject: message.subject },
          `email (SMTP_URL unset, logged instead):\n${message.text}`,
        );
      } else {
        log.warn({ to: message.to, subject: message.subject }, 'email not sent: SMTP_URL is not set');
      }
    },
  };
}

/**
 * Payload of an `email.send` job. Secrets (login codes) are never stored in clear: they are sealed
 * with the server's encryption key and put into `{{name}}` placeholders of the text only at send
 * time. The sealed value stays in the jobs table until the maintenance cleanup drops finished jobs;
 * by then the code has expired and been used or discarded. `expires_at`: a message not sent by
 * then is dropped (a code past its validity is useless).
 */
export const EMAIL_JOB = jobKind(
  'email.send',
  Type.Object({
    to: Type.String(),
    subject: Type.String(),
    text: Type.String(),
    html: Type.Optional(Type.String()),
    headers: Type.Optional(Type.Record(Type.String(), Type.String())),
    replyTo: Type.Optional(Type.String()),
    sealed: Type.Optional(Type.Record(Type.String(), Type.String())),
    expires_at: Type.Optional(Type.Integer()),
  }),
);
type EmailJob = Static<typeof EMAIL_JOB.payload>;

/** Queues an email in the caller's transaction: it leaves only after commit, with retries. */
export async function enqueueEmail(
  ctx: Ctx,
  message: EmailMessage,
  options: { secrets?: Record<string, string>; expiresAt?: number } = {},
): Promise<void> {
  const sealed = Object.fromEntries(
    Object.entries(options.secrets ?? {}).map(([k, v]) => [k, seal(ctx.config, v)]),
  );
  const payload: EmailJob = {
    to: message.to,
    subject: message.subject,
    text: message.text,
    ...(message.replyTo !== undefined ? { replyTo: message.replyTo } : {}),
    sealed,
    ...(options.expiresAt ? { expires_at: options.expiresAt } : {}),
  };
  await enqueue(ctx.db, ctx.now(), EMAIL_JOB, payload, { maxAttempts: 5 });
}

/** The `email.send` handler (a failure is retried with backoff, never shown to the caller). */
export function mailJob(
  config: Config,
  log: FastifyBaseLogger,
  mailer: Mailer = createMailer(config, log),
): JobHandlerDef {
  return handleJob(EMAIL_JOB, async (payload, job) => {
    if (payload.expires_at !== undefined && payload.expires_at <= job.now()) {
      job.log.info(
        { to: payload.to, subject: payload.subject },
        'email dropped: expired before it could be sent',
      );
      return;
    }
    let text = payload.text;
    for (const [name, sealed] of Object.entries(payload.sealed ?? {})) {
      text = text.split(`{{${name}}}`).join(unseal(config, sealed));
    }
    await mailer.send({
      to: payload.to,
      subject: payload.subject,
      text,
      html: payload.html,
      headers: payload.headers,
      replyTo: payload.replyTo,
    });
  });
}
