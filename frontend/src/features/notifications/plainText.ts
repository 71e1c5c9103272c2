/** The one plain-text rule, shared with the server's Web Push (packages/protocol). */
export { plainText } from '@parley/protocol';
