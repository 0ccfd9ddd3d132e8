/** Reads a raw MIME message from the SMTP sink: headers, and the decoded text and HTML parts. */

export interface MailParts {
  header(name: string): string | null;
  text: string | null;
  html: string | null;
}

function splitHead(raw: string): { head: string; body: string } {
  const at = raw.search(/\r?\n\r?\n/);
  if (at < 0) return { head: raw, body: '' };
  const sep = /\r?\n\r?\n/.exec(raw.slice(at))![0];
  return { head: raw.slice(0, at), body: raw.slice(at + sep.length) };
}

function headerOf(head: string, name: string): string | null {
  const match = new RegExp(`^${name}:\\s*((?:.*)(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head);
  return match?.[1]?.replace(/\r?\n[ \t]+/g, ' ').trim() ?? null;
}

function decode(body: string, encoding: string | null): string {
  const enc = (encoding ?? '').toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

export function mailParts(raw: string): MailParts {
  const { head, body } = splitHead(raw);
  const out: MailParts = { header: (name) => headerOf(head, name), text: null, html: null };
  const visit = (partHead: string, partBody: string) => {
    const type = headerOf(partHead, 'Content-Type') ?? 'text/plain';
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (/^multipart\//i.test(type) && boundary) {
      for (const chunk of partBody.split(`--${boundary}`).slice(1)) {
        if (chunk.startsWith('--')) break;
        const inner = splitHead(chunk.replace(/^\r?\n/, ''));
        visit(inner.head, inner.body);
      }
      return;
    }
    const decoded = decode(partBody, headerOf(partHead, 'Content-Transfer-Encoding'));
    if (/^text\/html/i.test(type)) out.html ??= decoded;
    else if (/^text\/plain/i.test(type)) out.text ??= decoded;
  };
  visit(head, body);
  return out;
}
