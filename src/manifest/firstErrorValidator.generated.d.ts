// The type of the generated validator (see scripts/generateValidator.ts).
/** Whether a parsed value is a valid manifest; stops at the first error and reports none. */
export declare function validate(data: unknown): boolean;
