// The bureau's periodic report (/report?from=&to=): the figures of GET /api/v1/stats laid out as
// a half-year report is, with tables by category and charts, printable on A4; the same figures
// as XLSX from GET /api/v1/report.xlsx. By default the current half-year up to today.
(function () {
  'use strict';
  const { t, el, api, say } = window.ct;
  const { to_day, tonnes, fmt, hbar_chart, figure, category_table } = window.ct.charts;
  const $ = (id) => document.getElementById(id);
  const day_re = /^\d{4}-\d{2}-\d{2}$/;
  let shown = null; // {from, to}

  // A table of [label, value] rows under a caption, for the sections' figures.
  function figures_table(id, caption, head, rows) {
    return el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption },
      el('table', { class: 'table figures', id },
      el('caption', { text: caption }),
      el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, ...rows.map(([label, ...values]) => el('tr', {},
        el('th', { scope: 'row', text: label }), ...values.map((v) => el('td', { text: v })))))));
  }

  function headline(st, lots, grams) {
    const items = [
      [t('figure.intake_t'), tonnes(grams).toFixed(1)],
      [t('figure.lots'), fmt(lots)],
      [t('series.samples_taken'), fmt(st.samples_taken)],
      [t('series.results_positive'), fmt(st.results_positive), st.results_positive > 0],
      [t('figure.disinfections'), fmt(st.disinfections)],
      [t('figure.units_registered'), fmt(st.units_registered)],
      [t('series.inspections'), fmt(st.inspections)],
      [t('figure.recalls'), fmt(st.recalls)],
    ];
    return el('ul', { class: 'headline', id: 'headline' }, ...items.map(([label, v, alarm]) =>
      el('li', { class: alarm ? 'alarm' : '' }, el('span', { class: 'figure-value', text: v }),
        el('span', { class: 'figure-label', text: label }))));
  }

  function draw(st) {
    const lots = st.by_category.reduce((a, c) => a + c.lots, 0);
    const grams = st.by_category.reduce((a, c) => a + c.net_weight_g, 0);
    const pending = st.by_category.reduce((a, c) => a + c.results_pending, 0);
    const rp = st.recall_progress;
    $('report-period').textContent = t('report.period', { from: st.from, to: st.to });
    $('report-summary').textContent = t('report.summary', {
      lots: fmt(lots), tonnes: tonnes(grams).toFixed(3), samples: fmt(st.samples_taken),
      negative: fmt(st.results_negative), positive: fmt(st.results_positive), pending: fmt(pending),
      disinfections: fmt(st.disinfections), codes: fmt(st.codes_issued), scans: fmt(st.verifications),
    });
    $('report-headline').replaceChildren(headline(st, lots, grams));

    $('report-categories').replaceChildren(category_table(st, 'report-by-category'));
    const cats = st.by_category.map((c) => t('category.' + c.category));
    const weight = [{ name: t('col.tonnes'), cls: 'c0', values: st.by_category.map((c) => tonnes(c.net_weight_g)) }];
    const tests = [['samples_taken', 'c0'], ['results_negative', 'c-negative'], ['results_positive', 'c-positive'],
      ['results_pending', 'c1']].map(([k, cls]) => ({ name: t('series.' + k), cls, values: st.by_category.map((c) => c[k]) }));
    $('report-category-charts').replaceChildren(
      figure('report-chart-tonnes', t('chart.tonnes_by_category'), hbar_chart(cats, weight, { left: 160 }), cats, weight),
      figure('report-chart-tests', t('chart.categories'), hbar_chart(cats, tests, { left: 160 }), cats, tests));

    $('report-units-text').textContent = t('report.units_text', { units: fmt(st.units_registered), new: fmt(st.units_new) });
    const registered = (k) => (st.units_by_kind.find((u) => u.kind === k) || { count: 0 }).count;
    const kinds = st.units_new_by_kind.map((u) => u.kind);
    const unit_rows = st.units_new_by_kind.map((u) => [t('unit_kind.' + u.kind), fmt(registered(u.kind)), fmt(u.count)]);
    unit_rows.push([t('total'), fmt(st.units_registered), fmt(st.units_new)]);
    const unit_series = [{ name: t('report.col_registered'), cls: 'c5', values: kinds.map(registered) }];
    const kind_labels = kinds.map((k) => t('unit_kind.' + k));
    $('report-units').replaceChildren(
      figures_table('report-units-table', t('chart.units_by_kind'),
        [t('report.col_kind'), t('report.col_registered'), t('report.col_new')], unit_rows),
      el('div', { class: 'charts' },
        figure('report-chart-units', t('chart.units_by_kind'), hbar_chart(kind_labels, unit_series), kind_labels, unit_series)));

    $('report-inspections-text').textContent = t('report.inspections_text', {
      inspections: fmt(st.inspections), codes: fmt(st.inspected_codes), uncoded: fmt(st.uncoded_items),
    });
    $('report-inspections').replaceChildren(figures_table('report-inspections-table', t('report.s_inspections'),
      [t('report.col_figure'), t('report.col_value')], [
        [t('series.inspections'), fmt(st.inspections)],
        [t('series.inspected_codes'), fmt(st.inspected_codes)],
        [t('series.uncoded_items'), fmt(st.uncoded_items)],
        [t('series.findings_opened'), fmt(st.findings_opened)],
        [t('series.rectifications_done'), fmt(st.rectifications_done)],
        [t('series.findings_overdue'), fmt(st.findings_overdue)],
      ]));

    $('report-recalls-text').textContent = t('report.recalls_text', {
      recalls: fmt(st.recalls), holders: fmt(rp.holders), answered: fmt(rp.holders_answered),
      completed: fmt(rp.recalls_completed),
    });
    const rate = rp.holders ? `${((100 * rp.holders_answered) / rp.holders).toFixed(1)}%` : '—';
    $('report-recalls').replaceChildren(figures_table('report-recalls-table', t('chart.recalls'),
      [t('report.col_figure'), t('report.col_value')], [
        [t('figure.recalls'), fmt(st.recalls)],
        [t('figure.recalls_completed'), fmt(rp.recalls_completed)],
        [t('figure.recall_holders'), fmt(rp.holders)],
        [t('figure.recall_holders_answered'), fmt(rp.holders_answered)],
        [t('report.completion'), rate],
      ]));
    $('report-made').textContent = t('report.made', { at: window.ct.local_now().replace('T', ' ').slice(0, 16) });
    $('report').hidden = false;
  }

  async function load(from, to) {
    say($('report-status'), t('loading'));
    const st = await api('GET', `/api/v1/stats?from=${from}&to=${to}`);
    shown = { from, to };
    say($('report-status'), '');
    draw(st);
    // The address and the language switch keep the period, so a link or a reload shows it again.
    const q = `?from=${from}&to=${to}`;
    history.replaceState(null, '', q + (window.ct.lang === 'en' ? '&lang=en' : ''));
    const other = document.querySelector('.bar nav a[hreflang]');
    if (other) other.href = q + (window.ct.lang === 'en' ? '&lang=zh' : '&lang=en');
  }

  async function xlsx() {
    if (!shown) return;
    const res = await fetch(`/api/v1/report.xlsx?from=${shown.from}&to=${shown.to}&lang=${window.ct.lang}`, {
      headers: { Authorization: 'Bearer ' + window.ct.token() },
    });
    if (!res.ok) {
      const body = await res.json().catch(() => null);
      throw new Error((body && body.error && body.error.message) || res.statusText);
    }
    const a = el('a', { href: URL.createObjectURL(await res.blob()), download: `coldtrace-report-${shown.from}-${shown.to}.xlsx` });
    document.body.append(a);
    a.click();
    a.remove();
  }

  function show(from, to) {
    $('from').value = from;
    $('to').value = to;
    if (!day_re.test(from) || !day_re.test(to) || from > to) {
      $('report').hidden = true;
      say($('report-status'), t('bad_period'), 'bad');
      return;
    }
    load(from, to).catch((e) => say($('report-status'), e.message, 'bad'));
  }

  async function start() {
    const me = await window.ct.me().catch(() => null);
    if (!me || (me.role !== 'inspector' && me.role !== 'admin')) return;
    $('report-login').hidden = true;
    $('report-range').hidden = false;
    const today = window.ct.day(new Date().toISOString());
    const half = Number(today.slice(5, 7)) <= 6 ? '-01-01' : '-07-01';
    const q = new URLSearchParams(location.search);
    $('report-range').addEventListener('submit', (ev) => {
      ev.preventDefault();
      show($('from').value, $('to').value);
    });
    $('print').addEventListener('click', () => window.print());
    $('xlsx').addEventListener('click', () => xlsx().catch((e) => say($('report-status'), e.message, 'bad')));
    show(q.get('from') || today.slice(0, 4) + half, q.get('to') || to_day(Date.parse(today)));
  }
  start();
})();
