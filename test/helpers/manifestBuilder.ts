import type { Action, Manifest, Trigger } from '../../src/manifest/types.js';

/**
 * A valid manifest (the Gmail example of the format), with top-level keys replaced by `overrides`;
 * an override of `undefined` removes the key.
 */
export function buildManifest(
  overrides: Partial<Manifest> & Record<string, unknown> = {},
): Manifest {
  const manifest: Manifest = {
    name: 'Gmail',
    slug: 'gmail',
    version: '1.0.0',
    description: 'Send, search and label email in Gmail through the Gmail API.',
    category: 'Communication & Collaboration',
    status: 'beta',
    nango: { provider: 'google-mail', provider_config_key: 'gmail' },
    oauth: {
      authorization_url: 'https://accounts.google.com/o/oauth2/v2/auth',
      token_url: 'https://oauth2.googleapis.com/token',
      scopes: [
        'https://www.googleapis.com/auth/gmail.send',
        'https://www.googleapis.com/auth/gmail.readonly',
      ],
      scope_separator: ' ',
      authorization_params: { access_type: 'offline', prompt: 'consent' },
    },
    actions: {
      send_email: {
        name: 'Send email',
        description: 'Send an email from the connected mailbox.',
        input: {
          type: 'object',
          properties: {
            to: {
              type: 'array',
              items: { type: 'string', format: 'email' },
              description: 'Recipients.',
            },
            subject: { type: 'string' },
            body: { type: 'string', description: 'Plain-text body.' },
          },
          required: ['to', 'subject', 'body'],
        },
        output: {
          type: 'object',
          properties: { id: { type: 'string' }, threadId: { type: 'string' } },
          required: ['id'],
        },
        'x-http': { method: 'POST', path: '/gmail/v1/users/me/messages/send' },
      },
    },
    triggers: {
      new_email: {
        name: 'New email',
        description:
          'Fires when a new message arrives in the inbox (Gmail push notifications via Pub/Sub).',
        type: 'webhook',
        output: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            from: { type: 'string' },
            subject: { type: 'string' },
          },
          required: ['id'],
        },
      },
    },
  };
  const built: Record<string, unknown> = { ...manifest, ...overrides };
  for (const [key, value] of Object.entries(overrides)) if (value === undefined) delete built[key];
  return built as unknown as Manifest;
}

/** The manifest as a file holds it: two-space JSON with a trailing newline. */
export function manifestText(manifest: unknown): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * A valid manifest's text of at most `bytes` and near it: the default one, named `slug`, with as
 * many copies of its action as fit (manifests near the 1 MiB limit, for memory's worst cases).
 * Indented as `manifestText` writes it, or `compact` (no whitespace: stored, it is as long).
 */
export function largeManifestText(
  slug: string,
  bytes: number,
  options: { compact?: boolean } = {},
): string {
  const base = buildManifest({ slug, name: slug });
  const action = (base.actions as Record<string, unknown>).send_email;
  const text = options.compact ? (value: unknown) => JSON.stringify(value) : manifestText;
  const withActions = (count: number) =>
    text({
      ...base,
      actions: Object.fromEntries(Array.from({ length: count }, (_, i) => [`send_${i}`, action])),
    });
  const one = withActions(2).length - withActions(1).length + 8;
  return withActions(Math.floor((bytes - withActions(0).length) / one));
}

/** A valid action (the example's `send_email`), with keys replaced by `overrides`. */
export function buildAction(overrides: Record<string, unknown> = {}): Action {
  const action = buildManifest().actions.send_email as Action;
  return { ...action, ...overrides } as Action;
}

/** A valid trigger (the example's `new_email`), with keys replaced by `overrides`. */
export function buildTrigger(overrides: Record<string, unknown> = {}): Trigger {
  const trigger = buildManifest().triggers.new_email as Trigger;
  return { ...trigger, ...overrides } as Trigger;
}
