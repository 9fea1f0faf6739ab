// The console's building blocks, kept apart from its wiring (console.js): one request per
// click, answers beside the form that asked, the intake form's rules as the API's, countries
// by name, the release checklist, what a code may do, and label printing.
(function () {
  'use strict';
  const { t, el, say } = window.ct;
  const lib = (window.ct_console = {});

  // Runs `work` with the form's (or the button's) buttons disabled, so a double click sends
  // one request; `work` gets an Idempotency-Key that is kept only when the network failed
  // (the same write retried), so a retry after a lost answer is still done once.
  lib.once = async function (owner, work) {
    if (owner.dataset.busy) return;
    owner.dataset.busy = '1';
    const buttons = owner.tagName === 'BUTTON' ? [owner] : Array.from(owner.querySelectorAll('button'));
    for (const b of buttons) b.disabled = true;
    owner.setAttribute('aria-busy', 'true');
    const key = owner.dataset.key || window.ct.new_key();
    try {
      await work(key);
      delete owner.dataset.key;
    } catch (e) {
      if (e instanceof TypeError) owner.dataset.key = key;
      else delete owner.dataset.key;
      throw e;
    } finally {
      delete owner.dataset.busy;
      owner.removeAttribute('aria-busy');
      for (const b of buttons) b.disabled = b.dataset.off === '1';
    }
  };

  // An answer in the status line beside the form, where the operator is looking.
  lib.tell = function (node, text, tone) {
    say(node, text, tone);
    node.scrollIntoView({ block: 'nearest' });
  };

  // ---- countries ---------------------------------------------------------------------------
  const countries = Object.keys(window.ct_strings).filter((k) => k.startsWith('country.'))
    .map((k) => ({ code: k.slice('country.'.length), name: t(k) }));
  lib.country_name = (code) => (code ? t('country.' + code) : '');
  lib.country_option = (c) => c.name + '（' + c.code + '）';
  lib.fill_countries = function (list) {
    list.replaceChildren(...countries.map((c) => el('option', { value: lib.country_option(c) })));
  };
  // What the operator typed or picked ("南非（ZA）", "南非", "za", "South Africa") as the
  // ISO code, or null.
  lib.country_code = function (typed) {
    const s = typed.trim();
    const m = s.match(/[（(]([A-Za-z]{2})[）)]\s*$/);
    const code = m ? m[1].toUpperCase() : /^[A-Za-z]{2}$/.test(s) ? s.toUpperCase() : null;
    if (code) return countries.some((c) => c.code === code) ? code : null;
    const by_name = countries.find((c) => c.name === s || c.name.toLowerCase() === s.toLowerCase());
    return by_name ? by_name.code : null;
  };

  // ---- the intake form's rules, as the API's ---------------------------------------------------
  const imported = new Set(t('imported_categories').split(','));
  lib.is_imported = (category) => imported.has(category);
  // Imports need their customs declaration (18 digits) and quarantine certificate; the
  // labels say so, and the fields become required, so Enter walks to them.
  lib.apply_category = function (form) {
    const needs = lib.is_imported(form.elements.category.value);
    for (const [name, label, key] of [['customs_number', 'in-customs-label', 'customs_number_required'],
      ['quarantine_certificate', 'in-quarantine-label', 'quarantine_certificate_required']]) {
      form.elements[name].required = needs;
      document.getElementById(label).textContent = needs ? t(key) : t(key.replace('_required', '_optional'));
    }
  };
  lib.check_origin = function (input, hint) {
    const code = lib.country_code(input.value);
    input.setCustomValidity(input.value.trim() && !code ? t('origin_unknown') : '');
    hint.textContent = code ? lib.country_name(code) + ' · ' + code : '';
    return code;
  };

  // ---- the release checklist -------------------------------------------------------------------
  // What release needs, each done or not, from the lot as the API gives it. The API stays the
  // judge: this only says what is missing before the operator asks.
  lib.checklist = function (lot) {
    const results = lot.samples.filter((s) => s.result);
    const positive = results.some((s) => s.result.outcome === 'positive');
    const since = new Date(lot.intake_at).getTime();
    const disinfected = lot.disinfections.some((d) => new Date(d.performed_at).getTime() >= since);
    const documents = !lib.is_imported(lot.category) || (lot.customs_number && lot.quarantine_certificate);
    return [
      ['samples', lot.samples.length > 0, t('check.samples_count', { n: lot.samples.length })],
      ['results', lot.samples.length > 0 && results.length === lot.samples.length && !positive,
        positive ? t('check.results_positive')
          : t('check.results_count', { done: results.length, n: lot.samples.length })],
      ['disinfection', disinfected, disinfected ? t('check.done') : t('check.disinfection_missing')],
      ['documents', Boolean(documents), lib.is_imported(lot.category)
        ? (documents ? t('check.done') : t('check.documents_missing')) : t('check.documents_domestic')],
    ];
  };
  lib.show_checklist = function (list, items) {
    list.replaceChildren(...items.map(([name, done, note]) => el('li', {
      class: done ? 'done' : 'todo', 'data-check': name, 'data-done': done ? 'yes' : 'no',
    }, el('span', { class: 'mark', text: done ? t('check.mark_done') : t('check.mark_todo') }),
    el('strong', { text: t('check.' + name) }), ' ', el('span', { class: 'muted', text: note }))));
  };

  // ---- codes -------------------------------------------------------------------------------
  // A code's state as a person needs it: its lot's state first (a code of a lot not released
  // is not 在库 for sale), then whether it is received and what it still holds.
  lib.code_state = function (c) {
    if (c.lot_status && c.lot_status !== 'released') return 'lot_' + c.lot_status;
    if (c.status === 'pending') return 'pending';
    return c.remaining_g > 0 ? 'active' : 'used_up';
  };
  lib.can_dispatch = (c) => lib.code_state(c) === 'active';
  lib.code_label = (c) => c.number || String(c.id);

  // ---- labels -----------------------------------------------------------------------------------
  // Prints one label at label size (print CSS: @page is the label; only #print-sheet prints):
  // the QR and the code's short number under it, for a hand to type when the QR cannot be read.
  lib.print_label = async function (code, caption) {
    const img = document.getElementById('print-img');
    if (img.src.startsWith('blob:')) URL.revokeObjectURL(img.src);
    img.src = await window.ct.label_url(code.id, 'svg');
    await img.decode().catch(() => {});
    document.getElementById('print-number').textContent = lib.code_label(code);
    document.getElementById('print-caption').textContent = caption;
    window.print();
  };
})();
