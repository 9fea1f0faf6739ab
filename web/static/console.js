// The operator console: log in with a token (kept in this tab, sent as a Bearer header), then
// the warehouse's intake → samples → results → disinfection → release → label, and a unit's
// receive, dispatch and poster. Admins and inspectors are sent to their own pages. Every
// value reaches the page as text, never as HTML; the building blocks are in console_lib.js,
// the counter of a shop or canteen in console_counter.js.
(function () {
  'use strict';
  const { t, el, api, say } = window.ct;
  const lib = window.ct_console;
  const $ = (id) => document.getElementById(id);
  const alert_box = $('alert');
  let me = null, lot = null, lot_code = null, last_child = null;

  function fail(e) {
    alert_box.hidden = false;
    alert_box.textContent = e.message;
  }
  const digits_of = (url) => (url || '').split('/c/').pop();
  const form_value = (form, name) => form.elements[name].value.trim();
  const with_lang = (path) => path + (path.includes('?') ? '&' : '?') + 'lang=' + window.ct.lang;

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
  // A person signs in by name and password; the session token is then kept like a pasted one.
  $('password-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const name = $('login-name').value.trim();
    const password = $('login-password').value;
    $('login-password').value = '';
    try {
      const s = await window.ct.api('POST', '/api/v1/sessions', { name, password });
      window.ct.set_token(s.token);
      show(await window.ct.me());
    } catch (e) {
      window.ct.clear_token();
      fail(e);
      $('login-password').focus();
    }
  });
  $('logout').addEventListener('click', async () => {
    // A session is ended on the server too; a pasted token stays valid (it is a machine's).
    if ((window.ct.token() || '').startsWith('cs_'))
      await window.ct.api('DELETE', '/api/v1/sessions/current').catch(() => {});
    window.ct.clear_token();
    location.reload();
  });

  // Each role lands where its work is: a warehouse on intake, a unit on receive and dispatch,
  // an inspector on the scanner, an admin on the statistics.
  const elsewhere = { inspector: ['scan', 'role_work.inspector'], admin: ['dashboard', 'role_work.admin'] };

  function show(who) {
    me = who;
    alert_box.hidden = true;
    $('login').hidden = true;
    $('who').hidden = false;
    $('who-text').textContent = t('logged_in_as', {
      name: who.name || '#' + who.account, role: t('role.' + who.role), unit: who.unit.name,
    });
    // Sections in files of their own (console_recall.js) start from here.
    document.dispatchEvent(new CustomEvent('ct:signed-in', { detail: who }));
    const warehouse = who.role === 'warehouse';
    const unit_side = warehouse || who.role === 'operator';
    $('warehouse').hidden = !warehouse;
    $('lots').hidden = !warehouse;
    for (const id of ['units-side', 'codes-side', 'dispatch-side', 'import-side']) $(id).hidden = !unit_side;
    if (elsewhere[who.role]) {
      const [page, text] = elsewhere[who.role];
      $('role-work').hidden = false;
      $('role-work-text').textContent = t(text);
      $('role-work-link').textContent = t('title.' + page);
      $('role-work-link').href = with_lang('/' + page);
      location.assign(with_lang('/' + page));
      return;
    }
    // On a phone, what is not the role's first task starts folded.
    if (matchMedia('(max-width: 719px)').matches)
      for (const id of warehouse ? ['lots', 'codes-side', 'units-side', 'dispatch-side', 'import-side'] : ['codes-side', 'import-side'])
        $(id).open = false;
    if (warehouse) {
      fill_categories();
      lib.fill_countries($('countries'));
      load_lots();
      $('in-product').focus();
    } else {
      $('receive-code').focus();
    }
    if (unit_side) {
      load_codes();
      load_units();
    }
    // The counter (console_counter.js) shows itself for the units that sell.
    document.dispatchEvent(new CustomEvent('ct:signed-in', { detail: who }));
  }

  // ---- intake, with a keyboard-wedge scanner -------------------------------------------
  function fill_categories() {
    const names = Object.keys(window.ct_strings).filter((k) => k.startsWith('category.'));
    $('in-category').replaceChildren(...names.map((k) =>
      el('option', { value: k.slice('category.'.length), text: t(k) })));
    lib.apply_category($('intake-form'));
  }
  $('in-category').addEventListener('change', () => lib.apply_category($('intake-form')));
  $('in-origin').addEventListener('input', () => lib.check_origin($('in-origin'), $('in-origin-hint')));

  // A scanner types a value and presses Enter: go to the next empty required field, and
  // submit only when every required one is filled (the same fields the API requires).
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

  $('intake-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = ev.currentTarget, out = $('intake-status');
    const origin = lib.check_origin($('in-origin'), $('in-origin-hint'));
    if (!origin) return lib.tell(out, t('origin_unknown'), 'bad');
    const body = {
      product: form_value(f, 'product'),
      category: form_value(f, 'category'),
      origin,
      net_weight_g: Math.round(Number(form_value(f, 'net_weight_kg')) * 1000),
      packages: Number(form_value(f, 'packages')),
      consignor: form_value(f, 'consignor'),
      vehicle: form_value(f, 'vehicle'),
    };
    for (const k of ['customs_number', 'quarantine_certificate', 'manufacturer', 'plant_registration',
      'production_date', 'batch_number', 'animal_quarantine_certificate'])
      if (form_value(f, k)) body[k] = form_value(f, k);
    if (form_value(f, 'storage_temp_c')) body.storage_temp_c = Number(form_value(f, 'storage_temp_c'));
    lib.once(f, async (key) => {
      const r = await api('POST', '/api/v1/lots', body, key);
      f.reset();
      lib.apply_category(f);
      $('in-origin-hint').textContent = '';
      lib.tell(out, t('intake_done', { lot: r.lot.id, code: r.code.number || r.code.id }), 'ok');
      load_codes();
      await load_lots();
      await open_lot(r.lot.id, false);
    }).catch((e) => {
      lib.tell(out, e.message, 'bad');
      f.querySelector('input').focus();
    });
  });

  // ---- lots ----------------------------------------------------------------------------
  $('lot-status').addEventListener('change', load_lots);
  // A search by what a customs notice names: the lots that match, whatever their status.
  $('lot-search-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    load_lots();
  });

  async function load_lots() {
    const status = $('lot-status').value, text = $('lot-search').value.trim();
    const query = new URLSearchParams({ limit: 200 });
    if (status) query.set('status', status);
    if (text) query.set($('lot-search-by').value, text);
    try {
      const r = await api('GET', '/api/v1/lots?' + query);
      const rows = r.lots.slice().reverse().map((l) => el('tr', {},
        el('td', { text: l.id }), el('td', { text: l.product }), el('td', { text: lib.country_name(l.origin) }),
        el('td', { text: window.ct.kg(l.net_weight_g) }),
        el('td', { text: window.ct.day(l.intake_at) }), el('td', { text: t('lot_status.' + l.status) }),
        el('td', {}, el('button', {
          type: 'button', class: 'button small secondary', text: t('open'),
          'aria-label': t('open') + ' ' + t('lot') + ' ' + l.id, onclick: () => open_lot(l.id),
        }))));
      $('lot-rows').replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: 7, text: t('no_rows') }))]));
    } catch (e) {
      fail(e);
    }
  }

  function fact(label, value) {
    return el('div', {}, el('dt', { text: label }), el('dd', { text: value }));
  }

  // What was given of the details at intake (manufacturer, batch, …), each as a fact.
  function lot_details(l) {
    const shown = [['manufacturer', l.manufacturer], ['plant_registration', l.plant_registration],
      ['production_date', l.production_date], ['batch_number', l.batch_number],
      ['storage_temp_c', l.storage_temp_c === null || l.storage_temp_c === undefined ? '' : l.storage_temp_c + ' ℃'],
      ['animal_quarantine_certificate', l.animal_quarantine_certificate]];
    return shown.filter(([, v]) => v !== '' && v !== undefined).map(([k, v]) => fact(t(k), String(v)));
  }

  async function open_lot(id, focus = true) {
    try {
      lot = await api('GET', '/api/v1/lots/' + id);
    } catch (e) {
      return fail(e);
    }
    lot_code = await api('GET', '/api/v1/codes/' + lot.root_code).catch(() => null);
    $('lot-facts').replaceChildren(
      fact(t('category'), t('category.' + lot.category)),
      fact(t('origin'), lib.country_name(lot.origin) + '（' + lot.origin + '）'),
      fact(t('net_weight'), window.ct.kg(lot.net_weight_g)), fact(t('packages'), lot.packages),
      fact(t('consignor'), lot.consignor), fact(t('status'), t('lot_status.' + lot.status)),
      fact(t('code'), lot_code ? lib.code_label(lot_code) : String(lot.root_code)),
      ...lot_details(lot));
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
    const checks = lib.checklist(lot);
    lib.show_checklist($('checklist'), lot.status === 'held' ? checks : []);
    $('checklist-title').hidden = lot.status !== 'held';
    const ready = lot.status === 'held' && checks.every(([, done]) => done);
    $('release').disabled = lot.status !== 'held';
    $('release').dataset.off = $('release').disabled ? '1' : '';
    $('release').classList.toggle('secondary', !ready);
    $('poster-link').href = lot_code ? with_lang('/poster/' + digits_of(lot_code.url)) : '#';
    show_label(lot.root_code);
    // The title changes last, once everything below it is the new lot's (tests wait for it).
    const section = $('lot');
    section.hidden = false;
    $('lot-title').textContent = t('lot_title', { lot: lot.id, product: lot.product });
    if (focus) section.focus();
  }

  // Labels are served with the token only (a label is a printable genuine code), so the image
  // comes from an authenticated fetch, as an object URL freed when the next one replaces it.
  async function show_label(code_id) {
    const img = $('label-img');
    if (img.src.startsWith('blob:')) URL.revokeObjectURL(img.src);
    img.removeAttribute('src');
    $('label').hidden = false;
    $('label-number').textContent = lot_code ? lib.code_label(lot_code) : '';
    $('label-caption').textContent = lot.product + ' · ' + t('lot') + ' ' + lot.id + ' · ' + window.ct.kg(lot.net_weight_g);
    try {
      img.src = await window.ct.label_url(code_id, 'svg');
    } catch (e) {
      fail(new Error(t('label_unavailable') + e.message));
    }
  }

  function lot_form(id, status_id, path, body_of) {
    $(id).addEventListener('submit', (ev) => {
      ev.preventDefault();
      const f = ev.currentTarget;
      lib.once(f, async (key) => {
        await api('POST', path(f), body_of(f), key);
        f.reset();
        await open_lot(lot.id, false);
        lib.tell($(status_id), t('saved'), 'ok');
      }).catch((e) => lib.tell($(status_id), e.message, 'bad'));
    });
  }
  lot_form('sample-form', 'sample-status', () => '/api/v1/lots/' + lot.id + '/samples', (f) => ({
    type: form_value(f, 'type'), collector: form_value(f, 'collector'),
    collected_at: window.ct.from_local(form_value(f, 'collected_at')),
  }));
  lot_form('result-form', 'result-status', (f) => '/api/v1/samples/' + form_value(f, 'sample') + '/result', (f) => ({
    outcome: form_value(f, 'outcome'), lab: form_value(f, 'lab'), report_number: form_value(f, 'report_number'),
    reported_at: window.ct.from_local(form_value(f, 'reported_at')),
  }));
  lot_form('disinfection-form', 'disinfection-status', () => '/api/v1/lots/' + lot.id + '/disinfections', (f) => ({
    agent: form_value(f, 'agent'), operator: form_value(f, 'operator_name'),
    certificate: form_value(f, 'certificate'), performed_at: window.ct.from_local(form_value(f, 'performed_at')),
  }));

  // Release says which rule fails: the API's 409 message, in the page's language.
  $('release').addEventListener('click', (ev) => {
    const out = $('release-result');
    lib.once(ev.currentTarget, async (key) => {
      await api('POST', '/api/v1/lots/' + lot.id + '/release', {}, key);
      await open_lot(lot.id, false);
      lib.tell(out, t('release_done', { lot: lot.id }), 'ok');
      load_lots();
      load_codes();
    }).catch((e) => lib.tell(out, t('release_failed', { message: e.message }), 'bad'));
  });

  $('label-link').addEventListener('click', () => {
    if (!lot_code) return;
    lib.print_label(lot_code, lot.product + ' · ' + t('lot') + ' ' + lot.id + ' · ' + window.ct.kg(lot.net_weight_g))
      .catch((e) => fail(new Error(t('label_unavailable') + e.message)));
  });

  // ---- receive, codes, dispatch ----------------------------------------------------------
  $('receive-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = ev.currentTarget, input = $('receive-code'), out = $('receive-status');
    lib.once(f, async (key) => {
      const c = await api('POST', '/api/v1/receive', { code: input.value.trim() }, key);
      lib.tell(out, t('received_done', { code: lib.code_label(c), kg: window.ct.kg(c.quantity_g) }), 'ok');
      load_codes();
    }).catch((e) => lib.tell(out, e.message, 'bad')).finally(() => {
      input.value = '';
      input.focus();
    });
  });

  async function load_codes() {
    try {
      const r = await api('GET', '/api/v1/codes?limit=200');
      const codes = r.codes.slice().reverse();
      $('code-rows').replaceChildren(...(codes.length ? codes.map((c) => el('tr', { 'data-code': c.id }, el('td', {},
        el('a', { class: 'code-link', href: '/c/' + digits_of(c.url), text: lib.code_label(c) })), el('td', { text: c.lot }),
        el('td', { text: window.ct.kg(c.quantity_g) }), el('td', { text: window.ct.kg(c.remaining_g) }),
        el('td', { class: 'state-' + lib.code_state(c), text: t('code_state.' + lib.code_state(c)) }),
        el('td', {}, el('a', { class: 'button small secondary', href: with_lang('/poster/' + digits_of(c.url)),
          text: t('print_poster'), 'aria-label': t('print_poster') + ' ' + lib.code_label(c) })))) :
        [el('tr', {}, el('td', { colspan: 6, text: t('no_rows') }))]));
      const usable = codes.filter(lib.can_dispatch), blocked = codes.filter((c) => !lib.can_dispatch(c));
      $('dp-code').replaceChildren(...usable.map((c) => el('option', {
        value: c.id, text: lib.code_label(c) + ' · ' + t('lot') + ' ' + c.lot + ' · ' + window.ct.kg(c.remaining_g),
      })));
      $('undispatchable-box').hidden = blocked.length === 0;
      $('undispatchable-title').textContent = t('cannot_dispatch', { n: blocked.length });
      $('undispatchable').replaceChildren(...blocked.map((c) => el('li', { 'data-code': c.id },
        el('strong', { text: lib.code_label(c) }), ' · ' + t('lot') + ' ' + c.lot + ' · ' +
          t('why_not.' + lib.code_state(c)))));
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

  $('dispatch-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = ev.currentTarget, out = $('dispatch-result');
    const body = {
      code: Number(form_value(f, 'code')), consignee: Number(form_value(f, 'consignee')),
      quantity_g: Math.round(Number(form_value(f, 'quantity_kg')) * 1000),
    };
    lib.once(f, async (key) => {
      const c = await api('POST', '/api/v1/dispatch', body, key);
      last_child = c;
      lib.tell(out, t('dispatched_done', { code: lib.code_label(c), kg: window.ct.kg(c.quantity_g) }) + ' ', 'ok');
      out.append(el('a', { id: 'dispatched-link', class: 'code-link', href: '/c/' + digits_of(c.url), text: t('code') + ' ' + lib.code_label(c) }));
      $('dispatch-print').hidden = false;
      f.elements.quantity_kg.value = '';
      load_codes();
      if (lot) open_lot(lot.id, false);
    }).catch((e) => {
      $('dispatch-print').hidden = true;
      lib.tell(out, e.message, 'bad');
    });
  });

  $('dispatched-print').addEventListener('click', () => {
    if (!last_child) return;
    const consignee = $('dp-consignee').selectedOptions[0];
    lib.print_label(last_child, t('lot') + ' ' + last_child.lot + ' · ' + window.ct.kg(last_child.quantity_g) +
      (consignee ? ' · ' + consignee.textContent : '')).catch((e) => fail(new Error(t('label_unavailable') + e.message)));
  });

  // The counter received or sold: the codes held and the dispatch list follow.
  document.addEventListener('ct:stock-changed', () => load_codes());

  // A token already in this tab: straight in.
  if (window.ct.token())
    window.ct.me().then(show, () => {
      window.ct.clear_token();
    });
})();
