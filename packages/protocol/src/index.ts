export * from './errors.js';
export * from './frames.js';
export * from './limits.js';
export * from './models.js';
export * from './schemas.js';
export * from './server-limits.js';
export * from './user-lookup.js';
