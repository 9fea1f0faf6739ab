// The operator console as its users meet it (issue 15): errors in Chinese, one request per
// click, a scanner's Enter that stops at every field the API requires, a dispatch list of
// codes that can be dispatched, a label printed at label size with its short number,
// answers beside the form, the release checklist, countries by name, a phone layout with
// 44 px targets, and each role landing where its work is. In Debian's chromium against
// `coldtrace serve` on a fresh demo database; screenshots at 390×844 in $COLDTRACE_ARTIFACTS.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { artifacts, axe_violations, launch, new_page, screenshot } from './lib/browser.mjs';
import { start_server } from './lib/server.mjs';

mkdirSync(artifacts, { recursive: true });
let server, browser;
const tokens = {};
const units = {};

before(async () => {
  server = await start_server(process.env.COLDTRACE_BIN);
  browser = await launch();
  const { api, admin_token } = server;
  const all = (await api('GET', '/api/v1/units?limit=500', admin_token)).units;
  units.warehouse = all.find((u) => u.name === '上海浦东进口冷链食品集中监管仓');
  units.shop = all.find((u) => u.name === '静安区大统路菜市场3号摊位');
  units.regulator = all.find((u) => u.kind === 'regulator');
  const account = async (unit, role, name) =>
    (await api('POST', '/api/v1/accounts', admin_token, { unit: unit.id, role, name })).token;
  tokens.admin = admin_token;
  tokens.warehouse = await account(units.warehouse, 'warehouse', '控制台仓管员');
  tokens.shop = await account(units.shop, 'operator', '控制台摊主');
  tokens.inspector = await account(units.regulator, 'inspector', '控制台执法员');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// A page with window.print counted instead of opening a dialog.
async function console_page(options = {}) {
  const page = await new_page(browser, options);
  await page.addInitScript(() => {
    window.print = () => (window.printed = (window.printed || 0) + 1);
  });
  return page;
}

async function login(page, token, lang = 'zh') {
  await page.goto(server.base + '/console' + (lang === 'en' ? '?lang=en' : ''));
  await page.fill('#token', token);
  await page.press('#token', 'Enter');
  await page.waitForSelector('#who:not([hidden])');
}

const domestic = {
  product: '冻猪后腿', category: 'domestic_frozen', origin: 'CN', net_weight_g: 500_000,
  packages: 50, consignor: '金华屠宰场', vehicle: '浙G·12345',
};
const take_in = async (body = domestic) =>
  server.api('POST', '/api/v1/lots', tokens.warehouse, body);
const count_lots = async () =>
  (await server.api('GET', '/api/v1/lots?limit=1000', tokens.warehouse)).lots.length;
const has_latin_word = (s) => /[A-Za-z]{4,}/.test(s);

// A lot the warehouse may release: samples, negative results, a disinfection, then release.
async function released_lot() {
  const r = await take_in();
  const lot = r.lot.id;
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const s = await server.api('POST', `/api/v1/lots/${lot}/samples`, tokens.warehouse,
    { type: 'food_surface', collected_at: now, collector: '采样员' });
  await server.api('POST', `/api/v1/samples/${s.id}/result`, tokens.warehouse,
    { outcome: 'negative', lab: '疾控中心', report_number: 'R-' + lot, reported_at: now });
  await server.api('POST', `/api/v1/lots/${lot}/disinfections`, tokens.warehouse,
    { agent: '过氧乙酸', operator: '消杀员', certificate: 'X-' + lot, performed_at: now });
  await server.api('POST', `/api/v1/lots/${lot}/release`, tokens.warehouse, {});
  return r;
}

// Opens a folded section (on a phone, what is not the role's first task starts folded).
async function unfold(page, id) {
  if (!(await page.locator('#' + id).evaluate((d) => d.open))) await page.click(`#${id} > summary`);
}

async function open_lot(page, id) {
  await unfold(page, 'lots');
  await page.selectOption('#lot-status', '');
  await page.click(`#lot-rows button[aria-label$=" ${id}"]`);
  await page.waitForFunction((id) => document.querySelector('#lot-title').textContent.includes(String(id)), id);
}

describe('the console', () => {
  it('says API errors in Chinese, and in English on the English page (§1)', async () => {
    const { lot } = await take_in();
    for (const lang of ['zh', 'en']) {
      const page = await console_page();
      await login(page, tokens.warehouse, lang);
      await open_lot(page, lot.id);
      await page.click('#release');
      await page.waitForFunction(() => document.querySelector('#release-result').textContent.length > 0);
      const said = await page.textContent('#release-result');
      if (lang === 'zh') {
        assert.match(said, new RegExp(`不能放行：批次 ${lot.id} 还没有样品`));
        assert.equal(has_latin_word(said), false, said);
        await screenshot(page, 'console-error-zh');
      } else {
        assert.match(said, /Cannot release: lot \d+ has no sample/);
      }
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
  });

  it('sends one intake and one dispatch for a double click, with an Idempotency-Key (§2)', async () => {
    const page = await console_page();
    const keys = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && /\/api\/v1\/(lots|dispatch)$/.test(r.url())) keys.push(r.headers()['idempotency-key']);
    });
    // Every request answers slowly, as over a poor network, so the second click lands in flight.
    await page.route('**/api/v1/**', async (route) => {
      await new Promise((r) => setTimeout(r, 300));
      await route.continue();
    });
    await login(page, tokens.warehouse);
    const before = await count_lots();
    await page.fill('#in-product', '冻鸡翅');
    await page.selectOption('#in-category', 'domestic_frozen');
    await page.fill('#in-origin', 'CN');
    await page.fill('#in-weight', '80');
    await page.fill('#in-packages', '8');
    await page.fill('#in-consignor', '山东禽业');
    await page.fill('#in-vehicle', '鲁B·55555');
    await page.dblclick('#intake-form button[type=submit]');
    await page.waitForFunction(() => /已入仓/.test(document.querySelector('#intake-status').textContent));
    assert.equal(await count_lots(), before + 1);

    const root = (await released_lot()).code;
    await page.reload();
    await page.waitForSelector('#who:not([hidden])');
    await page.waitForSelector(`#dp-code option[value="${root.id}"]`, { state: 'attached' });
    await unfold(page, 'dispatch-side');
    await page.selectOption('#dp-code', String(root.id));
    await page.selectOption('#dp-consignee', { label: units.shop.name });
    await page.fill('#dp-kg', '10');
    await page.dblclick('#dispatch-form button[type=submit]');
    await page.waitForSelector('#dispatched-link');
    await page.waitForTimeout(700);
    const children = (await server.api('GET', '/api/v1/codes?limit=1000', tokens.shop)).codes
      .filter((c) => c.lot === root.lot);
    assert.equal(children.length, 1, 'one child code');
    assert.equal(keys.length, 2, 'one request each');
    assert.ok(keys.every((k) => /^[0-9a-f]{32}$/.test(k)), 'each carries an Idempotency-Key');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it("stops a scanner's Enter at each field the API requires, per category (§3)", async () => {
    const page = await console_page();
    await login(page, tokens.warehouse);
    const before = await count_lots();
    await page.fill('#in-product', '南非橙');
    await page.selectOption('#in-category', 'imported_fruit');
    await page.fill('#in-origin', 'ZA');
    await page.press('#in-origin', 'Enter');
    await page.keyboard.type('20000');
    await page.keyboard.press('Enter');
    await page.keyboard.type('2000');
    await page.keyboard.press('Enter');
    await page.keyboard.type('深圳果品进出口');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'in-vehicle');
    await page.keyboard.type('MSKU1234567');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'in-customs');
    await page.keyboard.type('12345');
    await page.keyboard.press('Enter');
    // Not 18 digits: the form does not send it.
    assert.equal(await page.evaluate(() => document.querySelector('#in-customs').validity.valid), false);
    await page.fill('#in-customs', '220120249999000777');
    await page.press('#in-customs', 'Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'in-quarantine');
    assert.equal(await count_lots(), before, 'nothing sent before every required field');
    await page.keyboard.type('310000202499777');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /已入仓/.test(document.querySelector('#intake-status').textContent));
    assert.equal(await count_lots(), before + 1);
    // A domestic lot needs no import documents: they are optional again.
    await page.selectOption('#in-category', 'domestic_frozen');
    assert.equal(await page.evaluate(() => document.querySelector('#in-customs').required), false);
    assert.match(await page.textContent('#in-customs-label'), /选填/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('lists only codes that can be dispatched, says why the others cannot, shows their real state (§4)', async () => {
    const held = await take_in();
    const ready = await released_lot();
    const page = await console_page();
    await login(page, tokens.warehouse);
    await page.waitForSelector(`#dp-code option[value="${ready.code.id}"]`, { state: 'attached' });
    const options = await page.$$eval('#dp-code option', (o) => o.map((x) => x.value));
    assert.ok(!options.includes(String(held.code.id)), 'a code of a held lot is not offered');
    const why = await page.textContent(`#undispatchable li[data-code="${held.code.id}"]`);
    assert.match(why, /批次尚未放行/);
    const state = await page.textContent(`#code-rows tr[data-code="${held.code.id}"] td:nth-child(5)`);
    assert.equal(state, '批次未放行');
    assert.equal(await page.textContent(`#code-rows tr[data-code="${ready.code.id}"] td:nth-child(5)`), '在库');
    await page.locator('#dispatch-side').scrollIntoViewIfNeeded();
    await screenshot(page, 'console-dispatch-list');
    await page.context().close();
  });

  it("prints a child code's label at once, alone, at label size with its short number (§5)", async () => {
    const ready = await released_lot();
    const page = await console_page();
    await login(page, tokens.warehouse);
    await page.waitForSelector(`#dp-code option[value="${ready.code.id}"]`, { state: 'attached' });
    await unfold(page, 'dispatch-side');
    await page.selectOption('#dp-code', String(ready.code.id));
    await page.selectOption('#dp-consignee', { label: units.shop.name });
    await page.fill('#dp-kg', '25');
    await page.click('#dispatch-form button[type=submit]');
    await page.waitForSelector('#dispatch-print:not([hidden])');
    await page.click('#dispatched-print');
    await page.waitForFunction(() => window.printed === 1);
    const child = (await server.api('GET', '/api/v1/codes?limit=1000', tokens.shop)).codes
      .find((c) => c.lot === ready.lot.id);
    const number = await page.textContent('#print-number');
    assert.equal(number, child.number || String(child.id));
    await page.emulateMedia({ media: 'print' });
    const shown = await page.evaluate(() => Array.from(document.querySelectorAll('main > *'))
      .filter((n) => getComputedStyle(n).display !== 'none').map((n) => n.id));
    assert.deepEqual(shown, ['print-sheet'], 'only the label prints');
    await page.screenshot({ path: join(artifacts, 'console-label-print.png') });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    writeFileSync(join(artifacts, 'console-label.pdf'), pdf);
    const text = pdf.toString('latin1');
    const pages = text.match(/\/Type\s*\/Page[^s]/g) || [];
    assert.equal(pages.length, 1, 'one page');
    const box = text.match(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/);
    const mm = (pt) => Math.round(Number(pt) * 25.4 / 72);
    assert.deepEqual([mm(box[1]), mm(box[2])], [40, 50], 'a 40 × 50 mm label, not A4');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('answers beside the form just used, and shows the release checklist (§6, §7)', async () => {
    const { lot } = await take_in();
    const page = await console_page();
    await login(page, tokens.warehouse);
    await open_lot(page, lot.id);
    const checks = async () => page.$$eval('#checklist li', (l) => l.map((x) => [x.dataset.check, x.dataset.done]));
    assert.deepEqual(await checks(), [['samples', 'no'], ['results', 'no'], ['disinfection', 'no'], ['documents', 'yes']]);
    await page.click('#sample-box summary');
    await page.fill('#sa-collector', '采样员');
    await page.click('#sample-form button[type=submit]');
    await page.waitForFunction(() => /已保存/.test(document.querySelector('#sample-status').textContent));
    const box = await page.locator('#sample-status').boundingBox();
    assert.ok(box.y >= 0 && box.y + box.height <= 844, 'the confirmation is on screen');
    assert.deepEqual(await checks(), [['samples', 'yes'], ['results', 'no'], ['disinfection', 'no'], ['documents', 'yes']]);
    await screenshot(page, 'console-checklist');
    assert.deepEqual(await axe_violations(page), [], 'axe on the console (warehouse)');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('offers countries by name and lists lots by country name (§8)', async () => {
    const page = await console_page();
    await login(page, tokens.warehouse);
    await page.fill('#in-product', '南非葡萄柚');
    await page.selectOption('#in-category', 'imported_fruit');
    const zh_names = await page.$$eval('#countries option', (o) => o.map((x) => x.value));
    assert.ok(zh_names.includes('南非（ZA）'), 'the list has 南非');
    await page.fill('#in-origin', '南非');
    assert.match(await page.textContent('#in-origin-hint'), /南非 · ZA/);
    await page.fill('#in-weight', '10');
    await page.fill('#in-packages', '1');
    await page.fill('#in-consignor', '果品公司');
    await page.fill('#in-vehicle', 'MSKU7654321');
    await page.fill('#in-customs', '220120249999000888');
    await page.fill('#in-quarantine', '310000202499888');
    await page.click('#intake-form button[type=submit]');
    await page.waitForFunction(() => /已入仓/.test(document.querySelector('#intake-status').textContent));
    const lots = (await server.api('GET', '/api/v1/lots?limit=1000', tokens.warehouse)).lots;
    assert.equal(lots.find((l) => l.product === '南非葡萄柚').origin, 'ZA');
    await page.waitForFunction(() => /南非/.test(document.querySelector('#lot-rows').textContent));
    await page.context().close();
  });

  it('takes a lot in with its details and finds it by its batch (§8, issue 11)', async () => {
    const page = await console_page();
    await login(page, tokens.warehouse);
    await page.fill('#in-product', '冷冻猪后腿');
    await page.selectOption('#in-category', 'domestic_frozen');
    await page.fill('#in-origin', 'CN');
    await page.fill('#in-weight', '500');
    await page.fill('#in-packages', '25');
    await page.fill('#in-consignor', '金华肉联厂');
    await page.fill('#in-vehicle', '浙G·66881');
    await page.click('#in-more summary');
    await page.fill('#in-manufacturer', '金华肉联厂');
    await page.fill('#in-production', '2024-05-02');
    await page.fill('#in-batch', 'JH-0502-B');
    await page.fill('#in-temp', '-18');
    await page.fill('#in-animal', '3307821234');
    await page.click('#intake-form button[type=submit]');
    await page.waitForFunction(() => /已入仓/.test(document.querySelector('#intake-status').textContent));
    // The lot opens with what was given.
    await page.waitForFunction(() => /JH-0502-B/.test(document.querySelector('#lot-facts').textContent));
    const facts = await page.textContent('#lot-facts');
    for (const part of ['金华肉联厂', '2024-05-02', '-18 ℃', '3307821234']) assert.ok(facts.includes(part), part);
    // Found by its batch, whatever the status filter says (the list folds while a lot is open).
    if (!(await page.$eval('#lots', (d) => d.open))) await page.click('#lots summary');
    await page.selectOption('#lot-status', '');
    await page.selectOption('#lot-search-by', 'batch_number');
    await page.fill('#lot-search', 'JH-0502-B');
    await page.press('#lot-search', 'Enter');
    await page.waitForFunction(() => document.querySelectorAll('#lot-rows tr').length === 1
      && /冷冻猪后腿/.test(document.querySelector('#lot-rows').textContent));
    await page.fill('#lot-search', 'no-such-batch');
    await page.press('#lot-search', 'Enter');
    await page.waitForFunction(() => !/冷冻猪后腿/.test(document.querySelector('#lot-rows').textContent));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('fits a phone: 44 px targets and sections that fold (§9)', async () => {
    for (const [who, token] of [['warehouse', tokens.warehouse], ['unit', tokens.shop]]) {
      const page = await console_page();
      await login(page, token);
      await page.waitForTimeout(500);
      const small = await page.evaluate(() => Array.from(document.querySelectorAll('a, button, input, select, summary'))
        .filter((n) => n.offsetParent !== null && !n.closest('.visually-hidden') && n.getBoundingClientRect().right > 0)
        .map((n) => [n.id || n.textContent.trim().slice(0, 12) || n.tagName, n.getBoundingClientRect()])
        .filter(([, r]) => r.height < 44 || r.width < 44).map(([n, r]) => `${n} ${Math.round(r.width)}×${Math.round(r.height)}`));
      assert.deepEqual(small, [], `targets under 44 px (${who})`);
      const folds = await page.$$eval('details.fold:not([hidden])', (d) => d.map((x) => x.open));
      assert.ok(folds.length >= 3 && folds.includes(false), 'sections fold, the secondary ones folded');
      // The demo's recall notice (the shop holds recalled goods) stands above the routine
      // sections on purpose; those sections are what must fold to fit a phone.
      const height = await page.evaluate(() => document.documentElement.scrollHeight
        - (document.querySelector('#recall-notices:not([hidden])')?.offsetHeight ?? 0));
      assert.ok(height < 2000, `the page is ${height} px tall, the recall notice aside (${who})`);
      await screenshot(page, `console-phone-${who}`);
      assert.deepEqual(await axe_violations(page), [], `axe on the console (${who})`);
      await page.context().close();
    }
  });

  it('lands each role where its work is (§10)', async () => {
    for (const [token, path] of [[tokens.inspector, '/scan'], [tokens.admin, '/dashboard']]) {
      const page = await console_page();
      await page.goto(server.base + '/console');
      await page.fill('#token', token);
      await page.press('#token', 'Enter');
      await page.waitForURL((u) => u.pathname === path);
      await page.context().close();
    }
  });
});
