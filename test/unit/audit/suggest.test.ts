import { describe, expect, it } from 'vitest';
import { suggestNames } from '../../../src/audit/suggest.js';

const known = ['gmail', 'google-calendar', 'google-drive', 'hubspot', 'slack', 'salesforce'];

describe('did you mean', () => {
  it.each([
    ['gmial', ['gmail']],
    ['slak', ['slack']],
    ['hubspt', ['hubspot']],
    ['google', ['google-drive', 'google-calendar']],
    ['zendesk', []],
    ['', []],
    ['x'.repeat(10_000), []],
  ])('%s -> %j', (typed, expected) => {
    expect(suggestNames(typed, known)).toEqual(expected);
  });
});
