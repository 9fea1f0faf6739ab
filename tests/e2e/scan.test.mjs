// Issue 15, the scanner, in a real browser against `coldtrace serve` on a fresh demo database:
// the camera buttons and errors, the inspected unit chosen first by search (so each code is
// judged there at once), a code's printed number in the manual field and at /c/, and /scan
// reloading with no network through its service worker. Screenshots at 390×844 go to
// $COLDTRACE_ARTIFACTS; axe-core stays at no serious or critical violation.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { artifacts, axe_violations, launch, new_page, screenshot } from './lib/browser.mjs';
import { start_server } from './lib/server.mjs';
import { verdicts } from './verdicts.mjs';

mkdirSync(artifacts, { recursive: true });
let server, browser;
const tokens = {};
let valid; // the verify answer for the demo's code valid at a shop
let other_shop; // a shop that does not hold it

before(async () => {
  server = await start_server(process.env.COLDTRACE_BIN);
  browser = await launch();
  const { api, admin_token } = server;
  const all = (await api('GET', '/api/v1/units?limit=500', admin_token)).units;
  const regulator = all.find((u) => u.kind === 'regulator');
  tokens.inspector = (await api('POST', '/api/v1/accounts', admin_token,
    { unit: regulator.id, role: 'inspector', name: '扫码测试执法员' })).token;
  valid = await (await fetch(server.base + '/api/v1/verify?code=' +
    encodeURIComponent(server.codes['valid at a shop']))).json();
  assert.equal(valid.verdict, 'valid');
  other_shop = all.find((u) => u.kind === 'seller' && u.id !== valid.facts.holder.id);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function no_serious_violations(page, what) {
  assert.deepEqual(await axe_violations(page), [], `axe on ${what}`);
}

// Signs an inspector in on the console in this tab (the token is kept per tab); the console
// sends an inspector on to the scanner: wait for that page, never navigate across it.
async function scanner_as(page, token) {
  await page.goto(server.base + '/console');
  await page.fill('#token', token);
  await page.press('#token', 'Enter');
  await page.waitForURL((u) => u.pathname === '/scan');
  await page.waitForLoadState('load');
}

// Types a code (or a number) into the manual field and waits for its verdict at the top.
async function check(page, text) {
  const before = await page.locator('#results li').count();
  await page.fill('#code-input', text);
  await page.press('#code-input', 'Enter');
  await page.waitForFunction((n) => document.querySelectorAll('#results li').length > n, before);
  return page.locator('#results li').first();
}

describe('the scanner', () => {
  it('shows 关闭相机 only while a camera runs, and says camera errors in Chinese', async () => {
    const page = await new_page(browser); // no camera, no permission: getUserMedia fails
    await page.goto(server.base + '/scan');
    assert.equal(await page.isVisible('#start'), true);
    assert.equal(await page.isVisible('#stop'), false, '关闭相机 shows with no camera open');
    await page.click('#start');
    await page.waitForFunction(() => document.querySelector('#status').dataset.tone === 'bad');
    const message = await page.textContent('#status');
    assert.match(message, /相机/);
    assert.doesNotMatch(message, /[A-Za-z]{3,}/, `English in the Chinese page: ${message}`);
    assert.equal(await page.isVisible('#stop'), false);
    await screenshot(page, 'scan-camera-error');
    await no_serious_violations(page, '/scan (camera error)');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('has the inspector choose the unit first, by name or credit code, and judges each code there', async () => {
    const page = await new_page(browser);
    await scanner_as(page, tokens.inspector);
    await page.waitForSelector('#unit-panel:not([hidden])');
    // Nothing chosen: no unit is preselected, and recording asks for one.
    assert.equal(await page.isVisible('#unit-chosen'), false);
    assert.equal(await page.locator('#unit-matches li').count(), 0);
    assert.equal(await page.locator('select#unit').count(), 0);
    await page.click('#inspection-form button[type=submit]');
    await page.waitForFunction(() => /请先选择/.test(document.querySelector('#inspection-status').textContent));

    // By credit code: exactly that unit.
    await page.fill('#unit-search', other_shop.credit_code.toLowerCase());
    await page.waitForSelector(`#unit-matches button[data-unit="${other_shop.id}"]`);
    assert.equal(await page.locator('#unit-matches button').count(), 1);
    // By a part of the name.
    await page.fill('#unit-search', other_shop.name.slice(2, 6));
    await page.waitForSelector(`#unit-matches button[data-unit="${other_shop.id}"]`);
    await screenshot(page, 'scan-unit-search');
    await no_serious_violations(page, '/scan (unit search)');
    await page.click(`#unit-matches button[data-unit="${other_shop.id}"]`);
    await page.waitForSelector('#unit-chosen:not([hidden])');
    assert.match(await page.textContent('#unit-chosen'), new RegExp(other_shop.name));

    // A code another unit holds: 持码单位不符 at once, by URL and by its printed number.
    const [title] = verdicts.wrong_holder.zh;
    for (const text of [server.codes['valid at a shop'], valid.facts.number]) {
      const item = await check(page, text);
      assert.equal(await item.getAttribute('data-verdict'), 'wrong_holder', text);
      assert.match(await item.textContent(), new RegExp(title));
      assert.match(await item.textContent(), new RegExp('按被检查单位 ' + other_shop.name));
    }
    await screenshot(page, 'scan-wrong-holder');

    // Recorded: the page lists what the server judged for each code, not just "submitted".
    await page.fill('#uncoded', '1');
    await page.click('#inspection-form button[type=submit]');
    await page.waitForSelector('#inspection-codes li');
    const recorded = await page.locator('#inspection-codes li').evaluateAll((l) => l.map((li) => li.dataset.verdict));
    assert.deepEqual(recorded, ['wrong_holder', 'wrong_holder']);
    assert.match(await page.textContent('#inspection-status'), /2 个码，其中 2 个异常/);
    await screenshot(page, 'scan-inspection-recorded');

    // At the unit that holds it, the same code is valid.
    await page.click('#unit-change');
    await page.fill('#unit-search', valid.facts.holder.name);
    await page.click(`#unit-matches button[data-unit="${valid.facts.holder.id}"]`);
    const item = await check(page, server.codes['valid at a shop']);
    assert.equal(await item.getAttribute('data-verdict'), 'valid');
    await no_serious_violations(page, '/scan (inspection)');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('takes the number printed under a QR, in the manual field and at /c/', async () => {
    const number = valid.facts.number;
    assert.match(number, /^\d{4}( \d{4}){2,}( \d{1,3})?$/);
    const page = await new_page(browser);
    await page.goto(server.base + '/scan');
    const item = await check(page, number);
    assert.equal(await item.getAttribute('data-verdict'), 'valid');
    assert.match(await item.textContent(), new RegExp(valid.facts.product));
    // A digit misread: said so, never another code's answer.
    const digits = number.replace(/ /g, '');
    const typo = digits.slice(0, 5) + ((Number(digits[5]) + 1) % 10) + digits.slice(6);
    const bad = await check(page, typo);
    assert.equal(await bad.getAttribute('data-verdict'), 'malformed');
    assert.match(await page.textContent('#status'), /号码校验不符/);
    await screenshot(page, 'scan-number');
    await no_serious_violations(page, '/scan (number)');

    // The verification page at /c/<number>, hyphenated as people write it.
    await page.goto(server.base + '/c/' + number.replace(/ /g, '-'));
    const [title, , sentence] = verdicts.valid.zh;
    assert.equal((await page.locator('h1.verdict-title').textContent()).trim(), title);
    assert.equal(await page.getAttribute('h1.verdict-title', 'data-verdict'), 'valid');
    // The buyer's sentence and the seller's line, as at /c/<digits>.
    assert.equal((await page.locator('.verdict-sentence').textContent()).trim(), sentence);
    assert.match(await page.locator('.verdict-holder').textContent(), new RegExp(valid.facts.holder.name));
    await screenshot(page, 'verify-number');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('reloads /scan with no network and still verifies offline', async () => {
    const page = await new_page(browser);
    await page.goto(server.base + '/scan');
    await page.waitForFunction(() => /截至 \d{4}-/.test(document.querySelector('#list-status').textContent));
    // The service worker has kept the page, its scripts, the keys and the list.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((resolve) =>
          navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
      }
    });
    await page.context().setOffline(true);
    await page.reload();
    assert.equal((await page.textContent('h1')).trim(), '执法扫码');
    await page.waitForFunction(() => /截至 \d{4}-/.test(document.querySelector('#list-status').textContent));
    const item = await check(page, server.codes['valid at a shop']);
    assert.equal(await item.getAttribute('data-verdict'), 'valid');
    assert.match(await item.textContent(), /离线核验/);
    const recalled = await check(page, server.codes['recalled']);
    assert.equal(await recalled.getAttribute('data-verdict'), 'recalled');
    await screenshot(page, 'scan-offline-reload');
    await page.context().setOffline(false);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
