import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (e2e/support/ is two levels below it). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
