import fc from 'fast-check';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { checkManifest, resolveWheelUrl } from '../../../src/manifest/index.js';
import { buildManifest, manifestText } from '../../helpers/manifestBuilder.js';

const FILE = 'manifests/gmail.json';
const REVISION = 'a'.repeat(40);

function check(wheel: unknown) {
  const text = manifestText(buildManifest({ wheel_url: wheel as string }));
  return checkManifest(text, { file: FILE, revision: REVISION, expectedSlug: 'gmail' });
}

describe('wheel_url in the schema', () => {
  it.each([
    'https://wheels.example.com/gmail-1.0.0-py3-none-any.whl',
    'https://wheels.example.com/{slug}/{slug}-{version}-py3-none-any.whl',
    'https://{slug}.wheels.example.com:8443/pkg/{version}/{slug}.whl',
    'https://wheels.example.com/a%20b/x_y~z@1.whl',
    'https://wheels.example.com/{version}{version}.whl',
  ])('accepts %s', (wheel) => {
    const result = check(wheel);
    expect(result.ok).toBe(true);
  });

  it('a manifest without wheel_url is valid as before', () => {
    expect(checkManifest(manifestText(buildManifest()), { file: FILE }).ok).toBe(true);
  });

  // Each refusal names the file, the commit and /wheel_url, with a sentence that says what to do.
  // biome-ignore format: one row per refusal reads as a table
  const refused: [string, unknown, string, RegExp][] = [
    ['plain http', 'http://wheels.example.com/gmail.whl', 'invalid-value', /must be an https URL: a wheel fetched over plain http/],
    ['ftp', 'ftp://wheels.example.com/gmail.whl', 'invalid-value', /must be an https URL, starting with `https:\/\/`/],
    ['no scheme', 'wheels.example.com/gmail.whl', 'invalid-value', /must be an https URL/],
    ['upper-case scheme', 'HTTPS://wheels.example.com/gmail.whl', 'invalid-value', /must be an https URL/],
    ['user and password', 'https://deploy:s3cret@wheels.example.com/gmail.whl', 'invalid-value', /carries credentials in the URL \(`https:\/\/\*\*\*@wheels\.example\.com\/gmail\.whl`\)/],
    ['a token as user', 'https://ghp_abc123@wheels.example.com/gmail.whl', 'invalid-value', /carries credentials/],
    ['credentials over http, no scheme', 'deploy:s3cret@wheels.example.com/gmail.whl', 'invalid-value', /carries credentials/],
    ['unknown placeholder', 'https://wheels.example.com/{slug}-{release}.whl', 'url-placeholder', /unknown placeholder `\{release\}`: only `\{slug\}` and `\{version\}`/],
    ['empty placeholder', 'https://wheels.example.com/{}.whl', 'url-placeholder', /unknown placeholder `\{\}`/],
    ['bracket placeholder', 'https://wheels.example.com/[version].whl', 'url-placeholder', /square brackets \(`\[version\]`\); write `\{slug\}` or `\{version\}`/],
    ['unclosed brace', 'https://wheels.example.com/{version.whl', 'url-placeholder', /unclosed `\{`/],
    ['a tarball', 'https://wheels.example.com/gmail-1.0.0.tar.gz', 'invalid-value', /must end in `\.whl`/],
    ['a query after .whl', 'https://wheels.example.com/gmail.whl?token=abc', 'invalid-value', /must end in `\.whl`.*without a query or fragment \(got `https:\/\/wheels\.example\.com\/gmail\.whl\?…`\)/],
    ['a fragment', 'https://wheels.example.com/gmail.whl#sha256=00', 'invalid-value', /must end in `\.whl`/],
    ['only .whl as a file name', 'https://wheels.example.com/dist/.whl', 'invalid-value', /must end in `\.whl`/],
    ['a space', 'https://wheels.example.com/my wheel.whl', 'invalid-value', /well-formed https URL/],
    ['a NUL byte', 'https://wheels.example.com/a\u0000.whl', 'invalid-value', /well-formed https URL/],
    ['non-ASCII', 'https://wheels.example.com/gmäil.whl', 'invalid-value', /percent-encoded/],
    ['no host', 'https:///gmail.whl', 'invalid-value', /well-formed/],
    ['no path', 'https://wheels.example.com', 'invalid-value', /must end in `\.whl`/],
  ];

  it.each(refused)('refuses %s by name', (_, wheel, code, message) => {
    const result = check(wheel);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({
      file: FILE,
      revision: REVISION,
      pointer: '/wheel_url',
      code,
      line: expect.any(Number),
    });
    expect(result.errors[0]?.message).toMatch(/^`wheel_url` /);
    expect(result.errors[0]?.message).toMatch(message);
  });

  it('never repeats a password or a query in its message', () => {
    for (const wheel of [
      'https://deploy:s3cret@wheels.example.com/gmail.whl',
      'http://deploy:s3cret@wheels.example.com/gmail.tar.gz',
      'deploy:s3cret@wheels.example.com/gmail.whl',
      'https://wheels.example.com/gmail.whl?sig=s3cret',
      'https://wheels.example.com/gmail.tgz#s3cret',
    ]) {
      const result = check(wheel);
      expect(result.ok).toBe(false);
      expect(JSON.stringify(result)).not.toContain('s3cret');
    }
  });

  it.each([
    ['a number', 42, 'wrong-type'],
    ['null', null, 'wrong-type'],
    ['an object', { url: 'https://x/y.whl' }, 'wrong-type'],
    [
      'a 3,000-character URL',
      `https://wheels.example.com/${'a'.repeat(3000)}.whl`,
      'invalid-value',
    ],
  ])('refuses %s', (_, wheel, code) => {
    const result = check(wheel);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatchObject({ pointer: '/wheel_url', code });
  });

  it('refuses a bad wheel_url and still reports the other problems of the manifest', () => {
    const text = manifestText(
      buildManifest({ wheel_url: 'http://x/y.whl', status: 'retired' as 'beta' }),
    );
    const result = checkManifest(text, { file: FILE });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors.map((e) => e.pointer).sort()).toEqual(['/status', '/wheel_url']);
  });
});

