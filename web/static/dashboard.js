// The bureau's figures as charts drawn here in SVG (no chart library): the headline totals of
// the range, then the range split into days, ISO weeks or calendar months (by its length) with
// /api/v1/stats asked for each, plus once for the whole range.
(function () {
  'use strict';
  const { t, el, api, say } = window.ct;
  const $ = (id) => document.getElementById(id);
  const svg_ns = 'http://www.w3.org/2000/svg';
  let data = null; // {unit, buckets: [{from, to, label, stats}], total}

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

  // One horizontal bar per label.
  function hbar_chart(labels, series) {
    const row = 22, left = 120, w = 360;
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

  // Every figure the page shows, as [key, label, value of a stats answer]: the headline cards
  // and the CSV's columns come from this one list.
  function figures(total) {
    const cats = total.intake.map((c) => c.category);
    const intake_of = (st, c) => st.intake.find((i) => i.category === c) || { lots: 0, net_weight_g: 0 };
    return [
      ['intake_t', t('figure.intake_t'), (st) => tonnes(st.intake.reduce((a, c) => a + c.net_weight_g, 0))],
      ['lots', t('figure.lots'), (st) => st.intake.reduce((a, c) => a + c.lots, 0)],
      ...cats.flatMap((c) => [
        ['intake_t.' + c, t('figure.category_t', { category: t('category.' + c) }), (st) => tonnes(intake_of(st, c).net_weight_g)],
        ['lots.' + c, t('figure.category_lots', { category: t('category.' + c) }), (st) => intake_of(st, c).lots],
      ]),
      ['samples_taken', t('series.samples_taken'), (st) => st.samples_taken],
      ['results_negative', t('series.results_negative'), (st) => st.results_negative],
      ['results_positive', t('series.results_positive'), (st) => st.results_positive],
      ['lots_released', t('figure.lots_released'), (st) => st.lots_released],
      ['lots_quarantined', t('figure.lots_quarantined'), (st) => st.lots_quarantined],
      ['recalls', t('figure.recalls'), (st) => st.recalls],
      ['disinfections', t('figure.disinfections'), (st) => st.disinfections],
      ['codes_issued', t('series.codes_issued'), (st) => st.codes_issued],
      ['verifications', t('series.verifications'), (st) => st.verifications],
      ['codes_scanned', t('series.codes_scanned'), (st) => st.codes_scanned],
      ...['consumer', 'inspector', 'counter'].map((k) =>
        ['scans.' + k, t('series.scans.' + k), (st) => (st.scans_by_kind.find((s) => s.kind === k) || { scans: 0 }).scans]),
      ['sale_checks', t('series.sale_checks'), (st) => st.sale_checks],
      ['sales', t('figure.sales'), (st) => st.sales],
      ['sold_kg', t('figure.sold_kg'), (st) => st.sold_g / 1000],
      ['inspections', t('series.inspections'), (st) => st.inspections],
      ['inspected_codes', t('series.inspected_codes'), (st) => st.inspected_codes],
      ['uncoded_items', t('series.uncoded_items'), (st) => st.uncoded_items],
    ];
  }

  const headline_keys = ['intake_t', 'lots', 'samples_taken', 'results_positive', 'disinfections',
    'codes_issued', 'verifications', 'codes_scanned'];

  function headline(total) {
    const all = figures(total);
    return el('ul', { class: 'headline', id: 'headline' }, ...headline_keys.map((key) => {
      const [, label, value] = all.find((f) => f[0] === key);
      const v = value(total);
      return el('li', { 'data-figure': key, class: key === 'results_positive' && v > 0 ? 'alarm' : '' },
        el('span', { class: 'figure-value', text: key === 'intake_t' ? v.toFixed(1) : fmt(v) }),
        el('span', { class: 'figure-label', text: label }));
    }));
  }

  function draw() {
    const b = data.buckets, total = data.total;
    const labels = b.map((x) => x.label);
    const series = (keys, classes) => keys.map((k, j) => ({
      name: t('series.' + k), cls: classes[j], values: b.map((x) => x.stats[k]),
    }));
    const cats = total.intake.map((c) => c.category);
    const intake = cats.map((c, j) => ({
      name: t('category.' + c),
      cls: 'c' + j,
      values: b.map((x) => tonnes((x.stats.intake.find((i) => i.category === c) || { net_weight_g: 0 }).net_weight_g)),
    }));
    const verdicts = Array.from(new Set([
      ...total.sale_checks_denied.map((d) => d.verdict),
      ...total.verifications_by_verdict.map((d) => d.verdict).filter((v) => v !== 'valid'),
    ]));
    const count = (list, v) => (list.find((d) => d.verdict === v) || { count: 0 }).count;
    const denial_series = [
      { name: t('series.sale_checks'), cls: 'c0', values: verdicts.map((v) => count(total.sale_checks_denied, v)) },
      { name: t('series.verifications'), cls: 'c1', values: verdicts.map((v) => count(total.verifications_by_verdict, v)) },
    ];
    const cat_labels = cats.map((c) => t('category.' + c));
    const lots = [{ name: t('figure.lots'), cls: 'c0', values: total.intake.map((c) => c.lots) }];
    const kinds = total.units_by_kind.map((u) => t('unit_kind.' + u.kind));
    const units = [{ name: t('total'), cls: 'c5', values: total.units_by_kind.map((u) => u.count) }];
    const verdict_labels = verdicts.map((v) => t('verdict_title.' + v));
    // Results: negative green, positive red (an alarm), samples neutral blue.
    const tests = series(['samples_taken', 'results_negative', 'results_positive'], ['c0', 'c-negative', 'c-positive']);
    const codes = series(['codes_issued', 'verifications', 'codes_scanned'], ['c0', 'c1', 'c2']);
    const scan_kinds = total.scans_by_kind.map((s) => t('series.scans.' + s.kind));
    const scans = [
      { name: t('series.scans'), cls: 'c0', values: total.scans_by_kind.map((s) => s.scans) },
      { name: t('series.scanned_codes'), cls: 'c1', values: total.scans_by_kind.map((s) => s.codes) },
    ];
    const checks = series(['inspections', 'uncoded_items'], ['c0', 'c1']);
    $('headline-box').replaceChildren(headline(total));
    $('bucket-note').textContent = t('bucket.' + data.unit);
    $('charts').replaceChildren(
      figure('chart-intake', t('chart.intake'), bar_chart(labels, intake, { stacked: true, integer: false }), labels, intake),
      figure('chart-lots', t('chart.lots'), hbar_chart(cat_labels, lots), cat_labels, lots),
      figure('chart-tests', t('chart.tests'), bar_chart(labels, tests), labels, tests),
      figure('chart-codes', t('chart.codes'), bar_chart(labels, codes), labels, codes),
      figure('chart-scans', t('chart.scans'), hbar_chart(scan_kinds, scans), scan_kinds, scans),
      figure('chart-denials', t('chart.denials'), hbar_chart(verdict_labels, denial_series), verdict_labels, denial_series),
      figure('chart-inspections', t('chart.inspections'), bar_chart(labels, checks), labels, checks),
      figure('chart-units', t('chart.units'), hbar_chart(kinds, units), kinds, units));
  }

  // The range in buckets a reader can take in: days up to a month, ISO weeks up to four
  // months, else calendar months; the first and last are clipped to the range.
  function buckets(from, to) {
    const days = Math.round((Date.parse(to) - Date.parse(from)) / day_ms) + 1;
    const unit = days <= 31 ? 'day' : days <= 122 ? 'week' : 'month';
    const end_of = (d) => (unit === 'day' ? d : unit === 'week' ? add_days(d, 6 - weekday(d)) : month_end(d));
    const label_of = (d) => (unit === 'month' ? t('month_label', { y: d.slice(0, 4), m: String(Number(d.slice(5, 7))) })
      : d.slice(5));
    const ranges = [];
    for (let d = from; d <= to; d = add_days(end_of(d), 1)) {
      const end = end_of(d);
      ranges.push({ from: d, to: end < to ? end : to, label: label_of(d) });
    }
    return { unit, ranges };
  }

  async function load(from, to) {
    const { unit, ranges } = buckets(from, to);
    say($('dash-status'), t('loading'));
    const get = (r) => api('GET', `/api/v1/stats?from=${r.from}&to=${r.to}`);
    const [total, ...parts] = await Promise.all([get({ from, to }), ...ranges.map(get)]);
    data = { unit, total, buckets: ranges.map((r, i) => ({ ...r, stats: parts[i] })) };
    say($('dash-status'), '');
    draw();
  }

  // The figures shown, one row per bucket and one for the whole range, with headers in the
  // page's language; weights in tonnes (intake) and kilograms (sales).
  function csv() {
    const all = figures(data.total);
    const head = [t('csv.from'), t('csv.to'), ...all.map((f) => f[1])];
    const line = (r, st) => [r.from, r.to, ...all.map((f) => {
      const v = f[2](st);
      return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(6)));
    })];
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

  function show(from, to) {
    $('from').value = from;
    $('to').value = to;
    load(from, to).catch((e) => say($('dash-status'), e.message, 'bad'));
  }

  async function start() {
    const me = await window.ct.me().catch(() => null);
    if (!me || (me.role !== 'inspector' && me.role !== 'admin')) return;
    $('dash-login').hidden = true;
    $('range').hidden = false;
    $('presets').hidden = false;
    const today = window.ct.day(new Date().toISOString());
    $('range').addEventListener('submit', (ev) => {
      ev.preventDefault();
      show($('from').value, $('to').value);
    });
    for (const b of document.querySelectorAll('#presets button[data-preset]')) {
      b.addEventListener('click', () => {
        const r = preset(b.dataset.preset, today);
        show(r.from, r.to);
      });
    }
    $('csv').addEventListener('click', () => data && csv());
    show(add_days(today, -29), today);
  }
  start();
})();
