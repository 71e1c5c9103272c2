/**
 * nginx in front of the instances, run unprivileged-style in DATA_DIR/balancer (its pid, temp
 * files and config there, its logs in DATA_DIR/logs) and in the foreground, so it is a child
 * process like the others. The http{} part is nginx-parley.conf.template, the same file
 * docker-compose mounts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TEMPLATE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'nginx-parley.conf.template');

/** Fills `${PARLEY_*}` in the template; every name must be given. */
export function renderTemplate(values, template = fs.readFileSync(TEMPLATE, 'utf8')) {
  return template.replace(/\$\{(PARLEY_[A-Z_]+)\}/g, (_match, name) => {
    if (!(name in values)) throw new Error(`nginx template: no value for ${name}`);
    return values[name];
  });
}

/**
 * Writes DATA_DIR/balancer/nginx.conf and answers the command line that runs it.
 * @param {{ dir: string, logDir: string, host: string, httpPort: number, wsPort: number, instancePorts: number[] }} options
 */
export function writeNginxConfig({ dir, logDir, host, httpPort, wsPort, instancePorts }) {
  fs.mkdirSync(path.join(dir, 'temp'), { recursive: true });
  const listen = (port) => (host === '0.0.0.0' || host === '' ? String(port) : `${host}:${port}`);
  const site = renderTemplate({
    PARLEY_UPSTREAM_SERVERS: instancePorts
      .map((port) => `  server 127.0.0.1:${port} max_fails=1 fail_timeout=2s;`)
      .join('\n'),
    PARLEY_LISTEN_HTTP: listen(httpPort),
    PARLEY_LISTEN_WS: listen(wsPort),
    PARLEY_PUBLIC_HTTP_PORT: String(httpPort),
  });
  fs.writeFileSync(path.join(dir, 'parley.conf'), site);
  const temp = (name) => `${name}_temp_path ${path.join(dir, 'temp', name)};`;
  const main = `# Written by scripts/cluster/balancer.mjs at each start; edit nginx-parley.conf.template instead.
worker_processes auto;
worker_rlimit_nofile 20000;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(logDir, 'balancer.log')} warn;

events {
  worker_connections 16384;
}

http {
  access_log ${path.join(logDir, 'balancer-access.log')};
  ${temp('client_body')}
  ${temp('proxy')}
  ${temp('fastcgi')}
  ${temp('uwsgi')}
  ${temp('scgi')}
  include ${path.join(dir, 'parley.conf')};
}
`;
  const configFile = path.join(dir, 'nginx.conf');
  fs.writeFileSync(configFile, main);
  return {
    command: 'nginx',
    args: ['-p', dir, '-c', configFile, '-e', path.join(logDir, 'balancer.log'), '-g', 'daemon off;'],
  };
}
