export * from './errors.js';
export * from './frames.js';
export * from './limits.js';
export * from './models.js';
export * from './reactions.js';
export * from './schemas.js';
export * from './search.js';
export * from './threads.js';
