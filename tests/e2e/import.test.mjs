// The console's import of a spreadsheet (issue 12), as a shop's operator meets it on a phone:
// a template downloaded from its link, a file checked first (the rows to fix listed by row
// number and column in Chinese, nothing written), then imported for real. In Debian's chromium
// against `coldtrace serve` on a fresh demo database; screenshots at 390×844 in
// $COLDTRACE_ARTIFACTS; axe finds no serious or critical violation.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
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
  const account = async (unit, role, name) =>
    (await api('POST', '/api/v1/accounts', admin_token, { unit: unit.id, role, name })).token;
  tokens.warehouse = await account(units.warehouse, 'warehouse', '导入测试仓管员');
  tokens.shop = await account(units.shop, 'operator', '导入测试摊主');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// A lot released at the warehouse, and a part of it dispatched to the shop (pending there).
async function code_for_shop() {
  const api = (m, p, b) => server.api(m, p, tokens.warehouse, b);
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const r = await api('POST', '/api/v1/lots', {
    product: '冻猪后腿', category: 'domestic_frozen', origin: 'CN', net_weight_g: 500_000,
    packages: 50, consignor: '金华屠宰场', vehicle: '浙G·12345',
  });
  const lot = r.lot.id;
  const s = await api('POST', `/api/v1/lots/${lot}/samples`, { type: 'food_surface', collected_at: now, collector: '采样员' });
  await api('POST', `/api/v1/samples/${s.id}/result`, { outcome: 'negative', lab: '疾控中心', report_number: 'R-' + lot, reported_at: now });
  await api('POST', `/api/v1/lots/${lot}/disinfections`, { agent: '过氧乙酸', operator: '消杀员', certificate: 'X-' + lot, performed_at: now });
  await api('POST', `/api/v1/lots/${lot}/release`, {});
  const child = await api('POST', '/api/v1/dispatch', { code: r.code.id, consignee: units.shop.id, quantity_g: 20_000 });
  return child.id;
}

const code_status = async (id) => (await server.api('GET', `/api/v1/codes/${id}`, tokens.shop)).status;

describe('the console import', () => {
  it('checks a file first, lists the rows to fix, then imports the good rows', async () => {
    const code = await code_for_shop();
    const page = await new_page(browser);
    await page.goto(server.base + '/console');
    await page.fill('#token', tokens.shop);
    await page.press('#token', 'Enter');
    await page.waitForSelector('#import-side:not([hidden])');
    if (!(await page.locator('#import-side').evaluate((d) => d.open))) await page.click('#import-side > summary');

    // The template behind the link is a workbook with the Chinese headers.
    const href = await page.getAttribute('#import-side a[href*="receipts.xlsx"]', 'href');
    const template = await page.request.get(server.base + href);
    assert.equal(template.status(), 200);
    assert.equal((await template.body()).subarray(0, 2).toString(), 'PK');

    const csv = '\ufeff参考号,追溯码\r\n' +
      `GRN-1,${code}\r\n` +      // row 2: the shop's pending code
      'GRN-2,999999\r\n' +       // row 3: no such code
      `,${code}\r\n`;            // row 4: no reference
    await page.setInputFiles('#import-file', { name: '收货.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.click('#import-check');
    await page.waitForFunction(() => /已检查/.test(document.querySelector('#import-result').textContent));
    assert.match(await page.textContent('#import-result'), /已检查 3 行：1 行可以导入，2 行需要修改/);
    const rows = await page.$$eval('#import-problems tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.equal(rows.length, 2);
    assert.deepEqual(rows.map((r) => r[0]), ['3', '4']);
    assert.equal(rows[0][1], '追溯码');
    assert.equal(rows[1][1], '参考号');
    assert.match(rows[1][2], /请填写/);
    assert.equal(await page.isVisible('#import-report'), true);
    assert.equal(await code_status(code), 'pending', 'a dry run writes nothing');
    await screenshot(page, 'import-dry-run');
    assert.deepEqual(await axe_violations(page), []);

    await page.click('#import-run');
    await page.waitForFunction(() => /已导入/.test(document.querySelector('#import-result').textContent));
    assert.match(await page.textContent('#import-result'), /已导入 3 行中的 1 行/);
    assert.equal(await code_status(code), 'active');
    await screenshot(page, 'import-done');
    assert.deepEqual(await axe_violations(page), []);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
