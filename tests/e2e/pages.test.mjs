// The pages in a real browser (Debian's chromium via playwright-core) against `coldtrace
// serve` on a fresh demo database: the verification page's verdicts in both languages and
// without JavaScript, the console's whole warehouse flow down to a label that scans, the
// scanner with a fake camera and offline, the dashboard, the poster as one A5 page, and
// axe-core on every page. Screenshots at 390×844 go to $COLDTRACE_ARTIFACTS.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { artifacts, axe_violations, launch, new_page, screenshot, y4m_from_png } from './lib/browser.mjs';
import { start_server } from './lib/server.mjs';
import { digits_of, forge, verdicts } from './verdicts.mjs';

mkdirSync(artifacts, { recursive: true });
let server, browser;
const tokens = {};
const units = {};
const flow = {}; // what the console flow made, for the later tests

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
  tokens.warehouse = await account(units.warehouse, 'warehouse', '测试仓管员');
  tokens.shop = await account(units.shop, 'operator', '测试摊主');
  tokens.inspector = await account(units.regulator, 'inspector', '测试执法员');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function expect_verdict(page, verdict, lang) {
  const [title, , sentence] = verdicts[verdict][lang];
  assert.equal((await page.locator('h1.verdict-title').textContent()).trim(), title);
  assert.equal((await page.locator('.verdict-sentence').textContent()).trim(), sentence);
}

async function no_serious_violations(page, what) {
  assert.deepEqual(await axe_violations(page), [], `axe on ${what}`);
}

// Logs in on the console (the token pasted, as a person would).
async function console_login(page, token) {
  await page.goto(server.base + '/console');
  await page.fill('#token', token);
  await page.press('#token', 'Enter');
  // An inspector lands on the scanner, an admin on the statistics (issue 15 §10); the
  // redirect can come before the console ever shows who is signed in.
  if (token === tokens.inspector) await page.waitForURL(/\/scan/);
  else if (token === tokens.admin) await page.waitForURL(/\/dashboard/);
  else await page.waitForSelector('#who:not([hidden])');
}

