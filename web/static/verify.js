// The verification page works without this. For an inspector (or admin) logged in in this
// tab, it adds the code's whole chain, and for an inspector a form to record a finding at a
// unit.
(function () {
  'use strict';
  const { t, el, api } = window.ct;
  const panel = document.getElementById('inspector');
  if (!panel || !window.ct.token()) return;
  const code = location.pathname.split('/').pop();

  function node_item(n) {
    const when = t('issued_short') + ' ' + window.ct.day(n.issued_at) +
      (n.received_at ? ' · ' + t('received_short') + ' ' + window.ct.day(n.received_at) : '');
    return el('li', {},
      el('strong', { text: n.holder.name }),
      ' · ' + window.ct.kg(n.quantity_g) + ' (' + t('remaining') + ' ' + window.ct.kg(n.remaining_g) +
        ') · ' + t('code_status.' + n.status) + ' · ' + when);
  }

  async function show() {
    let me;
    try {
      me = await window.ct.me();
    } catch (e) {
      return; // a stale token: the public page is all there is
    }
    if (!me || (me.role !== 'inspector' && me.role !== 'admin')) return;
    panel.hidden = false;
    panel.append(el('h2', { id: 'inspector-title', text: t('inspector_panel') }));
    const status = el('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
    try {
      const trace = await api('GET', '/api/v1/trace?code=' + encodeURIComponent(code));
      panel.append(el('h3', { text: t('chain') }), el('ol', { class: 'chain' }, ...trace.chain.map(node_item)));
      if (trace.descendants.length)
        panel.append(el('h3', { text: t('descendants') }),
          el('ul', { class: 'chain' }, ...trace.descendants.map(node_item)));
    } catch (e) {
      panel.append(el('p', { class: 'muted', text: e.message }));
    }
    // Inspections are recorded by inspectors only (the API refuses admins): an admin reads.
    if (me.role !== 'inspector') return;
    const units = await api('GET', '/api/v1/units?limit=500').catch(() => ({ units: [] }));
    const select = el('select', { id: 'finding-unit', name: 'unit', required: true },
      ...units.units.map((u) => el('option', { value: u.id, text: u.name })));
    const uncoded = el('input', { id: 'finding-uncoded', type: 'number', min: 0, step: 1, value: 0 });
    const note = el('textarea', { id: 'finding-note', rows: 2 });
    const form = el('form', { id: 'finding-form' },
      el('h3', { text: t('record_finding') }),
      el('label', { for: 'finding-unit', text: t('inspected_unit') }), select,
      el('label', { for: 'finding-uncoded', text: t('uncoded_items') }), uncoded,
      el('label', { for: 'finding-note', text: t('note') }), note,
      el('p', {}, el('button', { type: 'submit', class: 'button', text: t('submit_inspection') })),
      status);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        const r = await api('POST', '/api/v1/inspections', {
          unit: Number(select.value),
          codes: [code],
          uncoded_items: Number(uncoded.value || 0),
          note: note.value,
        });
        // The ledger judges the code at the unit inspected: wrong_holder shows here.
        const c = r.codes[0];
        window.ct.say(status, t('inspection_done', { count: r.codes.length, uncoded: r.uncoded_items }) +
          ' ' + t('verdict.' + c.verdict), window.ct.tone(c.verdict));
        status.dataset.verdict = c.verdict;
      } catch (e) {
        window.ct.say(status, e.message, 'bad');
      }
    });
    panel.append(form);
  }
  show();
})();
