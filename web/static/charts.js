// The statistics pages' building blocks (/dashboard, /report): days of a period and charts
// drawn in SVG here (no chart library), each with its figures as a table for screen readers.
(function () {
  'use strict';
  const { t, el } = window.ct;
  const svg_ns = 'http://www.w3.org/2000/svg';

  function s(tag, attrs, ...children) {
    const node = document.createElementNS(svg_ns, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }

  const day_ms = 86400000;
  const to_day = (d) => new Date(d).toISOString().slice(0, 10);
  const add_days = (day, n) => to_day(Date.parse(day) + n * day_ms);
  const weekday = (day) => (new Date(day).getUTCDay() + 6) % 7; // Monday 0
  const month_end = (day) => {
    const d = new Date(day);
    return to_day(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0));
  };
  const tonnes = (g) => g / 1e6;
  const fmt = (v) => (Number.isInteger(v) ? v.toLocaleString(window.ct.lang === 'en' ? 'en' : 'zh-CN')
    : v.toFixed(v < 10 ? 2 : 1));

  // The top of the axis and its step: whole steps for counts (no 1.25 inspections).
  function axis(v, integer) {
    const raw = Math.max(v, integer ? 1 : 0.001) / 4;
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    let step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= raw);
    if (integer) step = Math.max(1, Math.ceil(step));
    const top = Math.max(step, Math.ceil(v / step) * step);
    return { top, step };
  }

  // At most `n` labels shown along an axis, evenly spaced, so none overlap.
  const shown = (count, n) => (i) => count <= n || i % Math.ceil(count / n) === 0;

  // Vertical bars, grouped or stacked, one group per label.
  function bar_chart(labels, series, { stacked = false, integer = true } = {}) {
    const w = 360, h = 200, left = 44, bottom = 36, top = 10;
    const plot_h = h - bottom - top, plot_w = w - left - 8;
    const totals = labels.map((_, i) => series.reduce((a, sr) => a + sr.values[i], 0));
    const { top: max, step } = axis(Math.max(...(stacked ? totals : series.flatMap((sr) => sr.values)), 0), integer);
    const svg = s('svg', { viewBox: `0 0 ${w} ${h}`, role: 'img' });
    for (let v = 0; v <= max + step / 1e6; v += step) {
      const y = top + plot_h - (plot_h * v) / max;
      svg.append(s('line', { x1: left, x2: w - 8, y1: y, y2: y, class: v ? 'grid-line' : 'axis' }),
        s('text', { x: left - 4, y: y + 4, 'text-anchor': 'end', class: 'tick' }, fmt(Number(v.toFixed(6)))));
    }
    const group = plot_w / Math.max(labels.length, 1);
    const label_shown = shown(labels.length, 7);
    labels.forEach((label, i) => {
      const x0 = left + group * i + group * 0.15, gw = group * 0.7;
      let base = 0;
      series.forEach((sr, j) => {
        const v = sr.values[i], bh = (plot_h * v) / max;
        const x = stacked ? x0 : x0 + (gw / series.length) * j;
        const bw = stacked ? gw : gw / series.length;
        const y = top + plot_h - bh - (stacked ? (plot_h * base) / max : 0);
        svg.append(s('rect', { x, y, width: Math.max(bw - 1, 1), height: bh, class: sr.cls },
          s('title', {}, `${label} · ${sr.name}: ${fmt(v)}`)));
        base += v;
      });
      if (label_shown(i))
        svg.append(s('text', { x: x0 + gw / 2, y: h - bottom + 14, 'text-anchor': 'middle', class: 'x-label' }, label));
    });
    return svg;
  }

  // One horizontal bar per label; `left` is the room for the labels.
  function hbar_chart(labels, series, { left = 120 } = {}) {
    const row = 22, w = left + 240;
    const h = labels.length * row * series.length + 10;
    const { top: max } = axis(Math.max(...series.flatMap((sr) => sr.values), 0), true);
    const svg = s('svg', { viewBox: `0 0 ${w} ${Math.max(h, 30)}`, role: 'img' });
    labels.forEach((label, i) => {
      const y0 = 5 + i * row * series.length;
      svg.append(s('text', { x: left - 6, y: y0 + 14, 'text-anchor': 'end' }, label));
      series.forEach((sr, j) => {
        const v = sr.values[i], bw = ((w - left - 40) * v) / max, y = y0 + j * row;
        svg.append(s('rect', { x: left, y: y + 3, width: Math.max(bw, v ? 1 : 0), height: row - 6, class: sr.cls },
          s('title', {}, `${label} · ${sr.name}: ${fmt(v)}`)),
        s('text', { x: left + bw + 4, y: y + 15 }, fmt(v)));
      });
    });
    return svg;
  }

  function figure(id, title, chart, labels, series) {
    chart.setAttribute('aria-label', title);
    const legend = series.length > 1 ? el('ul', { class: 'legend' }, ...series.map((sr) =>
      el('li', {}, el('i', { class: sr.cls, 'aria-hidden': 'true' }), sr.name))) : null;
    const table = el('table', { class: 'table' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: t('period') }),
        ...series.map((sr) => el('th', { scope: 'col', text: sr.name })))),
      el('tbody', {}, ...labels.map((label, i) => el('tr', {}, el('th', { scope: 'row', text: label }),
        ...series.map((sr) => el('td', { text: fmt(sr.values[i]) }))))));
    return el('figure', { class: 'panel chart', id },
      el('figcaption', { text: title }), chart, legend,
      el('details', {}, el('summary', { text: t('data_table') }), table));
  }

  // 本月, 本季度, 上半年, 全年: of the current year, never past today.
  function preset(name, today) {
    const y = Number(today.slice(0, 4)), m = Number(today.slice(5, 7));
    const day = (mm, dd) => `${y}-${String(mm).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
    const q = Math.floor((m - 1) / 3) * 3 + 1;
    const [from, to] = {
      month: [day(m, 1), month_end(day(m, 1))],
      quarter: [day(q, 1), month_end(day(q + 2, 1))],
      half: [day(1, 1), day(6, 30)],
      year: [day(1, 1), day(12, 31)],
    }[name];
    return { from, to: to < today ? to : today };
  }

  // The columns of the table by category: [key, label, value of a by_category row].
  const category_columns = () => [
    ['lots', t('col.lots'), (c) => c.lots],
    ['tonnes', t('col.tonnes'), (c) => tonnes(c.net_weight_g)],
    ['samples_taken', t('col.samples'), (c) => c.samples_taken],
    ['results_negative', t('col.negative'), (c) => c.results_negative],
    ['results_positive', t('col.positive'), (c) => c.results_positive],
    ['results_pending', t('col.pending'), (c) => c.results_pending],
    ['disinfections', t('col.disinfections'), (c) => c.disinfections],
    ['lots_quarantined', t('col.quarantined'), (c) => c.lots_quarantined],
    ['recalls', t('col.recalls'), (c) => c.recalls],
  ];

  // A stats answer's figures by category as a table, a row per category and one for the total.
  function category_table(stats, id) {
    const cols = category_columns();
    const cell = (key, v) => el('td', { 'data-col': key, class: key === 'results_positive' && v > 0 ? 'positive' : '' },
      key === 'tonnes' ? v.toFixed(3) : fmt(v));
    const total = (f) => stats.by_category.reduce((a, c) => a + f(c), 0);
    // A wide table scrolls sideways on a phone: the region takes focus, so keys scroll it too.
    return el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('table.by_category') },
      el('table', { class: 'table figures', id },
      el('caption', { text: t('table.by_category') }),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: t('category') }),
        ...cols.map(([, label]) => el('th', { scope: 'col', text: label })))),
      el('tbody', {}, ...stats.by_category.map((c) => el('tr', { 'data-category': c.category },
        el('th', { scope: 'row', text: t('category.' + c.category) }),
        ...cols.map(([key, , f]) => cell(key, f(c)))))),
      el('tfoot', {}, el('tr', {}, el('th', { scope: 'row', text: t('total') }),
        ...cols.map(([key, , f]) => cell(key, total(f)))))));
  }

  window.ct.charts = {
    day_ms, to_day, add_days, weekday, month_end, tonnes, fmt, axis, shown,
    bar_chart, hbar_chart, figure, preset, category_columns, category_table,
  };
})();
