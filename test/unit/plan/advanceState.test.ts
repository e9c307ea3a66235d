import { describe, expect, it } from 'vitest';
import { advanceState, statesAfter } from '../../../src/plan/advanceState.js';
import { buildFile, planFiles, replayRevisions } from '../../helpers/planBuilder.js';

describe('statesAfter: the connectors a plan touches, after it', () => {
  it('returns only those, and leaves the state it was given as it was', () => {
    const { state } = replayRevisions([
      [buildFile('gmail', { version: undefined }), buildFile('slack', { version: undefined })],
    ]);
    const before = structuredClone(state);
    const plan = planFiles(
      [buildFile('gmail', { version: undefined, description: 'New.' })],
      state,
    );
    const touched = statesAfter(state, plan);
    expect([...touched.keys()]).toEqual(['gmail']);
    expect(touched.get('gmail')?.versions.map((v) => v.version)).toEqual(['1.0.0', '1.0.1']);
    expect(touched.get('gmail')?.latest?.version).toBe('1.0.1');
    expect(state).toEqual(before);
    // advanceState is the given state with these set into a copy.
    expect(advanceState(state, plan)).toEqual(new Map([...state, ...touched]));
  });
});
