import { describe, expect, it } from 'vitest';
import { findSlugClashes, slugFromPath } from '../../../src/manifest/index.js';

describe('slugFromPath', () => {
  it.each([
    ['manifests/gmail.json', 'gmail'],
    ['gmail.json', 'gmail'],
    ['a/b/google-mail.json', 'google-mail'],
    ['C:\\repo\\manifests\\slack.json', 'slack'],
    ['manifests/notes.txt', 'notes.txt'],
    ['manifests/x.json.json', 'x.json'],
  ])('%s gives %s', (path, slug) => {
    expect(slugFromPath(path)).toBe(slug);
  });
});

describe('findSlugClashes', () => {
  it('finds nothing when every slug has one file', () => {
    expect(
      findSlugClashes([
        { file: 'a.json', slug: 'a' },
        { file: 'b.json', slug: 'b' },
      ]),
    ).toEqual([]);
  });

  it('reports one problem per file claiming a slug, naming the other files', () => {
    const problems = findSlugClashes([
      { file: 'manifests/gmail.json', slug: 'gmail' },
      { file: 'manifests/slack.json', slug: 'slack' },
      { file: 'manifests/google-mail.json', slug: 'gmail' },
    ]);
    expect(problems).toEqual([
      {
        file: 'manifests/gmail.json',
        pointer: '/slug',
        code: 'slug-clash',
        message:
          '`manifests/gmail.json` and `manifests/google-mail.json` both claim the slug `gmail`: each slug belongs to one file',
      },
      {
        file: 'manifests/google-mail.json',
        pointer: '/slug',
        code: 'slug-clash',
        message:
          '`manifests/google-mail.json` and `manifests/gmail.json` both claim the slug `gmail`: each slug belongs to one file',
      },
    ]);
  });

  it('names all files when three claim one slug', () => {
    const problems = findSlugClashes(
      ['a', 'b', 'c'].map((name) => ({ file: `${name}.json`, slug: 'x' })),
    );
    expect(problems).toHaveLength(3);
    expect(problems[0]?.message).toContain('`a.json` and `b.json` and `c.json`');
  });
});
