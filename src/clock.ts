/**
 * The one place that reads the wall clock and makes random ids. Everything else is handed a
 * clock and an id maker (`clock`, `newId` in a context or options) and defaults to these, so a
 * test can pass its own and every hidden input shows in a signature.
 */

/** The wall clock. */
export const wallClock = (): Date => new Date();

/** A random UUID (v4). */
export const randomId = (): string => crypto.randomUUID();
