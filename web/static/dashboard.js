// The bureau's figures as charts drawn here in SVG (no chart library): the headline totals of
// the range, then the range split into days, ISO weeks or calendar months (by its length) with
// /api/v1/stats asked for each, plus once for the whole range.
(function () {
  'use strict';
  const { t, el, api, say } = window.ct;
  const { day_ms, add_days, weekday, month_end, tonnes, fmt, bar_chart, hbar_chart, figure, preset,
    category_columns, category_table } = window.ct.charts;
  const $ = (id) => document.getElementById(id);
  let data = null; // {unit, buckets: [{from, to, label, stats}], total}

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
      ...total.by_category.flatMap((c) => category_columns().filter(([k]) => !['lots', 'tonnes'].includes(k))
        .map(([k, label, f]) => [k + '.' + c.category, `${t('category.' + c.category)} · ${label}`,
          (st) => f(st.by_category.find((x) => x.category === c.category) || { [k]: 0 })])),
      ['units_registered', t('figure.units_registered'), (st) => st.units_registered],
      ['units_new', t('figure.units_new'), (st) => st.units_new],
      ['recall_holders', t('figure.recall_holders'), (st) => st.recall_progress.holders],
      ['recall_holders_answered', t('figure.recall_holders_answered'), (st) => st.recall_progress.holders_answered],
      ['recalls_completed', t('figure.recalls_completed'), (st) => st.recall_progress.recalls_completed],
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
    const by_cat = total.by_category;
    const by_cat_labels = by_cat.map((c) => t('category.' + c.category));
    const cat_tests = [['samples_taken', 'c0'], ['results_negative', 'c-negative'],
      ['results_positive', 'c-positive'], ['results_pending', 'c1'], ['disinfections', 'c5']]
      .map(([k, cls]) => ({ name: t('series.' + k), cls, values: by_cat.map((c) => c[k]) }));
    const rp = total.recall_progress;
    const recall_labels = [t('figure.recalls'), t('figure.recall_holders')];
    const recall_series = [
      { name: t('total'), cls: 'c5', values: [total.recalls, rp.holders] },
      { name: t('series.done'), cls: 'c2', values: [rp.recalls_completed, rp.holders_answered] },
    ];
    $('headline-box').replaceChildren(headline(total));
    $('category-box').replaceChildren(category_table(total, 'by-category'));
    $('bucket-note').textContent = t('bucket.' + data.unit);
    $('charts').replaceChildren(
      figure('chart-intake', t('chart.intake'), bar_chart(labels, intake, { stacked: true, integer: false }), labels, intake),
      figure('chart-lots', t('chart.lots'), hbar_chart(cat_labels, lots, { left: 160 }), cat_labels, lots),
      figure('chart-categories', t('chart.categories'), hbar_chart(by_cat_labels, cat_tests, { left: 160 }), by_cat_labels, cat_tests),
      figure('chart-recalls', t('chart.recalls'), hbar_chart(recall_labels, recall_series), recall_labels, recall_series),
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

  function show(from, to) {
    $('from').value = from;
    $('to').value = to;
    const link = $('report-link');
    link.href = `/report?from=${from}&to=${to}${window.ct.lang === 'en' ? '&lang=en' : ''}`;
    link.hidden = false;
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
