/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_API_URL?: string;
  readonly VITE_WS_URL?: string;
}

/** Where Twemoji's SVGs are served, ending in `/` (defined by `build/twemoji-assets.ts`). */
declare const __TWEMOJI_BASE__: string;