describe('the verification page', () => {
  const cases = () => [
    ['valid', server.codes['valid at a shop']],
    ['recalled', server.codes['recalled']],
    ['not_released', server.codes['not released']],
    ['forged', forge(server.codes['valid at a shop'])],
  ];

  it('shows each verdict in zh-CN (the default) and English (?lang=en)', async () => {
    const page = await new_page(browser);
    for (const [verdict, url] of cases()) {
      await page.goto(server.base + '/c/' + digits_of(url));
      await expect_verdict(page, verdict, 'zh');
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
      await screenshot(page, `verify-${verdict}-zh`);
      await no_serious_violations(page, `/c/ (${verdict})`);
      await page.goto(server.base + '/c/' + digits_of(url) + '?lang=en');
      await expect_verdict(page, verdict, 'en');
      await screenshot(page, `verify-${verdict}-en`);
    }
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('follows Accept-Language, and reads without JavaScript', async () => {
    const page = await new_page(browser, { javaScriptEnabled: false, locale: 'en-US' });
    for (const [verdict, url] of cases()) {
      await page.goto(server.base + '/c/' + digits_of(url));
      await expect_verdict(page, verdict, 'en');
      await page.goto(server.base + '/c/' + digits_of(url) + '?lang=zh');
      await expect_verdict(page, verdict, 'zh');
    }
    // The facts are in the HTML itself.
    await page.goto(server.base + '/c/' + digits_of(server.codes['valid at a shop']));
    assert.match(await page.locator('.facts').textContent(), /智利车厘子[\s\S]*上海市疾病预防控制中心/);
    await page.context().close();
  });

  it('shows the public view when signed out: no chain, no quantities, no labels', async () => {
    const url = server.codes['valid at a shop'];
    const page = await new_page(browser);
    await page.goto(server.base + '/c/' + digits_of(url));
    const text = await page.locator('main').textContent();
    assert.doesNotMatch(text, /\d kg/);
    assert.equal(await page.locator('#inspector').isHidden(), true);
    assert.equal(await page.locator('.chain').count(), 0);
    // The scanner signed out: the verify answer, without quantities.
    await page.goto(server.base + '/scan');
    await page.fill('#code-input', url);
    await page.press('#code-input', 'Enter');
    await page.waitForSelector('#results li[data-verdict="valid"]');
    assert.doesNotMatch(await page.locator('#results li').first().textContent(), /\d kg/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
    // The API answer itself, and the labels: the harvest, refused.
    const v = await (await fetch(server.base + '/api/v1/verify?code=' + encodeURIComponent(url))).json();
    assert.equal(v.verdict, 'valid');
    for (const key of ['chain', 'quantity_g', 'remaining_g']) assert.ok(!JSON.stringify(v).includes(`"${key}"`), key);
    for (let id = 1; id <= 5; id++)
      assert.equal((await fetch(`${server.base}/api/v1/codes/${id}/label.png`)).status, 401);
  });

  it('answers a malformed code with a page, not an error', async () => {
    const res = await fetch(server.base + '/c/12345');
    assert.equal(res.status, 404);
    assert.match(await res.text(), /无法识别/);
    assert.match(res.headers.get('content-security-policy'), /script-src 'self'/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  });
});

describe('the console', () => {
  it('takes a lot from intake to release and prints a label that scans to a valid code', async () => {
    const page = await new_page(browser, { deviceScaleFactor: 2 });
    await page.addInitScript(() => {
      window.print = () => (window.printed = (window.printed || 0) + 1);
    });
    await console_login(page, tokens.warehouse);
    assert.match(await page.textContent('#who-text'), /测试仓管员/);

    // Intake as a keyboard-wedge scanner does it: a value, then Enter.
    await page.fill('#in-product', '挪威冰鲜三文鱼');
    await page.selectOption('#in-category', 'imported_fruit');
    await page.fill('#in-origin', 'NO');
    await page.press('#in-origin', 'Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'in-weight');
    await page.keyboard.type('1200');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'in-packages');
    await page.keyboard.type('240');
    await page.keyboard.press('Enter');
    await page.keyboard.type('上海海鲜进出口有限公司');
    await page.fill('#in-customs', '220120249999000123');
    await page.fill('#in-quarantine', '310000202499001');
    await page.fill('#in-vehicle', 'MSKU7777777');
    await page.press('#in-vehicle', 'Enter');
    await page.waitForSelector('#lot:not([hidden])');
    const lot_title = await page.textContent('#lot-title');
    assert.match(lot_title, /挪威冰鲜三文鱼/);
    await screenshot(page, 'console-intake');

    // Release refuses, saying which rule fails.
    await page.click('#release');
    await page.waitForFunction(() => document.querySelector('#release-result').textContent.length > 0);
    assert.match(await page.textContent('#release-result'), /不能放行.*还没有样品/);

    for (const type of ['outer_packaging', 'food_surface']) {
      if (!(await page.locator('#sample-box').evaluate((d) => d.open))) await page.click('#sample-box summary');
      await page.selectOption('#sa-type', type);
      await page.fill('#sa-collector', '采样员 测试');
      await page.click('#sample-form button[type=submit]');
      await page.waitForFunction((n) => document.querySelectorAll('#sample-list li').length === n,
        type === 'outer_packaging' ? 1 : 2);
    }
    for (let i = 0; i < 2; i++) {
      if (!(await page.locator('#result-box').evaluate((d) => d.open))) await page.click('#result-box summary');
      await page.fill('#re-lab', '上海市疾病预防控制中心');
      await page.fill('#re-report', 'E2E-' + i);
      await page.click('#result-form button[type=submit]');
      await page.waitForFunction((n) => document.querySelectorAll('#sample-list .negative').length === n, i + 1);
    }
    await page.click('#release');
    await page.waitForFunction(() => /消毒/.test(document.querySelector('#release-result').textContent));

    await page.click('#disinfection-box summary');
    await page.fill('#di-agent', '过氧乙酸 0.5%');
    await page.fill('#di-operator', '消杀员 测试');
    await page.fill('#di-cert', 'XS-E2E-1');
    await page.click('#disinfection-form button[type=submit]');
    await page.waitForFunction(() => document.querySelectorAll('#disinfection-list li').length === 1);

    await page.click('#release');
    await page.waitForFunction(() => /已放行/.test(document.querySelector('#release-result').textContent));
    await screenshot(page, 'console-released');

    await page.click('#label-link');
    await page.waitForSelector('#label:not([hidden])');
    await page.waitForFunction(() => document.querySelector('#label-img').complete && window.printed === 1);
    await no_serious_violations(page, '/console (warehouse)');
    const png = join(artifacts, 'console-label.png');
    await page.locator('#label-img').screenshot({ path: png });
    const url = execFileSync('zbarimg', ['--raw', '-q', png], { encoding: 'utf8' }).trim();
    assert.match(url, /^https:\/\/127\.0\.0\.1:\d+\/c\/\d+$/);
    const verified = await (await fetch(server.base + '/api/v1/verify?code=' + encodeURIComponent(url))).json();
    assert.equal(verified.verdict, 'valid');
    assert.equal(verified.facts.product, '挪威冰鲜三文鱼');
    flow.root_url = url;

    // Dispatch part of it to a market stall: the child code waits for the stall's scan.
    // On a phone a warehouse's dispatch section starts folded (issue 15 §9).
    if (!(await page.locator('#dispatch-side').evaluate((d) => d.open))) await page.click('#dispatch-side > summary');
    await page.selectOption('#dp-code', String(verified.facts.code));
    await page.selectOption('#dp-consignee', { label: units.shop.name });
    await page.fill('#dp-kg', '100');
    await page.click('#dispatch-form button[type=submit]');
    await page.waitForSelector('#dispatched-link');
    flow.child_path = await page.getAttribute('#dispatched-link', 'href');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('shows a dispatched code as pending receipt, in both languages and without JavaScript', async () => {
    const page = await new_page(browser, { javaScriptEnabled: false });
    await page.goto(server.base + flow.child_path);
    await expect_verdict(page, 'pending_receipt', 'zh');
    await page.goto(server.base + flow.child_path + '?lang=en');
    await expect_verdict(page, 'pending_receipt', 'en');
    await page.context().close();
  });

  it('lets the consignee receive by scan and print the poster', async () => {
    const page = await new_page(browser);
    await console_login(page, tokens.shop);
    // What a scanner reads off the child's label: its https URL.
    await page.fill('#receive-code', `https://127.0.0.1:${server.port}${flow.child_path}`);
    await page.press('#receive-code', 'Enter');
    await page.waitForFunction(() => /已收货/.test(document.querySelector('#receive-status').textContent));
    assert.equal(await page.evaluate(() => document.activeElement.id), 'receive-code');
    // On a phone the codes' section may start folded (issue 15): open it as a user would.
    if (!(await page.locator('#codes-side').evaluate((d) => d.open))) await page.click('#codes-side > summary');
    const poster = page.locator('#code-rows a[href^="/poster/"]:visible').first();
    await poster.waitFor();
    await screenshot(page, 'console-unit');
    await no_serious_violations(page, '/console (unit)');
    await poster.click();
    await page.waitForSelector('.poster');
    assert.match(await page.textContent('.poster-product'), /挪威冰鲜三文鱼/);
    // The holder, signed in in this tab, gets the QR; it scans to the code.
    await page.waitForFunction(() => document.querySelector('#poster-qr img')?.complete);
    assert.equal(await page.isDisabled('#print'), false);
    const poster_png = join(artifacts, 'poster-qr.png');
    await page.locator('#poster-qr img').screenshot({ path: poster_png });
    assert.equal(execFileSync('zbarimg', ['--raw', '-q', poster_png], { encoding: 'utf8' }).trim(),
      `https://127.0.0.1:${server.port}${flow.child_path}`);
    await page.goto(server.base + flow.child_path);
    await expect_verdict(page, 'valid', 'zh');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});

describe('the inspector on the verification page', () => {
  it('sees the chain and records a code shown at the wrong unit', async () => {
    for (const lang of ['zh', 'en']) {
      const page = await new_page(browser);
      await console_login(page, tokens.inspector);
      await page.goto(server.base + '/c/' + digits_of(server.codes['valid at a shop']) + '?panel=inspector&lang=' + lang);
      await page.waitForSelector('#finding-form');
      assert.ok((await page.locator('#inspector .chain li').count()) >= 3, 'root, wholesaler, shop');
      // The code belongs to another shop than the stall inspected.
      await page.selectOption('#finding-unit', { label: units.shop.name });
      await page.fill('#finding-uncoded', '1');
      await page.click('#finding-form button[type=submit]');
      await page.waitForSelector('#finding-form .status[data-verdict]');
      assert.equal(await page.getAttribute('#finding-form .status', 'data-verdict'), 'wrong_holder');
      assert.ok((await page.textContent('#finding-form .status')).includes(verdicts.wrong_holder[lang][1]));
      if (lang === 'zh') {
        await screenshot(page, 'verify-inspector');
        await no_serious_violations(page, '/c/ (inspector)');
      }
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
  });
});

describe('the scanner', () => {
  let camera_browser;
  after(async () => camera_browser?.close());

  it('reads a label from the camera, then verifies offline when the network is cut', async () => {
    // The label of the valid demo code, as the fake camera's only picture.
    const setup = await new_page(browser);
    await setup.goto(server.base + '/');
    const valid = await (await fetch(server.base + '/api/v1/verify?code=' +
      encodeURIComponent(server.codes['valid at a shop']))).json();
    const video = join(artifacts, 'camera.y4m');
    // Labels are for signed-in units: fetched with a token, handed to the page as a data URL.
    const label = await fetch(`${server.base}/api/v1/codes/${valid.facts.code}/label.png?px=6`,
      { headers: { Authorization: 'Bearer ' + tokens.inspector } });
    assert.equal(label.status, 200);
    const data_url = 'data:image/png;base64,' + Buffer.from(await label.arrayBuffer()).toString('base64');
    await y4m_from_png(setup, data_url, video);
    await setup.context().close();

    camera_browser = await launch(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`]);
    const page = await new_page(camera_browser, { permissions: ['camera'] });
    await console_login(page, tokens.inspector);
    await page.goto(server.base + '/scan?lang=en');
    await page.waitForFunction(() => /as of \d{4}-/.test(document.querySelector('#list-status').textContent));
    await page.click('#start');
    await page.waitForSelector('#results li[data-verdict]', { timeout: 30000 });
    const first = page.locator('#results li').first();
    assert.equal(await first.getAttribute('data-verdict'), 'valid');
    assert.match(await first.textContent(), /verified online/);
    await page.click('#stop');
    await screenshot(page, 'scan');
    await no_serious_violations(page, '/scan');

    // No network: the signature and the signed list decide, in the browser.
    await page.route('**/api/**', (route) => route.abort());
    await page.click('#start');
    await page.waitForFunction(() => document.querySelectorAll('#results li').length >= 2, null, { timeout: 30000 });
    await page.click('#stop');
    const offline = page.locator('#results li').first();
    assert.equal(await offline.getAttribute('data-verdict'), 'valid');
    assert.match(await offline.textContent(), /verified offline — list as of \d{4}-\d\d-\d\d \d\d:\d\d/);
    for (const [verdict, url] of [['recalled', server.codes['recalled']], ['not_released', server.codes['not released']],
      ['forged', forge(server.codes['valid at a shop'])]]) {
      await page.fill('#code-input', url);
      await page.press('#code-input', 'Enter');
      await page.waitForFunction((v) => document.querySelector('#results li').dataset.verdict === v, verdict);
      assert.match(await page.locator('#results li').first().textContent(), /verified offline/);
    }
    await screenshot(page, 'scan-offline');

    // Offline fails closed. A lot taken in after the page cached the list (held, never
    // released): its genuine code is "status not confirmed", never valid.
    const late = await server.api('POST', '/api/v1/lots', tokens.warehouse, {
      product: '冻带鱼', category: 'domestic_frozen', origin: 'CN', net_weight_g: 100000, packages: 10,
      consignor: '舟山水产', vehicle: '浙L·12345',
    });
    const not_confirmed = async (url, why) => {
      const before = await page.locator('#results li').count();
      await page.fill('#code-input', url);
      await page.press('#code-input', 'Enter');
      await page.waitForFunction((n) => document.querySelectorAll('#results li').length > n, before);
      const item = page.locator('#results li').first();
      assert.equal(await item.getAttribute('data-verdict'), 'unknown');
      assert.equal(await item.getAttribute('data-confirmed'), 'false');
      assert.equal(await item.getAttribute('data-not-confirmed'), why);
      const text = await item.textContent();
      assert.match(text, /Genuine label, status not confirmed[\s\S]*not been confirmed since \d{4}-\d\d-\d\d \d\d:\d\d/);
      assert.doesNotMatch(text, /Valid|有效/);
    };
    await not_confirmed(late.code.url, 'beyond_list');
    // A list more than 24 hours old confirms nothing, not even a code it covers.
    await page.clock.setFixedTime(Date.now() + 25 * 3600 * 1000);
    await not_confirmed(server.codes['valid at a shop'], 'list_too_old');
    await screenshot(page, 'scan-offline-not-confirmed');
    await page.unroute('**/api/**');

    // The codes seen become one inspection.
    await page.fill('#unit-search', units.shop.name);
    await page.click(`#unit-matches button[data-unit="${units.shop.id}"]`);
    await page.fill('#uncoded', '2');
    await page.click('#inspection-form button[type=submit]');
    await page.waitForFunction(() => /Inspection recorded/.test(document.querySelector('#inspection-status').textContent));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});

describe('the dashboard', () => {
  it('draws its charts for the demo data', async () => {
    const page = await new_page(browser);
    await console_login(page, tokens.admin);
    await page.goto(server.base + '/dashboard');
    await page.waitForSelector('#chart-units svg');
    assert.equal(await page.locator('#charts figure.chart').count(), 10);
    for (const id of ['intake', 'lots', 'tests', 'codes', 'scans', 'denials', 'inspections', 'units',
      'categories', 'recalls'])
      assert.ok((await page.locator(`#chart-${id} svg rect`).count()) > 0, `bars in #chart-${id}`);
    const download = page.waitForEvent('download');
    await page.click('#csv');
    const csv = readFileSync(await (await download).path(), 'utf8');
    assert.match(csv, /"起始日期","截止日期","入仓量（吨）"/);
    await screenshot(page, 'dashboard');
    await no_serious_violations(page, '/dashboard');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});

describe('the poster', () => {
  it('shows no QR to someone not signed in', async () => {
    const page = await new_page(browser);
    await page.goto(server.base + '/poster/' + digits_of(server.codes['valid at a shop']));
    await page.waitForSelector('#poster-sign-in:not([hidden])');
    assert.equal(await page.locator('#poster-qr img, #poster-qr svg').count(), 0);
    assert.equal(await page.isDisabled('#print'), true);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('prints on one A5 page', async () => {
    const page = await new_page(browser);
    await console_login(page, tokens.admin);
    await page.goto(server.base + '/poster/' + digits_of(server.codes['valid at a shop']));
    assert.match(await page.textContent('.poster-product'), /智利车厘子/);
    await page.waitForFunction(() => document.querySelector('#poster-qr img')?.complete);
    await screenshot(page, 'poster');
    await no_serious_violations(page, '/poster/');
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    writeFileSync(join(artifacts, 'poster.pdf'), pdf);
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || [];
    assert.equal(pages.length, 1);
    const box = pdf.toString('latin1').match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/);
    // A5 is 148 × 210 mm = 419.5 × 595.3 pt.
    assert.ok(Math.abs(Number(box[1]) - 419.5) < 2 && Math.abs(Number(box[2]) - 595.3) < 2, box[0]);
    await page.context().close();
  });
});

describe('the other pages', () => {
  it('render, pass axe, and serve their assets with ETags', async () => {
    const page = await new_page(browser);
    for (const path of ['/', '/scan', '/console', '/dashboard']) {
      await page.goto(server.base + path);
      await screenshot(page, 'page' + (path === '/' ? '-index' : path.replace('/', '-')));
      await no_serious_violations(page, path);
    }
    assert.deepEqual(page.errors, []);
    await page.context().close();
    const css = await fetch(server.base + '/assets/site.css');
    const etag = css.headers.get('etag');
    assert.ok(etag);
    const again = await fetch(server.base + '/assets/site.css', { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
  });
});