describe('resolveWheelUrl', () => {
  it.each([
    [undefined, null],
    ['https://w.example.com/gmail-1.0.0.whl', 'https://w.example.com/gmail-1.0.0.whl'],
    [
      'https://w.example.com/{slug}/{slug}-{version}-py3-none-any.whl',
      'https://w.example.com/gmail/gmail-2.1.0-rc.1-py3-none-any.whl',
    ],
    ['https://{slug}.w.example.com/{version}.whl', 'https://gmail.w.example.com/2.1.0-rc.1.whl'],
    // Only the two placeholders are replaced, and a value is never read as a placeholder again.
    ['https://w.example.com/{slug}{version}.whl', 'https://w.example.com/gmail2.1.0-rc.1.whl'],
  ])('%s -> %s', (template, resolved) => {
    expect(resolveWheelUrl(template, { slug: 'gmail', version: '2.1.0-rc.1' })).toBe(resolved);
  });

  const slugArbitrary = fc.stringMatching(/^[a-z0-9]+(-[a-z0-9]+)*$/).filter((s) => s.length <= 64);
  const versionArbitrary = fc
    .tuple(
      fc.nat(999),
      fc.nat(999),
      fc.nat(999),
      fc.option(fc.constantFrom('rc.1', 'beta', 'alpha.2-x')),
    )
    .map(([a, b, c, pre]) => `${a}.${b}.${c}${pre ? `-${pre}` : ''}`);
  const templateArbitrary = fc
    .array(fc.constantFrom('{slug}', '{version}', 'a', '-', '/', '.', '%2F'), { maxLength: 8 })
    .map((parts) => `https://{slug}.wheels.example.com/${parts.join('')}x.whl`);

  it('resolves every accepted template to an https URL the schema accepts too, with no placeholder left', () => {
    fc.assert(
      fc.property(templateArbitrary, slugArbitrary, versionArbitrary, (template, slug, version) => {
        expect(check(template).ok).toBe(true);
        expect(semver.valid(version)).toBe(version);
        const resolved = resolveWheelUrl(template, { slug, version }) ?? '';
        expect(resolved).not.toMatch(/[{}]/);
        expect(check(resolved).ok).toBe(true);
        expect(new URL(resolved).protocol).toBe('https:');
        expect(resolved.endsWith('x.whl')).toBe(true);
      }),
    );
  });
});
