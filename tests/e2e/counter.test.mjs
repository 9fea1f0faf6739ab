// The counter of a shop (issue 10), as a queue meets it at phone size: a keyboard-wedge scan
// (typed text, then Enter) gives the verdict in large type with a sound, a sale with its
// weight goes back to the scan field at once, refused codes say why in plain Chinese (English
// on the English page), today's sales and refusals are listed, the stock puts a recalled lot
// on top, and a delivery is received from the same field. In Debian's chromium against
// `coldtrace serve` on a fresh demo database; screenshots at 390×844 in $COLDTRACE_ARTIFACTS.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { artifacts, axe_violations, launch, new_page, screenshot } from './lib/browser.mjs';
import { start_server } from './lib/server.mjs';

mkdirSync(artifacts, { recursive: true });
let server, browser;
const tokens = {};
const units = {};
const codes = {};

const domestic = (product, kg) => ({
  product, category: 'domestic_frozen', origin: 'CN', net_weight_g: kg * 1000,
  packages: 10, consignor: '金华屠宰场', vehicle: '浙G·12345',
});

// A lot the warehouse may release: a sample, a negative result, a disinfection, then release.
async function released_lot(product, kg) {
  const { api } = server;
  const r = await api('POST', '/api/v1/lots', tokens.warehouse, domestic(product, kg));
  const lot = r.lot.id;
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const s = await api('POST', `/api/v1/lots/${lot}/samples`, tokens.warehouse,
    { type: 'food_surface', collected_at: now, collector: '采样员' });
  await api('POST', `/api/v1/samples/${s.id}/result`, tokens.warehouse,
    { outcome: 'negative', lab: '疾控中心', report_number: 'R-' + lot, reported_at: now });
  await api('POST', `/api/v1/lots/${lot}/disinfections`, tokens.warehouse,
    { agent: '过氧乙酸', operator: '消杀员', certificate: 'X-' + lot, performed_at: now });
  await api('POST', `/api/v1/lots/${lot}/release`, tokens.warehouse, {});
  return r;
}
const dispatch = (code, unit, kg) => server.api('POST', '/api/v1/dispatch', tokens.warehouse,
  { code, consignee: unit.id, quantity_g: kg * 1000 });

