import { describe, expect, it } from 'vitest';
import { diffManifests, overallBump } from '../../../src/versioning/index.js';
import type { Bump, Change } from '../../../src/versioning/types.js';
import { buildManifest, manifestText } from '../../helpers/manifestBuilder.js';
import { type Edit, edited, push, remove, set } from './edits.js';

const SEND = '/actions/send_email';
const IN = `${SEND}/input/properties`;
const OUT = `${SEND}/output/properties`;
const TRIGGER = '/triggers/new_email';
const DEAL = '/actions/create_deal/input/properties/deal/properties';

/** An action with a nested input schema, for the recursive rules. */
const createDeal = {
  name: 'Create deal',
  description: 'Create a deal.',
  input: {
    type: 'object',
    properties: {
      deal: {
        type: 'object',
        properties: { value: { type: 'number' }, title: { type: 'string' } },
        required: ['title'],
      },
    },
    required: ['deal'],
  },
  output: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
};
const withDeal = set('/actions/create_deal', createDeal);
const withPriority = set(`${IN}/priority`, { type: 'string', enum: ['low', 'high'] });
const withStatus = set(`${OUT}/status`, { type: 'string', enum: ['sent', 'queued'] });
const withRecipientObjects = set(`${IN}/to/items`, {
  type: 'object',
  properties: { address: { type: 'string' }, name: { type: 'string' } },
  required: ['address'],
});

interface Row {
  rule: string;
  /** Edits of the builder's manifest that make the old manifest. */
  before?: Edit[];
  /** Edits of the old manifest that make the new one. */
  after: Edit[];
  path: string;
  kind: Change['kind'];
  bump: Bump;
  /** Words the reason must contain (the id, at least). */
  mentions: string[];
}

