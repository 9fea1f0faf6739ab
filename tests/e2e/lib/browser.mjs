// Debian's chromium, headless, driven by playwright-core from web/node_modules (never a
// downloaded browser); axe-core for the accessibility check; phone-size screenshots.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = process.env.COLDTRACE_WEB || join(dirname(fileURLToPath(import.meta.url)), '../../../web');
const { chromium } = await import(join(web, 'node_modules/playwright-core/index.mjs'));
const axe_source = readFileSync(join(web, 'node_modules/axe-core/axe.min.js'), 'utf8');
export const artifacts = process.env.COLDTRACE_ARTIFACTS;
export const phone = { width: 390, height: 844 };

// A browser in a fresh profile (Playwright gives each launch its own temporary
// --user-data-dir and removes it on close); `extra` adds flags (the fake camera).
export async function launch(extra = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ...extra],
  });
}

// A page whose script errors fail the test that reads page.errors.
export async function new_page(browser, options = {}) {
  const context = await browser.newContext({ viewport: phone, locale: 'zh-CN', ...options });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  return page;
}

// The serious and critical axe-core violations on the page as it is now.
export async function axe_violations(page) {
  // Evaluated through the DevTools protocol, so the page's CSP does not apply to it.
  await page.evaluate(axe_source);
  const result = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

export async function screenshot(page, name) {
  await page.screenshot({ path: join(artifacts, name + '.png'), fullPage: true });
}

// A Y4M video (4:2:0) of one grey frame showing a PNG image centred, for Chromium's fake
// camera: the PNG is drawn by the browser itself, so no image tool is needed.
export async function y4m_from_png(page, png_url, file, width = 640, height = 480) {
  const luma = await page.evaluate(async ({ png_url, width, height }) => {
    const img = new Image();
    img.src = png_url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const g = canvas.getContext('2d');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, width, height);
    const side = Math.min(img.width, height - 40);
    g.imageSmoothingEnabled = false;
    g.drawImage(img, (width - side) / 2, (height - side) / 2, side, side);
    const rgba = g.getImageData(0, 0, width, height).data;
    const y = new Array(width * height);
    for (let i = 0; i < y.length; i++)
      y[i] = Math.round(0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2]);
    return y;
  }, { png_url, width, height });
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), Buffer.from(luma),
    Buffer.alloc(width * height / 2, 128)]);
  writeFileSync(file, Buffer.concat([header, frame, frame]));
}
