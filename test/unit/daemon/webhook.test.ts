import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../../src/daemon/webhook.js';

const secret = "It's a Secret to Everybody";
const push = Buffer.from(JSON.stringify({ ref: 'refs/heads/main', after: 'abc' }));

function sign(body: Buffer, key = secret): string {
  return `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
}

describe('verifyWebhook: GitHub', () => {
  it('accepts a push signed with the secret and reads its ref', () => {
    const verdict = verifyWebhook({
      headers: { 'x-hub-signature-256': sign(push), 'x-github-event': 'push' },
      body: push,
      secret,
    });
    expect(verdict).toEqual({ ok: true, provider: 'github', kind: 'push', ref: 'refs/heads/main' });
  });

  it('matches GitHub’s published example signature', () => {
    // https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
    const body = Buffer.from('Hello, World!');
    const signature = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    const verdict = verifyWebhook({
      headers: { 'X-Hub-Signature-256': signature, 'X-GitHub-Event': 'ping' },
      body,
      secret,
    });
    expect(verdict).toEqual({ ok: true, provider: 'github', kind: 'ping' });
  });

  it.each([
    {
      name: 'forged (other key)',
      signature: sign(push, 'guess'),
      reason: 'signature does not match',
    },
    {
      name: 'signature of another body',
      signature: sign(Buffer.from('{"ref":"refs/heads/evil"}')),
      reason: 'signature does not match',
    },
    { name: 'wrong length', signature: 'sha256=abcd', reason: 'malformed X-Hub-Signature-256' },
    {
      name: 'sha1 scheme',
      signature: `sha1=${createHmac('sha1', secret).update(push).digest('hex')}`,
      reason: 'malformed X-Hub-Signature-256',
    },
    { name: 'empty', signature: '', reason: 'malformed X-Hub-Signature-256' },
  ])('refuses a $name signature with 401', ({ signature, reason }) => {
    const verdict = verifyWebhook({
      headers: { 'x-hub-signature-256': signature, 'x-github-event': 'push' },
      body: push,
      secret,
    });
    expect(verdict).toEqual({ ok: false, status: 401, reason });
  });

  it('refuses a delivery with neither signature nor token', () => {
    const verdict = verifyWebhook({ headers: { 'x-github-event': 'push' }, body: push, secret });
    expect(verdict).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses everything when no secret is configured, even a body "signed" with ""', () => {
    const verdict = verifyWebhook({
      headers: { 'x-hub-signature-256': sign(push, '') },
      body: push,
      secret: '',
    });
    expect(verdict).toMatchObject({ ok: false, status: 401 });
  });

  it('answers 400 for a well-signed body that is not JSON', () => {
    const body = Buffer.from('not json');
    const verdict = verifyWebhook({
      headers: { 'x-hub-signature-256': sign(body), 'x-github-event': 'push' },
      body,
      secret,
    });
    expect(verdict).toMatchObject({ ok: false, status: 400 });
  });

  it('reads a form-encoded payload', () => {
    const body = Buffer.from(
      new URLSearchParams({ payload: JSON.stringify({ ref: 'refs/heads/dev' }) }).toString(),
    );
    const verdict = verifyWebhook({
      headers: {
        'x-hub-signature-256': sign(body),
        'x-github-event': 'push',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body,
      secret,
    });
    expect(verdict).toEqual({ ok: true, provider: 'github', kind: 'push', ref: 'refs/heads/dev' });
  });

  it('classifies other events as other, without a ref', () => {
    const verdict = verifyWebhook({
      headers: { 'x-hub-signature-256': sign(push), 'x-github-event': 'create' },
      body: push,
      secret,
    });
    expect(verdict).toEqual({ ok: true, provider: 'github', kind: 'other' });
  });
});

describe('verifyWebhook: GitLab', () => {
  const body = Buffer.from(JSON.stringify({ object_kind: 'push', ref: 'refs/heads/main' }));

  it('accepts the right token', () => {
    const verdict = verifyWebhook({
      headers: { 'x-gitlab-token': secret, 'x-gitlab-event': 'Push Hook' },
      body,
      secret,
    });
    expect(verdict).toEqual({ ok: true, provider: 'gitlab', kind: 'push', ref: 'refs/heads/main' });
  });

  it.each([
    { token: 'wrong' },
    { token: `${secret}x` },
    { token: secret.slice(0, -1) },
    { token: '' },
  ])('refuses the token $token with 401', ({ token }) => {
    const verdict = verifyWebhook({ headers: { 'x-gitlab-token': token }, body, secret });
    expect(verdict).toEqual({ ok: false, status: 401, reason: 'token does not match' });
  });

  it('classifies a tag push as other', () => {
    const tag = Buffer.from(JSON.stringify({ object_kind: 'tag_push', ref: 'refs/tags/v1' }));
    const verdict = verifyWebhook({ headers: { 'x-gitlab-token': secret }, body: tag, secret });
    expect(verdict).toEqual({ ok: true, provider: 'gitlab', kind: 'other' });
  });
});
