// The bureau's figures as charts drawn here in SVG (no chart library): the range is split
// into days or weeks and /api/v1/stats asked for each, plus once for the whole range.
(function () {
  'use strict';
  const { t, el, api, say } = window.ct;
  const $ = (id) => document.getElementById(id);
  const svg_ns = 'http://www.w3.org/2000/svg';
  let data = null; // {buckets: [{from, to, stats}], total}

  function s(tag, attrs, ...children) {
    const node = document.createElementNS(svg_ns, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }

  const day_ms = 86400000;
  const to_day = (d) => new Date(d).toISOString().slice(0, 10);
  const add_days = (day, n) => to_day(Date.parse(day) + n * day_ms);

  function nice_max(v) {
    if (v <= 0) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= v);
  }
  const fmt = (v) => (Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 2 : 1));

  // Vertical bars, grouped or stacked, one group per label.
  function bar_chart(labels, series, stacked) {
    const w = 360, h = 200, left = 40, bottom = 40, top = 10;
    const plot_h = h - bottom - top, plot_w = w - left - 8;
    const totals = labels.map((_, i) => series.reduce((a, sr) => a + sr.values[i], 0));
    const max = nice_max(Math.max(...(stacked ? totals : series.flatMap((sr) => sr.values)), 0));
    const svg = s('svg', { viewBox: `0 0 ${w} ${h}`, role: 'img' });
    for (let k = 0; k <= 4; k++) {
      const y = top + plot_h - (plot_h * k) / 4;
      svg.append(s('line', { x1: left, x2: w - 8, y1: y, y2: y, class: k ? 'grid-line' : 'axis' }),
        s('text', { x: left - 4, y: y + 4, 'text-anchor': 'end' }, fmt((max * k) / 4)));
    }
    const group = plot_w / Math.max(labels.length, 1);
    labels.forEach((label, i) => {
      const x0 = left + group * i + group * 0.15, gw = group * 0.7;
      let base = 0;
      series.forEach((sr, j) => {
        const v = sr.values[i], bh = (plot_h * v) / max;
        const x = stacked ? x0 : x0 + (gw / series.length) * j;
        const bw = stacked ? gw : gw / series.length;
        const y = top + plot_h - bh - (stacked ? (plot_h * base) / max : 0);
        svg.append(s('rect', { x, y, width: Math.max(bw - 1, 1), height: bh, class: 'c' + (j % 6) },
          s('title', {}, `${label} · ${sr.name}: ${fmt(v)}`)));
        base += v;
      });
      svg.append(s('text', { x: x0 + gw / 2, y: h - bottom + 14, 'text-anchor': 'middle' }, label));
    });
    return svg;
  }

  // One horizontal bar per label.
  function hbar_chart(labels, series) {
    const row = 22, left = 120, w = 360;
    const h = labels.length * row * series.length + 10;
    const max = nice_max(Math.max(...series.flatMap((sr) => sr.values), 0));
    const svg = s('svg', { viewBox: `0 0 ${w} ${Math.max(h, 30)}`, role: 'img' });
    labels.forEach((label, i) => {
      const y0 = 5 + i * row * series.length;
      svg.append(s('text', { x: left - 6, y: y0 + 14, 'text-anchor': 'end' }, label));
      series.forEach((sr, j) => {
        const v = sr.values[i], bw = ((w - left - 40) * v) / max, y = y0 + j * row;
        svg.append(s('rect', { x: left, y: y + 3, width: Math.max(bw, v ? 1 : 0), height: row - 6, class: 'c' + (j % 6) },
          s('title', {}, `${label} · ${sr.name}: ${fmt(v)}`)),
        s('text', { x: left + bw + 4, y: y + 15 }, fmt(v)));
      });
    });
    return svg;
  }

  function figure(id, title, chart, labels, series) {
    chart.setAttribute('aria-label', title);
    const legend = series.length > 1 ? el('ul', { class: 'legend' }, ...series.map((sr, j) =>
      el('li', {}, el('i', { class: 'c' + (j % 6), 'aria-hidden': 'true' }), sr.name))) : null;
    const table = el('table', { class: 'table' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: t('period') }),
        ...series.map((sr) => el('th', { scope: 'col', text: sr.name })))),
      el('tbody', {}, ...labels.map((label, i) => el('tr', {}, el('th', { scope: 'row', text: label }),
        ...series.map((sr) => el('td', { text: fmt(sr.values[i]) }))))));
    return el('figure', { class: 'panel chart', id },
      el('figcaption', { text: title }), chart, legend,
      el('details', {}, el('summary', { text: t('data_table') }), table));
  }

  function draw() {
    const b = data.buckets, total = data.total;
    const labels = b.map((x) => x.from.slice(5));
    const series = (keys) => keys.map((k) => ({ name: t('series.' + k), values: b.map((x) => x.stats[k]) }));
    const cats = total.intake.map((c) => c.category);
    const intake = cats.map((c) => ({
      name: t('category.' + c),
      values: b.map((x) => (x.stats.intake.find((i) => i.category === c) || { net_weight_g: 0 }).net_weight_g / 1e6),
    }));
    const verdicts = Array.from(new Set([
      ...total.sale_checks_denied.map((d) => d.verdict),
      ...total.verifications_by_verdict.map((d) => d.verdict).filter((v) => v !== 'valid'),
    ]));
    const count = (list, v) => (list.find((d) => d.verdict === v) || { count: 0 }).count;
    const denial_series = [
      { name: t('series.sale_checks'), values: verdicts.map((v) => count(total.sale_checks_denied, v)) },
      { name: t('series.verifications'), values: verdicts.map((v) => count(total.verifications_by_verdict, v)) },
    ];
    const kinds = total.units_by_kind.map((u) => t('unit_kind.' + u.kind));
    const units = [{ name: t('total'), values: total.units_by_kind.map((u) => u.count) }];
    const verdict_labels = verdicts.map((v) => t('verdict_title.' + v));
    $('charts').replaceChildren(
      figure('chart-intake', t('chart.intake'), bar_chart(labels, intake, true), labels, intake),
      figure('chart-tests', t('chart.tests'), bar_chart(labels, series(['samples_taken', 'results_negative', 'results_positive'])), labels,
        series(['samples_taken', 'results_negative', 'results_positive'])),
      figure('chart-codes', t('chart.codes'), bar_chart(labels, series(['codes_issued', 'verifications'])), labels,
        series(['codes_issued', 'verifications'])),
      figure('chart-denials', t('chart.denials'), hbar_chart(verdict_labels, denial_series), verdict_labels, denial_series),
      figure('chart-inspections', t('chart.inspections'), bar_chart(labels, series(['inspections', 'uncoded_items'])), labels,
        series(['inspections', 'uncoded_items'])),
      figure('chart-units', t('chart.units'), hbar_chart(kinds, units), kinds, units));
  }

  async function load(from, to) {
    const days = Math.round((Date.parse(to) - Date.parse(from)) / day_ms) + 1;
    // Days for two weeks or less, else weeks, else as many days per bar as keep 26 bars.
    const step = days <= 14 ? 1 : Math.max(7, Math.ceil(days / 26));
    const ranges = [];
    for (let d = from; d <= to; d = add_days(d, step)) {
      const end = add_days(d, step - 1);
      ranges.push({ from: d, to: end < to ? end : to });
    }
    say($('dash-status'), t('loading'));
    const get = (r) => api('GET', `/api/v1/stats?from=${r.from}&to=${r.to}`);
    const [total, ...parts] = await Promise.all([get({ from, to }), ...ranges.map(get)]);
    data = { total, buckets: ranges.map((r, i) => ({ ...r, stats: parts[i] })) };
    say($('dash-status'), '');
    draw();
  }

  function csv() {
    const cats = data.total.intake.map((c) => c.category);
    const keys = ['samples_taken', 'results_negative', 'results_positive', 'lots_released', 'lots_quarantined',
      'recalls', 'codes_issued', 'verifications', 'sale_checks', 'sales', 'sold_g', 'inspections',
      'inspected_codes', 'uncoded_items'];
    const head = ['from', 'to', ...cats.map((c) => c + '_net_weight_g'), ...keys];
    const line = (r, st) => [r.from, r.to, ...cats.map((c) =>
      (st.intake.find((i) => i.category === c) || { net_weight_g: 0 }).net_weight_g), ...keys.map((k) => st[k])];
    const rows = [head, ...data.buckets.map((b) => line(b, b.stats)), line(data.total, data.total)];
    const text = rows.map((r) => r.map((v) => `"${String(v).replace(/"/g, '""')}"`).join(',')).join('\r\n');
    const a = el('a', {
      href: URL.createObjectURL(new Blob(['\ufeff' + text], { type: 'text/csv' })),
      download: `coldtrace-stats-${data.total.from}-${data.total.to}.csv`,
    });
    document.body.append(a);
    a.click();
    a.remove();
  }

  async function start() {
    const me = await window.ct.me().catch(() => null);
    if (!me || (me.role !== 'inspector' && me.role !== 'admin')) return;
    $('dash-login').hidden = true;
    $('range').hidden = false;
    const today = window.ct.day(new Date().toISOString());
    $('to').value = today;
    $('from').value = add_days(today, -29);
    $('range').addEventListener('submit', (ev) => {
      ev.preventDefault();
      load($('from').value, $('to').value).catch((e) => say($('dash-status'), e.message, 'bad'));
    });
    $('csv').addEventListener('click', () => data && csv());
    load($('from').value, $('to').value).catch((e) => say($('dash-status'), e.message, 'bad'));
  }
  start();
})();
