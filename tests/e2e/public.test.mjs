// The pages the public and the trade meet outside the console (issue 15): the verification
// page a consumer's phone opens (a buyer's verdict, the code's seller, what to do, no
// JavaScript), the counter poster (refused for goods that may not be sold, dated, one full A5
// page) and the bureau's dashboard. Screenshots at 390×844 go to $COLDTRACE_ARTIFACTS.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { artifacts, axe_violations, launch, new_page, screenshot } from './lib/browser.mjs';
import { start_server } from './lib/server.mjs';
import { digits_of, forge, verdicts } from './verdicts.mjs';

mkdirSync(artifacts, { recursive: true });
let server, browser;
const tokens = {};
const codes = {};

before(async () => {
  server = await start_server(process.env.COLDTRACE_BIN);
  browser = await launch();
  const { api, admin_token } = server;
  const all = (await api('GET', '/api/v1/units?limit=500', admin_token)).units;
  const regulator = all.find((u) => u.kind === 'regulator');
  tokens.admin = admin_token;
  tokens.inspector = (await api('POST', '/api/v1/accounts', admin_token,
    { unit: regulator.id, role: 'inspector', name: '测试执法员' })).token;
  codes.valid = server.codes['valid at a shop'];
  codes.recalled = server.codes['recalled'];
  codes.not_released = server.codes['not released'];
  codes.forged = forge(codes.valid);
  // A kilogram of the shop's goods sent on to another seller, not yet received there.
  const facts = (await (await fetch(server.base + '/api/v1/verify?code=' + encodeURIComponent(codes.valid))).json()).facts;
  codes.valid_holder = facts.holder.name;
  const consignee = all.find((u) => u.kind === 'seller' && u.id !== facts.holder.id);
  const shop_token = (await api('POST', '/api/v1/accounts', admin_token,
    { unit: facts.holder.id, role: 'operator', name: '测试店员' })).token;
  codes.pending_receipt = (await api('POST', '/api/v1/dispatch', shop_token,
    { code: codes.valid, consignee: consignee.id, quantity_g: 1000 })).url;
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function no_serious_violations(page, what) {
  assert.deepEqual(await axe_violations(page), [], `axe on ${what}`);
}

// Signs this tab in as the console does: the token in sessionStorage, per tab.
async function sign_in(page, token) {
  await page.goto(server.base + '/');
  await page.evaluate((t) => sessionStorage.setItem('coldtrace.token', t), token);
}

const text_of = async (page, selector) => (await page.locator(selector).textContent()).trim();

describe('the verification page, as a buyer meets it', () => {
  const shown = ['valid', 'recalled', 'not_released', 'forged', 'pending_receipt'];

  it('tells a buyer whether to buy, the same way for every verdict, in zh and en', async () => {
    const page = await new_page(browser);
    for (const verdict of shown) {
      for (const lang of ['zh', 'en']) {
        await page.goto(server.base + '/c/' + digits_of(codes[verdict]) + '?lang=' + lang);
        const [title, , sentence] = verdicts[verdict][lang];
        assert.equal(await text_of(page, 'h1.verdict-title'), title);
        assert.equal(await page.getAttribute('h1.verdict-title', 'data-verdict'), verdict);
        const said = await text_of(page, '.verdict-sentence');
        assert.equal(said, sentence);
        // Spoken to a buyer: may I buy it (never the seller's 可以销售 / 请勿销售 / 禁止销售).
        if (lang === 'zh') {
          assert.doesNotMatch(said, /可以销售|请勿销售|禁止销售/);
          assert.match(said, verdict === 'valid' ? /可以购买/ : /勿购买/);
        } else {
          assert.match(said, verdict === 'valid' ? /you may buy it/ : /Do not buy/);
        }
        await screenshot(page, `public-verify-${verdict}-${lang}`);
        if (lang === 'zh') await no_serious_violations(page, `/c/ (${verdict})`);
      }
    }
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('on a recall: stop eating it, keep the packaging, return it, call 12315', async () => {
    const page = await new_page(browser);
    await page.goto(server.base + '/c/' + digits_of(codes.recalled));
    const advice = await text_of(page, '.advice');
    for (const step of ['停止食用', '保留包装', '退回购买的商店', '12315']) assert.ok(advice.includes(step), step);
    assert.equal(await page.locator('.advice a[href="tel:12315"]').count(), 1);
    // Any other "do not buy" says where to report a shop that still sells it.
    for (const verdict of ['not_released', 'forged', 'pending_receipt']) {
      await page.goto(server.base + '/c/' + digits_of(codes[verdict]));
      assert.equal(await page.locator('.advice a[href="tel:12315"]').count(), 1, verdict);
    }
    await page.goto(server.base + '/c/' + digits_of(codes.valid));
    assert.equal(await page.locator('.advice').count(), 0);
    await page.goto(server.base + '/c/' + digits_of(codes.recalled) + '?lang=en');
    assert.match(await text_of(page, '.advice'), /Stop eating it[\s\S]*Keep the packaging[\s\S]*Return it[\s\S]*12315/);
    await page.context().close();
  });

  it('names the code\'s seller right under the verdict, to check against the shop', async () => {
    const page = await new_page(browser);
    await page.goto(server.base + '/c/' + digits_of(codes.valid));
    assert.equal(await text_of(page, '.verdict .verdict-holder'), `本码销售单位：${codes.valid_holder}，请核对`);
    await page.goto(server.base + '/c/' + digits_of(codes.valid) + '?lang=en');
    assert.equal(await text_of(page, '.verdict .verdict-holder'),
      `Seller under this code: ${codes.valid_holder} — check it is this shop`);
    // A forged code has no facts to tell, so no seller either.
    await page.goto(server.base + '/c/' + digits_of(codes.forged));
    assert.equal(await page.locator('.verdict-holder').count(), 0);
    await page.context().close();
  });

  it('sends a consumer no JavaScript at all, and works without it', async () => {
    const page = await new_page(browser);
    const scripts = [];
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
    for (const verdict of shown) await page.goto(server.base + '/c/' + digits_of(codes[verdict]));
    assert.deepEqual(scripts, []);
    assert.equal(await page.locator('script').count(), 0);
    await page.context().close();

    const off = await new_page(browser, { javaScriptEnabled: false });
    await off.goto(server.base + '/c/' + digits_of(codes.recalled));
    assert.equal(await text_of(off, 'h1.verdict-title'), '已召回');
    assert.ok((await text_of(off, '.advice')).includes('12315'));
    await off.context().close();
  });

  it('gives a signed-in inspector the chain behind the link at the foot', async () => {
    const page = await new_page(browser);
    await sign_in(page, tokens.inspector);
    await page.goto(server.base + '/c/' + digits_of(codes.valid));
    await page.click('a[href*="panel=inspector"]');
    await page.waitForSelector('#inspector .chain li');
    assert.ok((await page.locator('#inspector .chain li').count()) >= 3);
    await screenshot(page, 'public-verify-inspector-panel');
    await no_serious_violations(page, '/c/?panel=inspector');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});

// A5 at 96 px per inch: the page box less the 8 mm margins of poster.css's @page.
const mm = 96 / 25.4;
const a5_box = { width: Math.round((148 - 16) * mm), height: Math.round((210 - 16) * mm) };

describe('the counter poster', () => {
  it('refuses to print one for goods that may not be sold, and says why', async () => {
    for (const verdict of ['recalled', 'not_released', 'pending_receipt']) {
      const res = await fetch(server.base + '/poster/' + digits_of(codes[verdict]),
        { headers: { Authorization: 'Bearer ' + tokens.admin } });
      assert.equal(res.status, 409, verdict);
    }
    const page = await new_page(browser);
    await sign_in(page, tokens.admin);
    await page.goto(server.base + '/poster/' + digits_of(codes.recalled));
    assert.equal(await text_of(page, 'h1'), '此码不能打印亮码海报');
    assert.match(await text_of(page, 'main'), /已召回：此批次已召回，不得销售。/);
    assert.equal(await page.locator('.poster, #poster-qr, #print').count(), 0);
    await screenshot(page, 'public-poster-refused');
    await no_serious_violations(page, '/poster/ (recalled)');
    await page.goto(server.base + '/poster/' + digits_of(codes.not_released) + '?lang=en');
    assert.equal(await text_of(page, 'h1'), 'No counter poster for this code');
    assert.equal(await page.locator('.poster').count(), 0);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('is dated, reads plainly, and fills its A5 page', async () => {
    const page = await new_page(browser);
    await sign_in(page, tokens.admin);
    await page.goto(server.base + '/poster/' + digits_of(codes.valid));
    await page.waitForFunction(() => document.querySelector('#poster-qr img')?.complete);
    // The day it is printed, as people in the city read dates (UTC+8).
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
    assert.equal(await text_of(page, '.poster-printed'), '打印日期 ' + today);
    assert.match(await text_of(page, '.poster-tests'), /^检测 \d+ 份样品(，全部阴性|：)/);
    assert.doesNotMatch(await text_of(page, '.poster-tests'), /待出结果 \d/);
    await screenshot(page, 'public-poster');
    await no_serious_violations(page, '/poster/');

    // As printed: the poster fills the page box, and its content fills the poster.
    await page.setViewportSize(a5_box);
    await page.emulateMedia({ media: 'print' });
    const box = await page.evaluate(() => {
      const poster = document.querySelector('.poster').getBoundingClientRect();
      const kids = [...document.querySelector('.poster').children].map((k) => k.getBoundingClientRect());
      const p = document.querySelector('.poster');
      return { top: poster.top, height: poster.height, bottom: poster.bottom,
        clipped: p.scrollHeight - p.clientHeight,
        last: Math.max(...kids.map((k) => k.bottom)),
        inked: kids.reduce((s, k) => s + k.height, 0) };
    });
    await page.screenshot({ path: `${artifacts}/public-poster-print.png` });
    assert.ok(box.height > 0.95 * a5_box.height, `poster ${box.height}px of ${a5_box.height}px`);
    assert.ok(box.clipped <= 0 && box.last <= box.bottom, `nothing cut off: ${JSON.stringify(box)}`);
    assert.ok(box.bottom - box.last < 0.06 * box.height, `blank below: ${box.bottom - box.last}px`);
    // Blank gaps between the blocks: less than a quarter of the page, all told.
    assert.ok(box.height - box.inked < 0.25 * box.height, `content ${box.inked}px of ${box.height}px`);
    await page.context().close();
  });
});

// WCAG's contrast ratio of an rgb() colour against white.
function contrast_on_white(rgb) {
  const [r, g, b] = rgb.match(/\d+/g).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05);
}

describe('the dashboard', () => {
  async function open_dashboard(lang = 'zh') {
    const page = await new_page(browser);
    await sign_in(page, tokens.admin);
    await page.goto(server.base + '/dashboard?lang=' + lang);
    await page.waitForSelector('#chart-tests svg');
    return page;
  }

  it('buckets a long range by months, with presets, and labels that do not overlap', async () => {
    const page = await open_dashboard();
    for (const name of ['本月', '本季度', '上半年', '全年'])
      assert.equal(await page.locator('#presets button', { hasText: name }).count(), 1, name);
    await page.click('#presets button:has-text("上半年")');
    const year = new Date(Date.now() + 8 * 3600e3).getUTCFullYear();
    await page.waitForFunction((y) => document.querySelector('#from').value === `${y}-01-01`, year);
    await page.waitForFunction(() => /每根柱为一个月/.test(document.querySelector('#bucket-note').textContent));
    await page.waitForFunction(() => document.querySelectorAll('#chart-tests svg .x-label').length === 6);
    assert.deepEqual(await page.locator('#chart-tests svg .x-label').allTextContents(),
      ['1月', '2月', '3月', '4月', '5月', '6月']);
    // Half a year typed in by hand: months again, never 24 bars of 8 days.
    await page.fill('#from', `${year - 1}-06-01`);
    await page.fill('#to', `${year - 1}-11-30`);
    await page.click('#range button[type=submit]');
    await page.waitForFunction(() => document.querySelectorAll('#chart-tests svg .x-label').length === 6);
    // The whole year (months), and the last 30 days (days, some labels left out): no overlap.
    const no_overlap = async () => {
      for (const id of ['intake', 'tests', 'codes', 'inspections']) {
        const boxes = await page.$$eval(`#chart-${id} svg .x-label`, (ls) => ls.map((l) => {
          const b = l.getBoundingClientRect();
          return [b.left, b.right];
        }));
        assert.ok(boxes.length >= 2, `#chart-${id} has labels`);
        for (let i = 1; i < boxes.length; i++)
          assert.ok(boxes[i][0] >= boxes[i - 1][1], `#chart-${id} labels ${i - 1} and ${i} overlap`);
      }
    };
    await page.click('#presets button:has-text("全年")');
    await page.waitForFunction((y) => document.querySelector('#from').value === `${y}-01-01` &&
      /每根柱为一个月/.test(document.querySelector('#bucket-note').textContent), year);
    await no_overlap();
    await screenshot(page, 'public-dashboard-year');
    await page.fill('#from', `${year - 1}-11-01`);
    await page.fill('#to', `${year - 1}-11-30`);
    await page.click('#range button[type=submit]');
    await page.waitForFunction(() => /每根柱为一天/.test(document.querySelector('#bucket-note').textContent));
    await no_overlap();
    await no_serious_violations(page, '/dashboard (days)');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('draws positives red and negatives green, whole-number count axes, colours of 3:1 or more', async () => {
    const page = await open_dashboard();
    const fill = (name) => page.$eval(`#chart-tests rect:has(title:text-matches("${name}"))`,
      (r) => getComputedStyle(r).fill);
    const positive = await fill('阳性'), negative = await fill('阴性');
    const [pr, pg] = positive.match(/\d+/g).map(Number);
    const [nr, ng] = negative.match(/\d+/g).map(Number);
    assert.ok(pr > 150 && pg < 60, `positive bars are red: ${positive}`);
    assert.ok(ng > nr, `negative bars are green: ${negative}`);
    for (const id of ['tests', 'codes', 'inspections']) {
      const ticks = await page.locator(`#chart-${id} svg .tick`).allTextContents();
      assert.ok(ticks.length >= 2);
      for (const tick of ticks) assert.match(tick, /^\d[\d,]*$/, `#chart-${id} tick ${tick}`);
    }
    const fills = await page.$$eval('#charts rect, .legend i', (ns) =>
      [...new Set(ns.map((n) => (n.tagName === 'rect' ? getComputedStyle(n).fill : getComputedStyle(n).backgroundColor)))]);
    for (const f of fills) assert.ok(contrast_on_white(f) >= 3, `${f}: ${contrast_on_white(f).toFixed(2)}:1`);
    await page.context().close();
  });

  it('leads with the totals, disinfections and lots per category included', async () => {
    const page = await open_dashboard();
    const from = await page.inputValue('#from'), to = await page.inputValue('#to');
    const st = await (await fetch(`${server.base}/api/v1/stats?from=${from}&to=${to}`,
      { headers: { Authorization: 'Bearer ' + tokens.admin } })).json();
    assert.ok(st.disinfections > 0, 'the API counts disinfections');
    const value = async (key) => (await text_of(page, `#headline li[data-figure="${key}"] .figure-value`)).replace(/,/g, '');
    const tonnes = st.intake.reduce((a, c) => a + c.net_weight_g, 0) / 1e6;
    assert.equal(await value('intake_t'), tonnes.toFixed(1));
    assert.equal(await value('lots'), String(st.intake.reduce((a, c) => a + c.lots, 0)));
    for (const key of ['samples_taken', 'results_positive', 'disinfections', 'codes_issued', 'verifications'])
      assert.equal(await value(key), String(st[key]), key);
    const lots = await page.locator('#chart-lots table tbody td').allTextContents();
    assert.deepEqual(lots, st.intake.map((c) => String(c.lots)));
    await screenshot(page, 'public-dashboard');
    await no_serious_violations(page, '/dashboard');
    await page.context().close();
  });

  it('downloads a CSV with headers in the page\'s language, tonnes and kilograms', async () => {
    for (const [lang, head] of [['zh', '"起始日期","截止日期","入仓量（吨）","入仓批次"'],
      ['en', '"From","To","Taken in (tonnes)","Lots taken in"']]) {
      const page = await open_dashboard(lang);
      const download = page.waitForEvent('download');
      await page.click('#csv');
      const csv = (await (await (await download).createReadStream()).toArray()).join('').replace(/^\ufeff/, '');
      const [first, ...rows] = csv.split('\r\n');
      assert.ok(first.startsWith(head), first);
      assert.match(first, lang === 'zh' ? /"消毒次数"[\s\S]*"销售量（千克）"/ : /"Disinfections"[\s\S]*"Sold \(kg\)"/);
      assert.doesNotMatch(first, /_g"|net_weight/);
      const from = await page.inputValue('#from'), to = await page.inputValue('#to');
      const st = await (await fetch(`${server.base}/api/v1/stats?from=${from}&to=${to}`,
        { headers: { Authorization: 'Bearer ' + tokens.admin } })).json();
      const cells = (line) => line.slice(1, -1).split('","');
      const total = cells(rows.at(-1));
      assert.equal(Number(total[2]), st.intake.reduce((a, c) => a + c.net_weight_g, 0) / 1e6);
      assert.equal(cells(first).length, total.length);
      await page.context().close();
    }
  });
});

describe('the scan counts', () => {
  it('counts scans by who scanned and the distinct codes, never the platform\'s own pages', async () => {
    // The statistics' days are UTC days (the scan counts are kept by UTC day): between 16:00 and
    // 24:00 UTC, Shanghai's date is already the next one.
    const today = new Date().toISOString().slice(0, 10);
    const stats = async () => (await fetch(`${server.base}/api/v1/stats?from=${today}&to=${today}`,
      { headers: { Authorization: 'Bearer ' + tokens.admin } })).json();
    const kind = (st, k) => st.scans_by_kind.find((s) => s.kind === k);
    const before = await stats();
    const page = await new_page(browser);
    const url = server.base + '/c/' + digits_of(codes.not_released);
    // A shopper's camera opens the code twice: two scans by a consumer.
    await page.goto(url);
    await page.goto(url);
    // The page's own language switch, a link from the console and a poster are not scans.
    await page.click('nav a[hreflang="en"]');
    await page.waitForURL(/lang=en/);
    await page.goto(url, { referer: server.base + '/console' });
    await page.goto(server.base + '/poster/' + digits_of(codes.valid));
    // An inspector's panel on the page, and the inspector's scanner through the API.
    await page.goto(url + '?panel=inspector');
    await fetch(`${server.base}/api/v1/verify?code=${encodeURIComponent(codes.not_released)}`,
      { headers: { Authorization: 'Bearer ' + tokens.inspector } });
    let after;
    for (let i = 0; i < 50; i++) {  // the writer folds the counts in within a second or two
      after = await stats();
      if (after.verifications >= before.verifications + 4) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(kind(after, 'consumer').scans - kind(before, 'consumer').scans, 2, 'two shoppers\' scans');
    assert.equal(kind(after, 'inspector').scans - kind(before, 'inspector').scans, 2, 'two inspectors\' scans');
    assert.equal(kind(after, 'counter').scans, kind(before, 'counter').scans);
    assert.equal(after.verifications - before.verifications, 4, 'nothing else counted');
    assert.ok(kind(after, 'consumer').codes >= 1 && kind(after, 'inspector').codes >= 1);
    assert.ok(after.codes_scanned >= 1 && after.codes_scanned <= after.verifications);
    // The dashboard shows who scans, beside the API's figures.
    const dash = await new_page(browser);
    await sign_in(dash, tokens.admin);
    await dash.goto(`${server.base}/dashboard`);
    await dash.waitForSelector('#chart-scans svg');
    await dash.fill('#from', today);
    await dash.fill('#to', today);
    await dash.locator('#range [type=submit]').click();
    await dash.waitForFunction(() => document.querySelectorAll('#chart-tests tbody tr').length === 1);
    await dash.locator('#chart-scans summary').click();
    const cells = await dash.locator('#chart-scans table tbody tr').evaluateAll((rows) =>
      rows.map((r) => Array.from(r.children).map((c) => c.textContent.trim())));
    const stats_now = await stats();
    assert.deepEqual(cells, [
      ['消费者扫码', String(kind(stats_now, 'consumer').scans), String(kind(stats_now, 'consumer').codes)],
      ['执法人员扫码', String(kind(stats_now, 'inspector').scans), String(kind(stats_now, 'inspector').codes)],
      ['经营者柜台扫码', String(kind(stats_now, 'counter').scans), String(kind(stats_now, 'counter').codes)],
    ]);
    assert.equal((await text_of(dash, '#headline li[data-figure="codes_scanned"] .figure-value')).replace(/,/g, ''),
      String(stats_now.codes_scanned));
    await dash.locator('#chart-scans').scrollIntoViewIfNeeded();
    await screenshot(dash, 'public-dashboard-scans');
    await no_serious_violations(dash, '/dashboard (scans)');
    await page.context().close();
    await dash.context().close();
  });
});
