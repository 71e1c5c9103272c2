import { createHash, randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

/** Time-ordered unique ids (UUIDv7): sortable, index-friendly, opaque to clients. */
export const newId = (): string => uuidv7();

/** A secret for a bearer token or ticket: 32 random bytes, base64url. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

/** Secrets are stored only as their SHA-256, so a database leak reveals no usable token. */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');
