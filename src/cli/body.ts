import type { Config } from '../config.js';

/** A command's body: runs with the frozen config and returns its exit code. */
export type Body<O> = (config: Config, options: O, args: string[]) => Promise<number>;
