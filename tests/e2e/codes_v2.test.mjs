// Codes past 255 children (payload version 2, docs/code-format.md §1) in a real browser: the
// scanner's offline verifier (web/static/offline.js) reads them and matches the signed block
// list's prefixes; online, the API and /c/ answer for them as for any code.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, it } from 'node:test';
import { artifacts, launch, new_page, screenshot } from './lib/browser.mjs';
import { start_server } from './lib/server.mjs';

mkdirSync(artifacts, { recursive: true });
let server, browser;

before(async () => {
  server = await start_server(process.env.COLDTRACE_BIN);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

it('a 300th child is a version 2 code that verifies online and offline', async () => {
  const { api, admin_token } = server;
  const valid = await (await fetch(server.base + '/api/v1/verify?code=' +
    encodeURIComponent(server.codes['valid at a shop']))).json();
  const held = await api('GET', `/api/v1/codes/${valid.facts.code}`, admin_token);
  const all = (await api('GET', '/api/v1/units?limit=500', admin_token)).units;
  const other = all.find((u) => !['regulator', 'warehouse'].includes(u.kind) && u.id !== held.holder);
  const token = (await api('POST', '/api/v1/accounts', admin_token,
    { unit: held.holder, role: 'operator', name: '测试摊主' })).token;
  let child;
  for (let i = 0; i < 300; i++) {
    child = await api('POST', '/api/v1/dispatch', token,
      { code: valid.facts.code, consignee: other.id, quantity_g: 1 });
  }
  const online = await (await fetch(server.base + '/api/v1/verify?code=' +
    encodeURIComponent(child.url))).json();
  assert.equal(online.verdict, 'pending_receipt');
  const page_res = await fetch(child.url.replace(/^https?:\/\/[^/]+/, server.base));
  assert.equal(page_res.status, 200);

  const page = await new_page(browser);
  await page.goto(server.base + '/scan?lang=en');
  const answer = await page.evaluate(async (url) => {
    await window.ct.offline.refresh();
    const code = window.ct.offline.decode(window.ct.offline.code_bytes(url));
    return { v: await window.ct.offline.verify(url), path: code.fields.split_path };
  }, child.url);
  // The 300th child: 00 + three bytes, after the parent's own path.
  assert.match(answer.path, /0000012c$/);
  assert.equal(answer.v.genuine, true);
  assert.equal(answer.v.verdict, 'valid');
  await screenshot(page, 'scan-v2');
});
