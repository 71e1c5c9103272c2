/**
 * Twemoji's SVGs served from our own origin (the CSP allows images from 'self' only; no CDN).
 *
 * The files sit under a path named after the package version, `/emoji/<version>/<code>.svg`, so
 * they can be cached for a year as immutable: an upgrade changes every URL. The build copies them
 * into `dist/emoji/<version>/` (the server hands `/emoji/` out with that caching), the dev server
 * answers them straight from the package, and the app learns the base URL from
 * `__TWEMOJI_BASE__`, which this plugin defines (for unit tests too).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'vite';

/** The credit the graphics' licence asks for, served beside them and repeated in docs/. */
const ATTRIBUTION = `Emoji graphics: Twemoji, copyright Twitter, Inc and other contributors
(https://github.com/jdecked/twemoji), licensed under CC-BY 4.0
(https://creativecommons.org/licenses/by/4.0/). Parley serves them unchanged, as packaged
by @twemoji/svg, whose licence follows.
`;

/** A Twemoji file name: code points in lower-case hex joined by `-`. Nothing else is served. */
const FILE_NAME = /^[0-9a-f]{1,6}(-[0-9a-f]{1,6})*\.svg$/;

function packageDir(): { dir: string; version: string } {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('@twemoji/svg/package.json');
  const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string };
  return { dir: path.dirname(manifest), version };
}

export function twemojiAssets(): Plugin {
  const { dir, version } = packageDir();
  const urlPath = `/emoji/${version}/`;
  let outDir = 'dist';
  let base = '/';
  let building = false;
  return {
    name: 'parley-twemoji-assets',
    config: (config) => ({
      define: {
        __TWEMOJI_BASE__: JSON.stringify(`${(config.base ?? '/').replace(/\/$/, '')}${urlPath}`),
      },
    }),
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
      base = config.base;
      building = config.command === 'build';
    },
    configureServer(server) {
      const prefix = `${base.replace(/\/$/, '')}${urlPath}`;
      server.middlewares.use((req, res, next) => {
        const url = req.url?.split('?')[0] ?? '';
        if (!url.startsWith(prefix)) return next();
        const name = url.slice(prefix.length);
        const file = path.join(dir, name);
        if (!FILE_NAME.test(name) || !fs.existsSync(file)) {
          res.statusCode = 404;
          res.end();
          return;
        }
        res.setHeader('Content-Type', 'image/svg+xml');
        res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
        fs.createReadStream(file).pipe(res);
      });
    },
    // After the bundle is written (`emptyOutDir` has run), the whole set goes beside it.
    closeBundle() {
      // The dev server calls this hook too, when it stops: nothing to copy then.
      if (!building) return;
      const target = path.join(outDir, 'emoji', version);
      fs.mkdirSync(target, { recursive: true });
      for (const name of fs.readdirSync(dir)) {
        if (FILE_NAME.test(name)) fs.copyFileSync(path.join(dir, name), path.join(target, name));
      }
      // The graphics are CC-BY 4.0 and ask for credit; the package that carries them is MIT.
      const packageLicence = fs.readFileSync(path.join(dir, 'license'), 'utf8');
      fs.writeFileSync(path.join(outDir, 'emoji', 'LICENSE.txt'), `${ATTRIBUTION}\n${packageLicence}`);
    },
  };
}
