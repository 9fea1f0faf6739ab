// Starts `coldtrace serve` for a test: a fresh key, database and demo data in a temp
// directory, a free loopback port, and the admin token; stop() sends SIGTERM and waits.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function free_port() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export async function start_server(coldtrace) {
  const dir = mkdtempSync(join(tmpdir(), 'coldtrace-e2e-'));
  const port = await free_port();
  const base = `http://127.0.0.1:${port}`;
  const run = (...args) => execFileSync(coldtrace, args, { encoding: 'utf8' });
  run('keygen', '--dir', join(dir, 'keys'));
  run('db', 'init', '--db', join(dir, 'demo.db'));
  const demo = run('db', 'demo', '--db', join(dir, 'demo.db'), '--keys', join(dir, 'keys'),
    '--host', `127.0.0.1:${port}`, '--token-out', join(dir, 'admin.token'));
  // "code 3 (valid at a shop): https://…/c/…" for each sample code.
  const codes = {};
  for (const m of demo.matchAll(/code \d+ \(([^)]+)\): (\S+)/g)) codes[m[1]] = m[2];
  const admin_token = readFileSync(join(dir, 'admin.token'), 'utf8').trim();

  const proc = spawn(coldtrace, ['serve', '--db', join(dir, 'demo.db'), '--keys', join(dir, 'keys'),
    '--listen', `127.0.0.1:${port}`, '--public-url', base, '--allow-http-public-url', '--threads', '2'],
  { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (d) => (log += d));
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(base + '/healthz')).ok) break;
    } catch (e) {
      /* not listening yet */
    }
    if (i > 100 || proc.exitCode !== null) throw new Error('coldtrace serve did not start:\n' + log);
    await new Promise((r) => setTimeout(r, 100));
  }

  async function api(method, path, token, body) {
    const res = await fetch(base + path, {
      method,
      headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(data)}`);
    return data;
  }

  return {
    base, port, dir, codes, admin_token, api,
    log: () => log,
    async stop() {
      proc.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