// biome-ignore format: one row per rule reads as a table
const rows: Row[] = [
  // major
  { rule: 'action removed', after: [remove(SEND)], path: SEND, kind: 'removed', bump: 'major', mentions: ['action `send_email`', 'removed'] },
  { rule: 'trigger removed', after: [remove(TRIGGER)], path: TRIGGER, kind: 'removed', bump: 'major', mentions: ['trigger `new_email`', 'stop receiving events'] },
  { rule: 'input property removed', after: [remove(`${IN}/body`), set(`${SEND}/input/required`, ['to', 'subject'])], path: `${IN}/body`, kind: 'removed', bump: 'major', mentions: ['input property `body`', '`send_email`'] },
  { rule: 'input property added as required', after: [set(`${IN}/cc`, { type: 'string' }), push(`${SEND}/input/required`, 'cc')], path: `${IN}/cc`, kind: 'added', bump: 'major', mentions: ['`cc`', '`send_email`', 'required'] },
  { rule: 'input property made required', before: [set(`${SEND}/input/required`, ['to', 'subject'])], after: [push(`${SEND}/input/required`, 'body')], path: `${IN}/body`, kind: 'changed', bump: 'major', mentions: ['`body`', '`send_email`', 'now required'] },
  { rule: 'input property type changed', after: [set(`${IN}/subject/type`, 'number')], path: `${IN}/subject/type`, kind: 'changed', bump: 'major', mentions: ['`subject`', '`send_email`', '`string`', '`number`'] },
  { rule: 'input property type narrowed', before: [set(`${IN}/subject/type`, ['string', 'null'])], after: [set(`${IN}/subject/type`, 'string')], path: `${IN}/subject/type`, kind: 'changed', bump: 'major', mentions: ['`subject`', 'narrowed'] },
  { rule: 'input property type added (was any)', before: [remove(`${IN}/subject/type`)], after: [set(`${IN}/subject/type`, 'string')], path: `${IN}/subject/type`, kind: 'added', bump: 'major', mentions: ['`subject`', 'any type'] },
  { rule: 'input enum value removed', before: [withPriority], after: [set(`${IN}/priority/enum`, ['low'])], path: `${IN}/priority/enum`, kind: 'removed', bump: 'major', mentions: ['`priority`', '`high`', '`send_email`'] },
  { rule: 'input enum introduced', after: [set(`${IN}/subject/enum`, ['hi'])], path: `${IN}/subject/enum`, kind: 'added', bump: 'major', mentions: ['`subject`', 'restricted', '`hi`'] },
  { rule: 'output property removed', after: [remove(`${OUT}/threadId`)], path: `${OUT}/threadId`, kind: 'removed', bump: 'major', mentions: ['output property `threadId`', '`send_email`'] },
  { rule: 'output property type changed', after: [set(`${OUT}/id/type`, 'integer')], path: `${OUT}/id/type`, kind: 'changed', bump: 'major', mentions: ['`id`', '`send_email`'] },
  { rule: 'output property type widened', after: [set(`${OUT}/id/type`, ['string', 'null'])], path: `${OUT}/id/type`, kind: 'changed', bump: 'major', mentions: ['`id`', 'widened'] },
  { rule: 'output property no longer always present', after: [set(`${SEND}/output/required`, [])], path: `${OUT}/id`, kind: 'changed', bump: 'major', mentions: ['`id`', 'no longer always present'] },
  { rule: 'trigger output property removed', after: [remove(`${TRIGGER}/output/properties/from`)], path: `${TRIGGER}/output/properties/from`, kind: 'removed', bump: 'major', mentions: ['`from`', 'trigger `new_email`', 'subscribers'] },
  { rule: 'trigger output property type changed', after: [set(`${TRIGGER}/output/properties/id/type`, 'number')], path: `${TRIGGER}/output/properties/id/type`, kind: 'changed', bump: 'major', mentions: ['`id`', 'trigger `new_email`'] },
  { rule: 'OAuth scope added', after: [push('/oauth/scopes', 'https://mail.google.com/')], path: '/oauth/scopes', kind: 'added', bump: 'major', mentions: ['`https://mail.google.com/`', 're-authorize'] },
  { rule: 'nango provider changed', after: [set('/nango/provider', 'gmail')], path: '/nango/provider', kind: 'changed', bump: 'major', mentions: ['`google-mail`', '`gmail`'] },
  { rule: 'nango provider removed', after: [remove('/nango/provider')], path: '/nango/provider', kind: 'removed', bump: 'major', mentions: ['`google-mail`'] },
  { rule: 'nango provider_config_key changed', after: [set('/nango/provider_config_key', 'gmail-2')], path: '/nango/provider_config_key', kind: 'changed', bump: 'major', mentions: ['`gmail`', '`gmail-2`', 'old key'] },
  { rule: 'nested input property removed', before: [withDeal], after: [remove(`${DEAL}/value`)], path: `${DEAL}/value`, kind: 'removed', bump: 'major', mentions: ['`deal.value`', '`create_deal`'] },
  { rule: 'nested input property made required', before: [withDeal], after: [push('/actions/create_deal/input/properties/deal/required', 'value')], path: `${DEAL}/value`, kind: 'changed', bump: 'major', mentions: ['`deal.value`', 'now required'] },
  { rule: 'input items property removed', before: [withRecipientObjects], after: [remove(`${IN}/to/items/properties/name`)], path: `${IN}/to/items/properties/name`, kind: 'removed', bump: 'major', mentions: ['`to[].name`', '`send_email`'] },
  { rule: 'input items type changed', after: [set(`${IN}/to/items/type`, 'number')], path: `${IN}/to/items/type`, kind: 'changed', bump: 'major', mentions: ['`to[]`', '`send_email`'] },
  { rule: 'schema replaced by one the rules cannot compare', after: [set(`${IN}/body`, true)], path: `${IN}/body`, kind: 'changed', bump: 'major', mentions: ['`body`', 'cannot compare'] },
  // minor
  { rule: 'action added', before: [], after: [withDeal], path: '/actions/create_deal', kind: 'added', bump: 'minor', mentions: ['action `create_deal`'] },
  { rule: 'trigger added', after: [set('/triggers/label_added', { name: 'Label added', description: 'x', type: 'polling', output: { type: 'object' } })], path: '/triggers/label_added', kind: 'added', bump: 'minor', mentions: ['trigger `label_added`'] },
  { rule: 'optional input property added', after: [set(`${IN}/cc`, { type: 'string' })], path: `${IN}/cc`, kind: 'added', bump: 'minor', mentions: ['`cc`', '`send_email`', 'optional'] },
  { rule: 'input property made optional', after: [set(`${SEND}/input/required`, ['to', 'subject'])], path: `${IN}/body`, kind: 'changed', bump: 'minor', mentions: ['`body`', 'now optional'] },
  { rule: 'output property added', after: [set(`${OUT}/labelIds`, { type: 'array', items: { type: 'string' } })], path: `${OUT}/labelIds`, kind: 'added', bump: 'minor', mentions: ['`labelIds`', '`send_email`'] },
  { rule: 'trigger output property added', after: [set(`${TRIGGER}/output/properties/to`, { type: 'string' })], path: `${TRIGGER}/output/properties/to`, kind: 'added', bump: 'minor', mentions: ['`to`', 'trigger `new_email`'] },
  { rule: 'output property now always present', after: [push(`${SEND}/output/required`, 'threadId')], path: `${OUT}/threadId`, kind: 'changed', bump: 'minor', mentions: ['`threadId`', 'always present'] },
  { rule: 'input enum value added', before: [withPriority], after: [push(`${IN}/priority/enum`, 'urgent')], path: `${IN}/priority/enum`, kind: 'added', bump: 'minor', mentions: ['`priority`', '`urgent`'] },
  { rule: 'input enum dropped', before: [withPriority], after: [remove(`${IN}/priority/enum`)], path: `${IN}/priority/enum`, kind: 'removed', bump: 'minor', mentions: ['`priority`', 'no longer restricted'] },
  { rule: 'output enum value added', before: [withStatus], after: [push(`${OUT}/status/enum`, 'failed')], path: `${OUT}/status/enum`, kind: 'added', bump: 'minor', mentions: ['`status`', '`failed`'] },
  { rule: 'output enum value removed', before: [withStatus], after: [set(`${OUT}/status/enum`, ['sent'])], path: `${OUT}/status/enum`, kind: 'removed', bump: 'minor', mentions: ['`status`', '`queued`'] },
  { rule: 'input type widened with null', after: [set(`${IN}/subject/type`, ['string', 'null'])], path: `${IN}/subject/type`, kind: 'changed', bump: 'minor', mentions: ['`subject`', 'widened'] },
  { rule: 'input type widened integer to number', before: [set(`${IN}/subject/type`, 'integer')], after: [set(`${IN}/subject/type`, 'number')], path: `${IN}/subject/type`, kind: 'changed', bump: 'minor', mentions: ['`subject`', 'widened'] },
  { rule: 'input type dropped (any type)', after: [remove(`${IN}/subject/type`)], path: `${IN}/subject/type`, kind: 'removed', bump: 'minor', mentions: ['`subject`', 'any type'] },
  { rule: 'output type narrowed', before: [set(`${OUT}/id/type`, ['string', 'null'])], after: [set(`${OUT}/id/type`, 'string')], path: `${OUT}/id/type`, kind: 'changed', bump: 'minor', mentions: ['`id`', 'narrowed'] },
  { rule: 'OAuth scope removed', after: [set('/oauth/scopes', ['https://www.googleapis.com/auth/gmail.send'])], path: '/oauth/scopes', kind: 'removed', bump: 'minor', mentions: ['`https://www.googleapis.com/auth/gmail.readonly`'] },
  { rule: 'nested optional input property added', before: [withDeal], after: [set(`${DEAL}/currency`, { type: 'string' })], path: `${DEAL}/currency`, kind: 'added', bump: 'minor', mentions: ['`deal.currency`', '`create_deal`'] },
  { rule: 'input items optional property added', before: [withRecipientObjects], after: [set(`${IN}/to/items/properties/type`, { type: 'string' })], path: `${IN}/to/items/properties/type`, kind: 'added', bump: 'minor', mentions: ['`to[].type`'] },
  // patch
  { rule: 'name changed', after: [set('/name', 'Google Mail')], path: '/name', kind: 'changed', bump: 'patch', mentions: ['`name`'] },
  { rule: 'description changed', after: [set('/description', 'Email.')], path: '/description', kind: 'changed', bump: 'patch', mentions: ['`description`'] },
  { rule: 'category changed', after: [set('/category', 'Productivity')], path: '/category', kind: 'changed', bump: 'patch', mentions: ['`category`'] },
  { rule: 'status changed', after: [set('/status', 'deprecated')], path: '/status', kind: 'changed', bump: 'patch', mentions: ['`status`'] },
  { rule: 'top-level x- extension added', after: [set('/x-docs', { url: 'https://example.com' })], path: '/x-docs', kind: 'added', bump: 'patch', mentions: ['`x-docs`'] },
  { rule: 'action description changed', after: [set(`${SEND}/description`, 'Send.')], path: `${SEND}/description`, kind: 'changed', bump: 'patch', mentions: ['`description`', 'action `send_email`'] },
  { rule: 'action x- extension changed', after: [set(`${SEND}/x-http/method`, 'PUT')], path: `${SEND}/x-http/method`, kind: 'changed', bump: 'patch', mentions: ['`x-http.method`', 'action `send_email`'] },
  { rule: 'trigger type changed', after: [set(`${TRIGGER}/type`, 'polling')], path: `${TRIGGER}/type`, kind: 'changed', bump: 'patch', mentions: ['`type`', 'trigger `new_email`'] },
  { rule: 'OAuth URL changed', after: [set('/oauth/token_url', 'https://oauth2.example.com/token')], path: '/oauth/token_url', kind: 'changed', bump: 'patch', mentions: ['`oauth.token_url`'] },
  { rule: 'OAuth parameter changed', after: [set('/oauth/authorization_params/prompt', 'none')], path: '/oauth/authorization_params/prompt', kind: 'changed', bump: 'patch', mentions: ['`oauth.authorization_params.prompt`'] },
  { rule: 'OAuth scopes reordered', after: [set('/oauth/scopes', ['https://www.googleapis.com/auth/gmail.readonly', 'https://www.googleapis.com/auth/gmail.send'])], path: '/oauth/scopes', kind: 'changed', bump: 'patch', mentions: ['reordered'] },
  { rule: 'other nango key added', after: [set('/nango/x-note', 'shared app')], path: '/nango/x-note', kind: 'added', bump: 'patch', mentions: ['`nango.x-note`'] },
  { rule: 'input property description changed', after: [set(`${IN}/body/description`, 'Body.')], path: `${IN}/body/description`, kind: 'changed', bump: 'patch', mentions: ['`description`', '`body`', '`send_email`'] },
  { rule: 'input format changed (not ruled)', after: [set(`${IN}/to/items/format`, 'idn-email')], path: `${IN}/to/items/format`, kind: 'changed', bump: 'patch', mentions: ['`format`', '`to[]`'] },
  { rule: 'required reordered', after: [set(`${SEND}/input/required`, ['body', 'subject', 'to'])], path: `${SEND}/input/required`, kind: 'changed', bump: 'patch', mentions: ['`send_email`'] },
  { rule: 'type rewritten with the same meaning', after: [set(`${IN}/subject/type`, ['string'])], path: `${IN}/subject/type`, kind: 'changed', bump: 'patch', mentions: ['`subject`', 'same meaning'] },
  { rule: 'enum reordered', before: [withPriority], after: [set(`${IN}/priority/enum`, ['high', 'low'])], path: `${IN}/priority/enum`, kind: 'changed', bump: 'patch', mentions: ['`priority`', 'reordered'] },
  { rule: 'empty properties added (same meaning)', before: [set(`${IN}/meta`, { type: 'object' })], after: [set(`${IN}/meta/properties`, {})], path: `${IN}/meta`, kind: 'changed', bump: 'patch', mentions: ['`meta`', 'same meaning'] },
  { rule: 'empty required added', before: [remove(`${SEND}/output/required`), set(`${OUT}/id`, { type: 'string' })], after: [set(`${SEND}/output/required`, [])], path: `${SEND}/output/required`, kind: 'added', bump: 'patch', mentions: ['`send_email`'] },
];

