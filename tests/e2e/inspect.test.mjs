// Issue 10, the inspection, in a real browser against `coldtrace serve` on a fresh demo
// database, at phone size: an inspector records an inspection at an unregistered vendor with
// an uncoded item and its photo (a PNG made here), the bureau's findings list shows it with
// the photo, and a follow-up closes it; a registered unit's expected stock; admins get no
// inspection form (the API refuses them too). Screenshots go to $COLDTRACE_ARTIFACTS; axe-core
// stays at no serious or critical violation.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { artifacts, axe_violations, launch, new_page, screenshot } from './lib/browser.mjs';
import { start_server } from './lib/server.mjs';

mkdirSync(artifacts, { recursive: true });
let server, browser;
const tokens = {};
let shop; // a shop that holds stock in the demo data

// A small valid PNG: 32×24 pixels of one colour (IHDR, IDAT, IEND with their CRCs).
function png() {
  const crc_table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crc_table[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const w = 32, h = 24;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB
  const rows = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) rows.set([200, 60 + y * 4, 40], y * (w * 3 + 1) + 1 + x * 3);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

before(async () => {
  server = await start_server(process.env.COLDTRACE_BIN);
  browser = await launch();
  const { api, admin_token } = server;
  const all = (await api('GET', '/api/v1/units?limit=500', admin_token)).units;
  const regulator = all.find((u) => u.kind === 'regulator');
  tokens.inspector = (await api('POST', '/api/v1/accounts', admin_token,
    { unit: regulator.id, role: 'inspector', name: '检查测试执法员' })).token;
  tokens.admin = admin_token;
  const valid = await (await fetch(server.base + '/api/v1/verify?code=' +
    encodeURIComponent(server.codes['valid at a shop']))).json();
  shop = all.find((u) => u.id === valid.facts.holder.id);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function no_serious_violations(page, what) {
  assert.deepEqual(await axe_violations(page), [], `axe on ${what}`);
}

// Signs in on the console in this tab (the token is kept per tab), then opens `path`.
async function signed_in(page, token, path) {
  await page.goto(server.base + '/console');
  await page.fill('#token', token);
  await page.press('#token', 'Enter');
  await page.waitForURL((u) => u.pathname !== '/console');
  await page.waitForLoadState('load');
  if (new URL(page.url()).pathname !== path) {
    await page.goto(server.base + path);
    await page.waitForLoadState('load');
  }
}

describe('the inspection', () => {
  it('records an unregistered vendor, an uncoded item with a photo, and its follow-up', async () => {
    const page = await new_page(browser);
    await signed_in(page, tokens.inspector, '/scan');
    await page.waitForSelector('#inspection-form:not([hidden])');

    // Not a registered unit: the vendor as the inspector finds it.
    await page.check('#vendor-mode');
    await page.waitForSelector('#vendor-fields:not([hidden])');
    assert.equal(await page.isVisible('#unit-pick'), false);
    await page.fill('#vendor-name', '菜场东门流动冻品摊');
    await page.fill('#vendor-address', '黄浦区南京东路 100 号菜场东门');

    // One uncoded item, its action, deadline and photo.
    await page.fill('#item-product', '冻带鱼');
    await page.selectOption('#item-category', 'domestic_frozen');
    await page.fill('#item-weight', '12.5');
    await page.selectOption('#item-action', 'seize');
    const due = new Date(Date.now() + 7 * 864e5).toISOString().slice(0, 10); // within a year
    await page.fill('#item-deadline', due);
    await page.setInputFiles('#item-photo', { name: 'item.png', mimeType: 'image/png', buffer: png() });
    await page.click('#item-add');
    await page.waitForSelector('#items li');
    assert.match(await page.textContent('#items li'), new RegExp(`冻带鱼.*12\\.5.*扣押.*${due}.*有照片`, 's'));
    assert.equal(await page.inputValue('#uncoded'), '1');
    await screenshot(page, 'inspect-vendor-item');
    await no_serious_violations(page, '/scan (vendor and an uncoded item)');

    await page.click('#inspection-form button[type=submit]');
    await page.waitForSelector('#inspection-findings li[data-finding]');
    const recorded = page.locator('#inspection-findings li').first();
    assert.equal(await recorded.getAttribute('data-status'), 'open');
    assert.match(await recorded.textContent(), /冻带鱼.*扣押.*待整改.*有照片/s);
    assert.equal(await page.locator('#items li').count(), 0);
    await screenshot(page, 'inspect-recorded');

    // The bureau's list: by region, then the vendor; the photo fetched with the token.
    await page.goto(server.base + '/findings');
    const item = page.locator('li.finding[data-status="open"]').first();
    await item.waitFor();
    assert.match(await page.textContent('#findings'), /未登记摊贩 · 菜场东门流动冻品摊/);
    await item.locator('button', { hasText: '查看照片' }).click();
    const img = item.locator('img.photo');
    await img.waitFor();
    assert.equal(await img.evaluate((i) => i.decode().then(() => i.naturalWidth)), 32);
    await screenshot(page, 'inspect-findings-open');
    await no_serious_violations(page, '/findings (open, with a photo)');

    // The follow-up closes it: gone from the open list, shown among the closed ones.
    await item.locator('textarea').fill('复查：摊位已取缔，扣押冻品已销毁');
    await item.locator('button[type=submit]').click();
    await page.waitForFunction(() => !document.querySelector('li.finding[data-status="open"]'));
    await page.selectOption('#findings-state', 'closed');
    await page.click('#findings-filter button[type=submit]');
    const closed = page.locator('li.finding[data-status="closed"]').first();
    await closed.waitFor();
    assert.match(await closed.textContent(), /复查：摊位已取缔/);
    await screenshot(page, 'inspect-findings-closed');
    await no_serious_violations(page, '/findings (closed)');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('shows the expected stock of a registered unit', async () => {
    const page = await new_page(browser);
    await signed_in(page, tokens.inspector, '/scan');
    await page.waitForSelector('#unit-panel:not([hidden])');
    await page.fill('#unit-search', shop.credit_code);
    await page.click(`#unit-matches button[data-unit="${shop.id}"]`);
    await page.waitForSelector('#expected li');
    assert.match(await page.textContent('#expected-status'), /账面上有 \d+ 个码的货品/);
    await screenshot(page, 'inspect-expected-stock');
    await no_serious_violations(page, '/scan (expected stock)');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('gives admins no inspection form, as the API refuses them, but the findings to read', async () => {
    const page = await new_page(browser);
    await signed_in(page, tokens.admin, '/scan');
    await page.waitForTimeout(300); // the page has asked who is signed in
    assert.equal(await page.isVisible('#inspection-form'), false);
    assert.equal(await page.isVisible('#inspection-login'), true);
    const refused = await fetch(server.base + '/api/v1/inspections', {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + tokens.admin, 'Content-Type': 'application/json' },
      body: JSON.stringify({ vendor: { name: '摊', address: '路口' } }),
    });
    assert.equal(refused.status, 403);
    await page.goto(server.base + '/findings');
    await page.waitForSelector('#findings-filter:not([hidden])');
    await page.selectOption('#findings-state', 'all'); // the first test closed its finding
    await page.click('#findings-filter button[type=submit]');
    await page.locator('li.finding').first().waitFor();
    assert.equal(await page.locator('li.finding textarea').count(), 0);
    await screenshot(page, 'inspect-findings-admin');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