before(async () => {
  server = await start_server(process.env.COLDTRACE_BIN);
  browser = await launch(['--autoplay-policy=no-user-gesture-required']);
  const { api, admin_token } = server;
  const all = (await api('GET', '/api/v1/units?limit=500', admin_token)).units;
  units.warehouse = all.find((u) => u.name === '上海浦东进口冷链食品集中监管仓');
  units.shop = all.find((u) => u.kind === 'seller');
  const account = async (unit, role, name) =>
    (await api('POST', '/api/v1/accounts', admin_token, { unit: unit.id, role, name })).token;
  tokens.warehouse = await account(units.warehouse, 'warehouse', '柜台测试仓管员');
  tokens.shop = await account(units.shop, 'operator', '柜台收银员');

  // Goods on their way to the shop, goods held back, and a lot the shop holds that is recalled.
  const pork = await released_lot('冻猪后腿', 500);
  codes.pork_root = pork.code;
  codes.pork = await dispatch(pork.code.id, units.shop, 50);
  codes.held = (await api('POST', '/api/v1/lots', tokens.warehouse, domestic('冻鸡翅', 100))).code;
  const beef = await released_lot('冻牛腱', 200);
  codes.beef = await dispatch(beef.code.id, units.shop, 20);
  await api('POST', '/api/v1/receive', tokens.shop, { code: codes.beef.id });
  await api('POST', '/api/v1/recalls', admin_token, { lot: beef.lot.id, reason: '外包装核酸阳性' });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function counter_page(lang = 'zh') {
  const page = await new_page(browser);
  await page.goto(server.base + '/console' + (lang === 'en' ? '?lang=en' : ''));
  await page.fill('#token', tokens.shop);
  await page.press('#token', 'Enter');
  await page.waitForSelector('#counter:not([hidden])');
  // On a phone the lists start folded: their rows are there all the same.
  await page.waitForSelector('#counter-stock-rows tr[data-code]', { state: 'attached' });
  return page;
}

// What a keyboard-wedge scanner does: types the code's text into the focused field, then Enter.
async function wedge_scan(page, text) {
  const before = await page.getAttribute('#counter-verdict', 'data-seq');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await page.waitForFunction((b) => document.querySelector('#counter-verdict').getAttribute('data-seq') !== b, before);
}

async function unfold(page, id) {
  if (!(await page.locator('#' + id).evaluate((d) => d.open))) await page.click(`#${id} > summary`);
}

async function no_serious_violations(page, what) {
  assert.deepEqual(await axe_violations(page), [], what);
}

describe('the counter', () => {
  it('receives a delivery from the scan field', async () => {
    const page = await counter_page();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'counter-scan');
    // The delivery awaits receipt; its row is in the stock, nothing received yet.
    const row = page.locator(`#counter-stock-rows tr[data-code="${codes.pork.id}"]`);
    assert.equal(await row.getAttribute('data-state'), 'pending');
    await page.click('#counter-mode-receive');
    assert.equal(await page.getAttribute('#counter-mode-receive', 'aria-pressed'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'counter-scan');
    // Typed by its printed number, as from a torn label.
    await wedge_scan(page, codes.pork.number);
    assert.equal(await page.getAttribute('#counter-verdict', 'data-state'), 'received');
    assert.match(await page.textContent('#counter-verdict-title'), /已收货/);
    assert.match(await page.textContent('#counter-verdict-text'), /冻猪后腿.*50 kg/);
    assert.equal(await page.getAttribute('#counter', 'data-sound'), 'ok');
    await page.waitForFunction((id) =>
      document.querySelector(`#counter-stock-rows tr[data-code="${id}"]`)?.dataset.state === 'active', codes.pork.id);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'counter-scan');
    // Again: already received, said in Chinese.
    await wedge_scan(page, codes.pork.url);
    assert.equal(await page.getAttribute('#counter-verdict', 'data-state'), 'error');
    assert.match(await page.textContent('#counter-verdict-text'), /已经收过货/);
    assert.equal(await page.getAttribute('#counter', 'data-sound'), 'refused');
    await screenshot(page, 'counter-received');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('sells by weight after a wedge scan, and is ready for the next scan at once', async () => {
    const page = await counter_page();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'counter-scan');
    await wedge_scan(page, codes.pork.url);
    assert.equal(await page.getAttribute('#counter-verdict', 'data-state'), 'allowed');
    assert.match(await page.textContent('#counter-verdict-title'), /可以销售/);
    assert.match(await page.textContent('#counter-verdict-text'), /冻猪后腿.*剩余 50 kg/);
    assert.equal(await page.getAttribute('#counter', 'data-sound'), 'ok');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'counter-kg');
    await screenshot(page, 'counter-allowed');
    await no_serious_violations(page, '/console (counter, allowed)');

    // More than is left is refused before anything is sent.
    await page.keyboard.type('60');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /不超过 50 kg/.test(document.querySelector('#counter-kg-hint').textContent));
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('1.5');
    const before = await page.getAttribute('#counter-verdict', 'data-seq');
    await page.keyboard.press('Enter');
    await page.waitForFunction((b) => document.querySelector('#counter-verdict').getAttribute('data-seq') !== b, before);
    assert.equal(await page.getAttribute('#counter-verdict', 'data-state'), 'sold');
    assert.match(await page.textContent('#counter-verdict-title'), /已记录售出 1\.5 kg，剩余 48\.5 kg/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'counter-scan');
    assert.equal(await page.isHidden('#counter-sale'), true);
    await page.waitForFunction(() => document.querySelector('#counter-checks li[data-sale="yes"]'));
    assert.match(await page.textContent('#counter-checks li[data-sale="yes"]'), /售出 1\.5 kg.*冻猪后腿/);
    await page.waitForFunction((id) =>
      document.querySelector(`#counter-stock-rows tr[data-code="${id}"] td:nth-child(6)`).textContent === '48.5', codes.pork.id);
    // The console's own list of codes follows the counter.
    await page.waitForFunction((id) => /48\.5 kg/.test(document.querySelector(`#code-rows tr[data-code="${id}"]`).textContent),
      codes.pork.id);

    // Escape skips the weight: the scan stays a look, nothing is sold.
    await wedge_scan(page, codes.pork.url);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'counter-kg');
    await page.keyboard.press('Escape');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'counter-scan');
    const sales = await server.api('GET', '/api/v1/sales?limit=1000', tokens.shop);
    assert.equal(sales.sales.filter((s) => s.code === codes.pork.id).length, 1);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('refuses a code not released and a code held elsewhere, saying why', async () => {
    const today = () => server.api('GET', `/api/v1/units/${units.shop.id}/today`, tokens.shop);
    const refused_before = (await today()).refused;
    const page = await counter_page();
    await wedge_scan(page, codes.held.url);
    assert.equal(await page.getAttribute('#counter-verdict', 'data-state'), 'refused');
    assert.match(await page.textContent('#counter-verdict-title'), /不得销售 · 未放行/);
    assert.match(await page.textContent('#counter-verdict-text'), /尚未通过监管仓检测放行/);
    assert.equal(await page.getAttribute('#counter', 'data-sound'), 'refused');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'counter-scan');
    assert.equal(await page.isHidden('#counter-sale'), true);
    await screenshot(page, 'counter-refused');
    await no_serious_violations(page, '/console (counter, refused)');
    // The warehouse's own code, typed by its number at the shop.
    await wedge_scan(page, codes.pork_root.number);
    assert.match(await page.textContent('#counter-verdict-title'), /持码单位不符/);
    assert.match(await page.textContent('#counter-verdict-text'), /此码不属于本单位/);
    // Both refusals are in today's list, with their reasons.
    await page.waitForFunction((n) => new RegExp(`拒售 ${n} 次`).test(document.querySelector('#counter-totals').textContent),
      refused_before + 2);
    const refused = await page.locator('#counter-checks li[data-sale="no"]').allTextContents();
    assert.match(refused[0], /持码单位不符.*冻猪后腿/);
    assert.match(refused[1], /未放行.*冻鸡翅/);
    await unfold(page, 'counter-today');
    await screenshot(page, 'counter-today');
    await no_serious_violations(page, '/console (counter, today)');
    assert.deepEqual(page.errors, []);
    await page.context().close();

    const en = await counter_page('en');
    await wedge_scan(en, codes.held.url);
    assert.match(await en.textContent('#counter-verdict-title'), /Do not sell · Not released/);
    assert.match(await en.textContent('#counter-verdict-text'), /has not passed the supervision warehouse/);
    await en.context().close();
  });

  it('lists the stock by code with the recalled lot on top', async () => {
    const page = await counter_page();
    await unfold(page, 'counter-stock');
    const rows = page.locator('#counter-stock-rows tr[data-code]');
    const states = await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.state));
    assert.equal(states[0], 'lot_recalled');
    const first_other = states.findIndex((s) => !/^lot_(recalled|quarantined)$/.test(s));
    assert.ok(states.slice(first_other).every((s) => !/^lot_(recalled|quarantined)$/.test(s)), states.join());
    const beef = page.locator(`#counter-stock-rows tr[data-code="${codes.beef.id}"]`);
    assert.equal(await beef.getAttribute('data-state'), 'lot_recalled');
    assert.deepEqual((await beef.locator('td').allTextContents()).slice(1),
      ['冻牛腱', '20', '0', '0', '20', '已召回']);
    await screenshot(page, 'counter-stock');
    await no_serious_violations(page, '/console (counter, stock)');
    // A scan while the list has the focus still lands in the scan field; a recalled code
    // scanned at the counter is refused as recalled.
    assert.notEqual(await page.evaluate(() => document.activeElement.id), 'counter-scan');
    await wedge_scan(page, codes.beef.url);
    assert.match(await page.textContent('#counter-verdict-title'), /不得销售 · 已召回/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
