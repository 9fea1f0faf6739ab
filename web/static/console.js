// The operator console: log in with a token (kept in this tab, sent as a Bearer header), then
// the warehouse's intake → samples → results → disinfection → release → label, and a unit's
// receive, dispatch and poster. Every value reaches the page as text, never as HTML.
(function () {
  'use strict';
  const { t, el, api, say } = window.ct;
  const $ = (id) => document.getElementById(id);
  const flash = $('flash'), alert_box = $('alert');
  let me = null, lot = null;

  function fail(e) {
    alert_box.hidden = false;
    alert_box.textContent = e.message;
  }
  function ok(text) {
    alert_box.hidden = true;
    say(flash, text, 'ok');
  }
  const digits_of = (url) => (url || '').split('/c/').pop();
  const form_value = (form, name) => form.elements[name].value.trim();

  // ---- login -------------------------------------------------------------------------
  $('login-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    window.ct.set_token($('token').value.trim());
    $('token').value = '';
    try {
      show(await window.ct.me());
    } catch (e) {
      window.ct.clear_token();
      fail(e.status === 401 ? new Error(t('bad_token')) : e);
    }
  });
  $('logout').addEventListener('click', () => {
    window.ct.clear_token();
    location.reload();
  });

  function show(who) {
    me = who;
    alert_box.hidden = true;
    $('login').hidden = true;
    $('who').hidden = false;
    $('who-text').textContent = t('logged_in_as', {
      name: who.name || '#' + who.account, role: t('role.' + who.role), unit: who.unit.name,
    });
    const warehouse = who.role === 'warehouse';
    $('warehouse').hidden = !warehouse;
    $('lots').hidden = !warehouse;
    $('units-side').hidden = !(warehouse || who.role === 'operator');
    if (warehouse) {
      fill_categories();
      load_lots();
      $('in-product').focus();
    }
    if (!$('units-side').hidden) {
      load_codes();
      load_units();
    }
  }

  // ---- intake, with a keyboard-wedge scanner -------------------------------------------
  function fill_categories() {
    const names = Object.keys(window.ct_strings).filter((k) => k.startsWith('category.'));
    $('in-category').replaceChildren(...names.map((k) =>
      el('option', { value: k.slice('category.'.length), text: t(k) })));
  }

  // A scanner types a value and presses Enter: go to the next empty field, and submit only
  // when every required one is filled.
  $('intake-form').addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter' || ev.target.tagName !== 'INPUT') return;
    const fields = Array.from(ev.currentTarget.querySelectorAll('input, select'));
    const after = fields.slice(fields.indexOf(ev.target) + 1).concat(fields);
    const next = after.find((f) => f.required && !f.value.trim());
    if (next) {
      ev.preventDefault();
      next.focus();
    }
  });

  $('intake-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = ev.currentTarget;
    const body = {
      product: form_value(f, 'product'),
      category: form_value(f, 'category'),
      origin: form_value(f, 'origin').toUpperCase(),
      net_weight_g: Math.round(Number(form_value(f, 'net_weight_kg')) * 1000),
      packages: Number(form_value(f, 'packages')),
      consignor: form_value(f, 'consignor'),
      vehicle: form_value(f, 'vehicle'),
    };
    for (const k of ['customs_number', 'quarantine_certificate'])
      if (form_value(f, k)) body[k] = form_value(f, k);
    try {
      const r = await api('POST', '/api/v1/lots', body);
      f.reset();
      ok(t('intake_done', { lot: r.lot.id, code: r.code.id }));
      load_codes();
      await load_lots();
      await open_lot(r.lot.id);
    } catch (e) {
      fail(e);
      f.querySelector('input').focus();
    }
  });

  // ---- lots ----------------------------------------------------------------------------
  $('lot-status').addEventListener('change', load_lots);

  async function load_lots() {
    const status = $('lot-status').value;
    try {
      const r = await api('GET', '/api/v1/lots?limit=200' + (status ? '&status=' + status : ''));
      const rows = r.lots.slice().reverse().map((l) => el('tr', {},
        el('td', { text: l.id }), el('td', { text: l.product }), el('td', { text: window.ct.kg(l.net_weight_g) }),
        el('td', { text: window.ct.day(l.intake_at) }), el('td', { text: t('lot_status.' + l.status) }),
        el('td', {}, el('button', {
          type: 'button', class: 'button small secondary', text: t('open'),
          'aria-label': t('open') + ' ' + t('lot') + ' ' + l.id, onclick: () => open_lot(l.id),
        }))));
      $('lot-rows').replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: 6, text: t('no_rows') }))]));
    } catch (e) {
      fail(e);
    }
  }

  function fact(label, value) {
    return el('div', {}, el('dt', { text: label }), el('dd', { text: value }));
  }

  async function open_lot(id) {
    try {
      lot = await api('GET', '/api/v1/lots/' + id);
    } catch (e) {
      return fail(e);
    }
    const section = $('lot');
    section.hidden = false;
    $('lot-title').textContent = t('lot_title', { lot: lot.id, product: lot.product });
    $('lot-facts').replaceChildren(
      fact(t('category'), t('category.' + lot.category)), fact(t('origin'), lot.origin),
      fact(t('net_weight'), window.ct.kg(lot.net_weight_g)), fact(t('packages'), lot.packages),
      fact(t('consignor'), lot.consignor), fact(t('status'), t('lot_status.' + lot.status)),
      fact(t('code'), String(lot.root_code)));
    $('sample-list').replaceChildren(...lot.samples.map((s) => el('li', {},
      el('span', { class: s.result ? s.result.outcome : 'pending', text: t('outcome.' + (s.result ? s.result.outcome : 'pending')) }),
      ' #' + s.id + ' ' + t('sample_type.' + s.type) + ' · ' + window.ct.minute(s.collected_at) +
        (s.result ? ' · ' + s.result.lab + ' · ' + s.result.report_number : ''))));
    const pending = lot.samples.filter((s) => !s.result);
    $('re-sample').replaceChildren(...pending.map((s) =>
      el('option', { value: s.id, text: '#' + s.id + ' ' + t('sample_type.' + s.type) })));
    $('disinfection-list').replaceChildren(...lot.disinfections.map((d) => el('li', {},
      window.ct.minute(d.performed_at) + ' · ' + d.agent + ' · ' + d.operator + ' · ' + d.certificate)));
    for (const input of ['sa-at', 're-at', 'di-at']) if (!$(input).value) $(input).value = window.ct.local_now();
    $('label').hidden = true;
    $('release').disabled = lot.status !== 'held';
    say($('release-result'), '');
    const code = await api('GET', '/api/v1/codes/' + lot.root_code).catch(() => null);
    $('poster-link').href = code ? '/poster/' + digits_of(code.url) + '?lang=' + window.ct.lang : '#';
    show_label(lot.root_code);
    $('label-caption').textContent = lot.product + ' · ' + t('lot') + ' ' + lot.id + ' · ' + window.ct.kg(lot.net_weight_g);
    section.focus();
  }

  // Labels are served with the token only (a label is a printable genuine code), so the image
  // comes from an authenticated fetch, as an object URL freed when the next one replaces it.
  async function show_label(code_id) {
    const img = $('label-img');
    if (img.src.startsWith('blob:')) URL.revokeObjectURL(img.src);
    img.removeAttribute('src');
    try {
      img.src = await window.ct.label_url(code_id, 'svg');
    } catch (e) {
      fail(new Error(t('label_unavailable') + e.message));
    }
  }

  function lot_form(id, path, body_of) {
    $(id).addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const f = ev.currentTarget;
      try {
        await api('POST', path(f), body_of(f));
        ok(t('saved'));
        f.reset();
        await open_lot(lot.id);
      } catch (e) {
        fail(e);
      }
    });
  }
  lot_form('sample-form', () => '/api/v1/lots/' + lot.id + '/samples', (f) => ({
    type: form_value(f, 'type'), collector: form_value(f, 'collector'),
    collected_at: window.ct.from_local(form_value(f, 'collected_at')),
  }));
  lot_form('result-form', (f) => '/api/v1/samples/' + form_value(f, 'sample') + '/result', (f) => ({
    outcome: form_value(f, 'outcome'), lab: form_value(f, 'lab'), report_number: form_value(f, 'report_number'),
    reported_at: window.ct.from_local(form_value(f, 'reported_at')),
  }));
  lot_form('disinfection-form', () => '/api/v1/lots/' + lot.id + '/disinfections', (f) => ({
    agent: form_value(f, 'agent'), operator: form_value(f, 'operator_name'),
    certificate: form_value(f, 'certificate'), performed_at: window.ct.from_local(form_value(f, 'performed_at')),
  }));

  // Release says which rule fails: the API's 409 message, as it is.
  $('release').addEventListener('click', async () => {
    const out = $('release-result');
    try {
      await api('POST', '/api/v1/lots/' + lot.id + '/release', {});
      await open_lot(lot.id);
      say(out, t('release_done', { lot: lot.id }), 'ok');
      load_lots();
      load_codes();
    } catch (e) {
      say(out, t('release_failed', { message: e.message }), 'bad');
    }
  });

  $('label-link').addEventListener('click', (ev) => {
    ev.preventDefault();
    $('label').hidden = false;
    const img = $('label-img');
    const print = () => window.print();
    if (img.complete) print();
    else img.addEventListener('load', print, { once: true });
  });

  // ---- receive, codes, dispatch ----------------------------------------------------------
  $('receive-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const input = $('receive-code');
    try {
      const c = await api('POST', '/api/v1/receive', { code: input.value.trim() });
      ok(t('received_done', { code: c.id, kg: window.ct.kg(c.quantity_g) }));
      load_codes();
    } catch (e) {
      fail(e);
    }
    input.value = '';
    input.focus();
  });

  async function load_codes() {
    try {
      const r = await api('GET', '/api/v1/codes?limit=200');
      const codes = r.codes.slice().reverse();
      $('code-rows').replaceChildren(...(codes.length ? codes.map((c) => el('tr', {},
        el('td', {}, el('a', { href: '/c/' + digits_of(c.url), text: c.id })), el('td', { text: c.lot }),
        el('td', { text: window.ct.kg(c.quantity_g) }), el('td', { text: window.ct.kg(c.remaining_g) }),
        el('td', { text: t('code_status.' + c.status) }),
        el('td', {}, el('a', { class: 'button small secondary', href: '/poster/' + digits_of(c.url) + '?lang=' + window.ct.lang,
          text: t('print_poster'), 'aria-label': t('print_poster') + ' ' + c.id })))) :
        [el('tr', {}, el('td', { colspan: 6, text: t('no_rows') }))]));
      $('dp-code').replaceChildren(...codes.filter((c) => c.status === 'active' && c.remaining_g > 0)
        .map((c) => el('option', { value: c.id, text: '#' + c.id + ' · ' + t('lot') + ' ' + c.lot + ' · ' + window.ct.kg(c.remaining_g) })));
    } catch (e) {
      fail(e);
    }
  }

  async function load_units() {
    const r = await api('GET', '/api/v1/units?limit=500').catch(() => ({ units: [] }));
    $('dp-consignee').replaceChildren(...r.units
      .filter((u) => u.id !== me.unit.id && u.kind !== 'regulator' && u.kind !== 'warehouse')
      .map((u) => el('option', { value: u.id, text: u.name })));
  }

  $('dispatch-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = ev.currentTarget, out = $('dispatch-result');
    try {
      const c = await api('POST', '/api/v1/dispatch', {
        code: Number(form_value(f, 'code')), consignee: Number(form_value(f, 'consignee')),
        quantity_g: Math.round(Number(form_value(f, 'quantity_kg')) * 1000),
      });
      say(out, t('dispatched_done', { code: c.id, kg: window.ct.kg(c.quantity_g) }) + ' ', 'ok');
      out.append(el('a', { id: 'dispatched-link', href: '/c/' + digits_of(c.url), text: t('code') + ' ' + c.id }));
      f.elements.quantity_kg.value = '';
      load_codes();
      if (lot) open_lot(lot.id);
    } catch (e) {
      say(out, e.message, 'bad');
    }
  });

  // A token already in this tab: straight in.
  if (window.ct.token())
    window.ct.me().then(show, () => {
      window.ct.clear_token();
    });
})();