describe('diffManifests: one row per rule', () => {
  it.each(rows)('$rule -> $bump at $path', (row) => {
    const old = edited(buildManifest(), row.before ?? []);
    const next = edited(old, row.after);
    const changes = diffManifests(old, next);
    expect(changes.map((c) => [c.path, c.kind, c.bump])).toEqual([[row.path, row.kind, row.bump]]);
    for (const words of row.mentions) expect(changes[0]?.reason).toContain(words);
    expect(overallBump(changes)).toBe(row.bump);
  });
});

describe('diffManifests: no change', () => {
  const base = buildManifest();
  it.each([
    { rule: 'the same manifest', next: buildManifest() },
    { rule: 'only `version` changed', next: buildManifest({ version: '9.9.9' }) },
    { rule: '`version` removed', next: edited(base, [remove('/version')]) },
    {
      rule: '`$schema` added (editor help, not hashed)',
      next: buildManifest({ $schema: './schema/manifest.json' }),
    },
    { rule: 'keys in another order, reformatted', next: JSON.parse(reversedText(base)) },
  ])('$rule -> []', ({ next }) => {
    expect(diffManifests(base, next)).toEqual([]);
    expect(overallBump(diffManifests(base, next))).toBe('none');
  });
});

describe('diffManifests: reasons and order', () => {
  it('words reasons as a person would', () => {
    const old = edited(buildManifest(), [set(`${SEND}/input/required`, ['subject', 'body'])]);
    const next = edited(old, [
      remove(TRIGGER),
      set(`${SEND}/input/required`, ['to', 'subject', 'body']),
      push('/oauth/scopes', 'repo'),
    ]);
    expect(diffManifests(old, next).map((c) => c.reason)).toEqual([
      'input property `to` of action `send_email` is now required: existing callers that omit it would fail',
      'OAuth scope `repo` added: existing connections lack the consent and must re-authorize',
      'trigger `new_email` removed: subscribers would stop receiving events',
    ]);
  });

  it('sorts by path and reports one change for a removed action, not one per property', () => {
    const old = edited(buildManifest(), [withDeal]);
    const next = edited(old, [
      remove('/actions/create_deal'),
      set('/name', 'Mail'),
      set(`${IN}/cc`, { type: 'string' }),
    ]);
    const changes = diffManifests(old, next);
    expect(changes.map((c) => [c.path, c.bump])).toEqual([
      ['/actions/create_deal', 'major'],
      [`${IN}/cc`, 'minor'],
      ['/name', 'patch'],
    ]);
    expect(overallBump(changes)).toBe('major');
  });

  it('escapes `/` and `~` in pointers', () => {
    const next = edited(buildManifest(), [set(`${IN}/a~1b~0c`, { type: 'string' })]);
    expect(diffManifests(buildManifest(), next).map((c) => c.path)).toEqual([`${IN}/a~1b~0c`]);
  });

  it('reads own keys only: a property named __proto__ or toString is an ordinary property', () => {
    const old = edited(buildManifest(), [set(`${IN}/toString`, { type: 'string' })]);
    const next = JSON.parse(manifestText(old).replace('"toString"', '"__proto__"')) as typeof old;
    expect(diffManifests(old, next).map((c) => [c.path, c.kind])).toEqual([
      [`${IN}/__proto__`, 'added'],
      [`${IN}/toString`, 'removed'],
    ]);
  });
});

/** The manifest's JSON with every object's keys in reverse order and another indentation. */
function reversedText(value: unknown): string {
  const reverse = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(reverse);
    if (typeof v !== 'object' || v === null) return v;
    return Object.fromEntries(
      Object.entries(v)
        .reverse()
        .map(([k, x]) => [k, reverse(x)]),
    );
  };
  return JSON.stringify(reverse(value), null, 4);
}
