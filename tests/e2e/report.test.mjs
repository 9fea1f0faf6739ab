// The bureau's periodic report (issues 10 and 12): /report?from=&to= at phone size and as an A4
// print (print media emulated, and a PDF), its tables by category equal to GET /api/v1/stats,
// its charts, its XLSX download, zh and en; the dashboard's table by category and its link to
// the report. In Debian's chromium against `coldtrace serve` on a fresh demo database;
// screenshots (390×844 and A4) and the PDF in $COLDTRACE_ARTIFACTS.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { artifacts, axe_violations, launch, new_page, screenshot } from './lib/browser.mjs';
import { start_server } from './lib/server.mjs';

mkdirSync(artifacts, { recursive: true });
let server, browser, stats;
const tokens = {};
const day = (ms) => new Date(ms).toISOString().slice(0, 10);
// The demo's days and some before: what it made is in the period whatever day the test runs.
const period = { from: day(Date.now() - 90 * 86400e3), to: day(Date.now() + 86400e3) };
const a4 = { width: 794, height: 1123 }; // CSS pixels at 96 dpi

before(async () => {
  server = await start_server(process.env.COLDTRACE_BIN);
  browser = await launch();
  const { api, admin_token } = server;
  const all = (await api('GET', '/api/v1/units?limit=500', admin_token)).units;
  const regulator = all.find((u) => u.kind === 'regulator');
  tokens.admin = admin_token;
  tokens.inspector = (await api('POST', '/api/v1/accounts', admin_token,
    { unit: regulator.id, role: 'inspector', name: '报告测试执法员' })).token;
  stats = await api('GET', `/api/v1/stats?from=${period.from}&to=${period.to}`, tokens.inspector);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function sign_in(page, token) {
  await page.goto(server.base + '/');
  await page.evaluate((t) => sessionStorage.setItem('coldtrace.token', t), token);
}

async function open_report(lang = 'zh', token = tokens.inspector) {
  const page = await new_page(browser, { acceptDownloads: true });
  await sign_in(page, token);
  await page.goto(`${server.base}/report?from=${period.from}&to=${period.to}&lang=${lang}`);
  await page.waitForSelector('#report:not([hidden]) #report-by-category tbody tr');
  return page;
}

// The figures of a table's column, by row key, as numbers ("1,234" read as 1234).
async function column(page, table, key, col) {
  return page.$$eval(`#${table} tbody tr`, (rows, [key, col]) => Object.fromEntries(rows.map((r) =>
    [r.dataset[key], Number(r.querySelector(`td[data-col="${col}"]`).textContent.replace(/,/g, ''))])),
  [key, col]);
}

describe('the periodic report', () => {
  it('shows the figures by category as the API gives them, with charts, at phone size', async () => {
    assert.ok(stats.samples_taken > 0, 'the demo took samples in the period');
    const page = await open_report();
    const by = (k) => Object.fromEntries(stats.by_category.map((c) => [c.category, c[k]]));
    for (const k of ['samples_taken', 'results_negative', 'results_positive', 'results_pending',
      'disinfections', 'lots', 'recalls'])
      assert.deepEqual(await column(page, 'report-by-category', 'category', k), by(k), k);
    const total = async (col) => Number((await page.locator(`#report-by-category tfoot td[data-col="${col}"]`)
      .textContent()).replace(/,/g, ''));
    assert.equal(await total('samples_taken'), stats.samples_taken);
    assert.equal(await total('disinfections'), stats.disinfections);
    assert.equal(await page.locator('#report-by-category tbody tr').count(), 3);
    assert.match(await page.locator('#report-by-category tbody tr th').first().textContent(), /进口水果/);
    for (const id of ['report-chart-tonnes', 'report-chart-tests', 'report-chart-units'])
      assert.equal(await page.locator(`#${id} svg rect`).count() > 0, true, id);
    assert.match(await page.locator('#report-period').textContent(),
      new RegExp(`统计期间：${period.from} 至 ${period.to}`));
    assert.match(await page.locator('#report-summary').textContent(),
      new RegExp(`采集样本 ${stats.samples_taken.toLocaleString('zh-CN')} 份`));
    assert.match(await page.locator('#report-recalls-text').textContent(),
      new RegExp(`启动召回 ${stats.recalls} 次，涉及持有单位 ${stats.recall_progress.holders} 家`));
    assert.deepEqual(await axe_violations(page), [], 'axe on /report');
    await screenshot(page, 'report-phone-zh');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('prints on A4 without the controls, as a PDF too', async () => {
    const page = await open_report();
    await page.setViewportSize(a4);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('#report-range').isVisible(), false);
    assert.equal(await page.locator('header.bar').isVisible(), false);
    assert.equal(await page.locator('#report-by-category').isVisible(), true);
    // The charts stand two abreast on the page.
    const [a, b] = await page.$$eval('#report-category-charts .chart', (fs) => fs.map((f) => f.getBoundingClientRect().top));
    assert.ok(Math.abs(a - b) < 1, 'two charts on one row');
    await screenshot(page, 'report-print-a4');
    await page.pdf({ path: join(artifacts, 'report-a4.pdf'), format: 'A4', printBackground: true });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('reads in English, keeps the period across the language switch and downloads the XLSX', async () => {
    const page = await open_report('en', tokens.admin);
    assert.match(await page.locator('#report-by-category tbody tr th').first().textContent(), /Imported fruit/);
    assert.match(await page.locator('#report-period').textContent(), new RegExp(`Period: ${period.from} to ${period.to}`));
    const other = await page.getAttribute('.bar nav a[hreflang]', 'href');
    assert.match(other, new RegExp(`from=${period.from}&to=${period.to}&lang=zh`));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#xlsx')]);
    assert.equal(download.suggestedFilename(), `coldtrace-report-${period.from}-${period.to}.xlsx`);
    await screenshot(page, 'report-phone-en');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('asks for a sign-in without a token, and says what is wrong with a period backwards', async () => {
    const page = await new_page(browser);
    await page.goto(server.base + '/report');
    await page.waitForSelector('#report-login');
    assert.equal(await page.locator('#report').isVisible(), false);
    assert.equal(await page.locator('#report-range').isVisible(), false);
    await sign_in(page, tokens.inspector);
    await page.goto(`${server.base}/report?from=2024-07-01&to=2024-06-30`);
    await page.waitForFunction(() => /开始日期不能晚于结束日期/.test(document.querySelector('#report-status').textContent));
    assert.equal(await page.locator('#report').isVisible(), false);
    assert.deepEqual(await axe_violations(page), [], 'axe on /report (bad period)');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});

describe('the dashboard by category', () => {
  it('shows the table by category and links to the period\'s report', async () => {
    const page = await new_page(browser);
    await sign_in(page, tokens.admin);
    await page.goto(server.base + '/dashboard');
    await page.waitForSelector('#by-category tbody tr');
    await page.waitForSelector('#chart-categories svg');
    assert.equal(await page.locator('#by-category tbody tr').count(), 3);
    const href = await page.getAttribute('#report-link', 'href');
    assert.match(href, /^\/report\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/);
    assert.deepEqual(await axe_violations(page), [], 'axe on /dashboard');
    await screenshot(page, 'dashboard-by-category');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
