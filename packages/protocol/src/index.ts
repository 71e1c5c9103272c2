export * from './errors.js';
export * from './frames.js';
export * from './limits.js';
export * from './models.js';
export * from './notifications.js';
export * from './schemas.js';
