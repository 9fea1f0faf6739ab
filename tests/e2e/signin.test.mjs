// Sign-in by name and password on a phone (issue 11): the console's sign-in form at 390×844,
// each role landing on its page, a wrong password's message in Chinese, sign-out ending the
// session on the server, and the token form kept for machines. In Debian's chromium against
// `coldtrace serve` on a fresh demo database; screenshots in $COLDTRACE_ARTIFACTS.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { artifacts, axe_violations, launch, new_page, screenshot } from './lib/browser.mjs';
import { start_server } from './lib/server.mjs';

mkdirSync(artifacts, { recursive: true });
let server, browser;
const people = {};

before(async () => {
  server = await start_server(process.env.COLDTRACE_BIN);
  browser = await launch();
  const { api, admin_token } = server;
  const all = (await api('GET', '/api/v1/units?limit=500', admin_token)).units;
  const warehouse = all.find((u) => u.kind === 'warehouse');
  const regulator = all.find((u) => u.kind === 'regulator');
  // People as an admin sets them up: an account, then its password.
  const person = async (unit, role, name, password) => {
    const a = await api('POST', '/api/v1/accounts', admin_token, { unit: unit.id, role, name });
    await api('PUT', `/api/v1/accounts/${a.account.id}/password`, admin_token, { password });
    return { id: a.account.id, name, password };
  };
  people.warehouse = await person(warehouse, 'warehouse', '仓管员小王', '冷库 2024 intake');
  people.admin = await person(regulator, 'admin', '监管局管理员', 'bureau admin 2024');
  people.inspector = await person(regulator, 'inspector', '执法员老李', 'inspector 2024!');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function sign_in(page, who, password = who.password) {
  await page.goto(server.base + '/console');
  await page.fill('#login-name', who.name);
  await page.fill('#login-password', password);
  await page.press('#login-password', 'Enter');
}

describe('sign-in by password', () => {
  it('is the first form on a phone, passes axe, and lands a warehouse on intake', async () => {
    const page = await new_page(browser);
    await page.goto(server.base + '/console');
    const box = await page.locator('#login-name').boundingBox();
    const token_box = await page.locator('#token').boundingBox();
    assert.ok(box.y < token_box.y, 'the name field comes before the token field');
    assert.ok(box.width <= 390 && box.height >= 32, 'the name field fits a phone and is tappable');
    assert.deepEqual(await axe_violations(page), []);
    await screenshot(page, 'signin-form');

    await sign_in(page, people.warehouse);
    await page.waitForSelector('#who:not([hidden])');
    assert.match(await page.textContent('#who-text'), /仓管员小王/);
    assert.equal(await page.isVisible('#in-product'), true);
    const token = await page.evaluate(() => sessionStorage.getItem('coldtrace.token'));
    assert.match(token, /^cs_/);
    assert.deepEqual(await axe_violations(page), []);
    await screenshot(page, 'signin-warehouse');
    assert.deepEqual(page.errors, []);

    // Signing out ends the session on the server, not only in the tab.
    await page.click('#logout');
    await page.waitForSelector('#login:not([hidden])');
    const res = await fetch(server.base + '/api/v1/me', { headers: { Authorization: 'Bearer ' + token } });
    assert.equal(res.status, 401);
  });

  it('says in Chinese that the name or password is wrong, and stays on the form', async () => {
    const page = await new_page(browser);
    await sign_in(page, people.warehouse, 'not my password');
    await page.waitForSelector('#alert:not([hidden])');
    assert.equal((await page.textContent('#alert')).trim(), '用户名或密码不正确');
    assert.equal(await page.isVisible('#login-name'), true);
    assert.equal(await page.inputValue('#login-password'), '');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('coldtrace.token')), null);
    assert.deepEqual(await axe_violations(page), []);
    await screenshot(page, 'signin-wrong-password');
  });

  it('lands an admin on the dashboard and an inspector on the scanner', async () => {
    for (const [who, path] of [[people.admin, '/dashboard'], [people.inspector, '/scan']]) {
      const page = await new_page(browser);
      await sign_in(page, who);
      await page.waitForURL((u) => u.pathname === path);
      await screenshot(page, 'signin-' + path.slice(1));
      await page.context().close();
    }
  });
});
