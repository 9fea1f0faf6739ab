// A recall that reaches the goods (issue 10), in Chromium against `coldtrace serve` on a demo
// database: a positive result opens a proposal on the bureau's recall screen with the holders
// listed; an inspector confirms it there; every holder finds the notice at the top of its
// console, which marks it seen, and records what it did (quantities that do not add up are
// refused and write nothing); the bureau's screen then shows each holder's answer, the sales
// before the recall and its CSV. Screenshots at 390×844 in $COLDTRACE_ARTIFACTS; axe finds no
// serious or critical violation on the new screens.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { artifacts, axe_violations, launch, new_page, screenshot } from './lib/browser.mjs';
import { start_server } from './lib/server.mjs';

mkdirSync(artifacts, { recursive: true });
let server, browser;
const tokens = {};
const units = {};
const lot = {};

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

before(async () => {
  server = await start_server(process.env.COLDTRACE_BIN);
  browser = await launch();
  const { api, admin_token } = server;
  const all = (await api('GET', '/api/v1/units?limit=500', admin_token)).units;
  units.warehouse = all.find((u) => u.name === '上海浦东进口冷链食品集中监管仓');
  units.shop = all.find((u) => u.name === '静安区大统路菜市场3号摊位');
  units.canteen = all.find((u) => u.kind === 'caterer');
  units.regulator = all.find((u) => u.kind === 'regulator');
  const account = async (unit, role, name) =>
    (await api('POST', '/api/v1/accounts', admin_token, { unit: unit.id, role, name })).token;
  tokens.warehouse = await account(units.warehouse, 'warehouse', '召回仓管员');
  tokens.shop = await account(units.shop, 'operator', '召回摊主');
  tokens.canteen = await account(units.canteen, 'operator', '召回食堂');
  tokens.inspector = await account(units.regulator, 'inspector', '召回执法员');

  // A released lot of 500 kg: 100 kg to the shop (10 kg sold there), 50 kg on its way to
  // the canteen, 350 kg still at the warehouse.
  const w = tokens.warehouse;
  const r = await api('POST', '/api/v1/lots', w, {
    product: '冻鸡翅中', category: 'domestic_frozen', origin: 'CN', net_weight_g: 500_000,
    packages: 50, consignor: '山东禽业', vehicle: '鲁B·54321',
  });
  lot.id = r.lot.id;
  const s = await api('POST', `/api/v1/lots/${lot.id}/samples`, w,
    { type: 'food_surface', collected_at: now(), collector: '采样员' });
  await api('POST', `/api/v1/samples/${s.id}/result`, w,
    { outcome: 'negative', lab: '疾控中心', report_number: 'N-' + lot.id, reported_at: now() });
  await api('POST', `/api/v1/lots/${lot.id}/disinfections`, w,
    { agent: '过氧乙酸', operator: '消杀员', certificate: 'X-' + lot.id, performed_at: now() });
  await api('POST', `/api/v1/lots/${lot.id}/release`, w, {});
  const to_shop = await api('POST', '/api/v1/dispatch', w,
    { code: r.code.id, consignee: units.shop.id, quantity_g: 100_000 });
  await api('POST', '/api/v1/receive', tokens.shop, { code: to_shop.id });
  await api('POST', '/api/v1/sale-checks', tokens.shop, { code: to_shop.url, quantity_g: 10_000 });
  await api('POST', '/api/v1/dispatch', w,
    { code: r.code.id, consignee: units.canteen.id, quantity_g: 50_000 });
  // Then a positive result on a second sample.
  const s2 = await api('POST', `/api/v1/lots/${lot.id}/samples`, w,
    { type: 'environment', collected_at: now(), collector: '采样员' });
  await api('POST', `/api/v1/samples/${s2.id}/result`, w,
    { outcome: 'positive', lab: '疾控中心', report_number: 'P-' + lot.id, reported_at: now() });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function signed_in(token, path, lang = 'zh') {
  const page = await new_page(browser);
  const q = lang === 'en' ? '?lang=en' : '';
  await page.goto(server.base + '/console' + q);
  await page.evaluate((t) => sessionStorage.setItem('coldtrace.token', t), token);
  await page.goto(server.base + path + q);
  return page;
}

describe('a recall from a positive result to every holder\'s answer', () => {
  it('shows the proposal with its holders, and the inspector confirms it', async () => {
    const page = await signed_in(tokens.inspector, '/recalls');
    await page.waitForSelector('#proposals:not([hidden])');
    const card = page.locator('article', { hasText: `批次 ${lot.id}：冻鸡翅中` });
    await card.waitFor();
    const text = await card.innerText();
    for (const name of [units.warehouse.name, units.shop.name, units.canteen.name])
      assert.ok(text.includes(name), `${name} listed among the holders: ${text}`);
    assert.deepEqual(await axe_violations(page), []);
    await screenshot(page, 'recall-1-proposal');
    // A reason is required: nothing is sent without one.
    await card.getByRole('button', { name: '确认召回' }).click();
    assert.match(await page.locator('#proposal-status').innerText(), /请填写原因/);
    await card.locator('input').fill('环境样本核酸阳性，全批召回');
    await card.getByRole('button', { name: '确认召回' }).click();
    await page.waitForFunction(() => /已召回/.test(document.querySelector('#proposal-status').textContent));
    const recalls = (await server.api('GET', '/api/v1/recalls?limit=1000', tokens.inspector)).recalls;
    lot.recall = recalls.find((r) => r.lot === lot.id);
    assert.ok(lot.recall);
    assert.equal(lot.recall.holders.length, 3);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('reaches each holder in its console, which records what it did', async () => {
    const id = lot.recall.id;
    const answers = [
      { token: tokens.shop, owed: 90, bad: { sealed: 50 }, good: { sealed: 80, destroyed: 10 }, shot: 'shop' },
      { token: tokens.warehouse, owed: 350, good: { destroyed: 350 }, shot: 'warehouse' },
      { token: tokens.canteen, owed: 50, good: { returned: 50 }, shot: 'canteen' },
    ];
    for (const a of answers) {
      const page = await signed_in(a.token, '/console');
      await page.waitForSelector('#recall-notices:not([hidden])');
      const card = page.locator(`#recall-notice-${id}-title`).locator('xpath=..');
      assert.match(await card.innerText(), new RegExp(`本单位持有 ${a.owed} kg`));
      // Marked seen as soon as it is shown.
      await page.waitForFunction(async ({ id, token }) => {
        const r = await fetch(`/api/v1/recalls/${id}`, { headers: { Authorization: 'Bearer ' + token } });
        return (await r.json()).holders[0].seen_at !== null;
      }, { id, token: a.token });
      assert.deepEqual(await axe_violations(page), []);
      await screenshot(page, `recall-2-notice-${a.shot}`);
      const fill = async (q) => {
        for (const name of ['sealed', 'returned', 'destroyed'])
          await card.locator(`input[name=${name}]`).fill(String(q[name] || 0));
      };
      if (a.bad) {
        await fill(a.bad);
        await card.getByRole('button', { name: '登记处置' }).click();
        await card.locator('.status', { hasText: '不符' }).waitFor();
        const mine = await server.api('GET', `/api/v1/recalls/${id}`, a.token);
        assert.equal(mine.holders[0].acted_at, null, 'an answer that does not add up writes nothing');
      }
      await fill(a.good);
      await card.getByRole('button', { name: '登记处置' }).click();
      await card.locator('.status', { hasText: '已登记处置情况' }).waitFor();
      await screenshot(page, `recall-3-done-${a.shot}`);
      assert.deepEqual(page.errors, []);
      await page.close();
    }
  });

  it('shows the bureau every answer, the sales before the recall, and the CSV', async () => {
    const page = await signed_in(tokens.inspector, '/recalls');
    const card = page.locator('article', { hasText: `召回 ${lot.recall.id}：` });
    await card.waitFor();
    const text = await card.innerText();
    assert.match(text, /3 个持有单位，已处置 3 个，逾期 0 个/);
    assert.match(text, /80 kg \/ 0 kg \/ 10 kg/);
    assert.ok(text.includes(units.shop.name) && /10 kg/.test(text), 'the shop\'s sale is listed');
    assert.deepEqual(await axe_violations(page), []);
    await screenshot(page, 'recall-4-bureau');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      card.getByRole('button', { name: '下载 CSV' }).click(),
    ]);
    const csv = await (await fetch(server.base + `/api/v1/recalls/${lot.recall.id}/export`, {
      headers: { Authorization: 'Bearer ' + tokens.inspector },
    })).text();
    assert.ok(download.suggestedFilename().endsWith('.csv'));
    assert.match(csv.split('\n')[0], /持有单位/);
    assert.match(csv, /已处置/);
    const en = await (await fetch(server.base + `/api/v1/recalls/${lot.recall.id}/export?lang=en`, {
      headers: { Authorization: 'Bearer ' + tokens.inspector },
    })).text();
    assert.match(en.split('\n')[0], /Holder/);
    const all = await server.api('GET', `/api/v1/recalls/${lot.recall.id}`, tokens.inspector);
    for (const h of all.holders) {
      assert.equal(h.status, 'acted');
      assert.ok(h.seen_at && h.acted_at);
      assert.equal(h.sealed_g + h.returned_g + h.destroyed_g, h.held_g + h.in_transit_g);
    }
    assert.deepEqual(page.errors, []);
    // In English too.
    const en_page = await signed_in(tokens.inspector, '/recalls', 'en');
    await en_page.locator('article', { hasText: `Recall ${lot.recall.id}:` }).waitFor();
    assert.deepEqual(await axe_violations(en_page), []);
    await page.close();
    await en_page.close();
  });
});
