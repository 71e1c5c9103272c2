/**
 * The layering rules, checked by `npm test` (`npm run lint:deps`). The core is plain TypeScript
 * that knows nothing of its adapters or edges; the edges (HTTP, WebSocket) do not know each
 * other; adapters do not know the edges; migrations are frozen and import nothing of the app.
 * Only the composition root (backend/src/app/) sees every part.
 */
const OUTSIDE_CORE = '^backend/src/(?!core/)';
const FRAMEWORKS =
  'node_modules/(express|ws|kysely|better-sqlite3|pg|ioredis|@aws-sdk|sharp|pino|argon2|busboy|cookie|rate-limiter-flexible|prom-client|file-type|s3rver|web-push)/';

module.exports = {
  forbidden: [
    {
      name: 'core-is-inward',
      comment: 'The core imports only itself, the protocol package and Node built-ins.',
      severity: 'error',
      from: { path: '^backend/src/core/' },
      to: { path: OUTSIDE_CORE },
    },
    {
      name: 'core-knows-no-framework',
      comment: 'Frameworks, drivers and clients belong in adapters and edges, behind ports.',
      severity: 'error',
      from: { path: '^backend/src/core/' },
      to: { path: FRAMEWORKS },
    },
    {
      name: 'http-edge-apart-from-ws-edge',
      comment: 'Both edges share request-auth/, not each other.',
      severity: 'error',
      from: { path: '^backend/src/http/' },
      to: { path: '^backend/src/ws/' },
    },
    {
      name: 'ws-edge-apart-from-http-edge',
      severity: 'error',
      from: { path: '^backend/src/ws/' },
      to: { path: '^backend/src/http/' },
    },
    {
      name: 'adapters-know-no-edge',
      comment: 'Storage, fan-out, limits, presence and media implement ports; they never serve requests.',
      severity: 'error',
      from: { path: '^backend/src/(storage|fanout|security|presence|redis|media|push)/' },
      to: { path: '^backend/src/(http|ws|request-auth|app)/' },
    },
    {
      name: 'only-main-knows-the-app',
      comment: 'The composition root is used by main.ts (and tests), nothing else.',
      severity: 'error',
      from: { path: '^backend/src/', pathNot: '^backend/src/(main\\.ts|app/)' },
      to: { path: '^backend/src/app/' },
    },
    {
      name: 'migrations-are-frozen',
      comment: 'A migration that imports live code breaks a fresh database the day that code changes.',
      severity: 'error',
      from: { path: '^backend/src/storage/sql/migrations/' },
      to: { path: '^(backend/src/(?!storage/sql/migrations/)|packages/)' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'web-app-apart-from-server',
      comment: 'The two ends share only the protocol package.',
      severity: 'error',
      from: { path: '^frontend/' },
      to: { path: '^backend/' },
    },
    {
      name: 'server-apart-from-web-app',
      severity: 'error',
      from: { path: '^backend/' },
      to: { path: '^frontend/' },
    },
    {
      name: 'protocol-stands-alone',
      severity: 'error',
      from: { path: '^packages/protocol/' },
      to: { path: '^(backend|frontend)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)dist/' },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['source', 'import', 'default'],
      extensions: ['.ts', '.tsx', '.js', '.mjs'],
    },
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
  },
};
