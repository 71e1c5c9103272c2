/** The current time as the contract's ISO-8601 UTC string. */
export const nowIso = (): string => new Date().toISOString();

export const isoIn = (ms: number): string => new Date(Date.now() + ms).toISOString();
