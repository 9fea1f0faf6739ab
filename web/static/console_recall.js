// The console's recall notices (issue 10): a holder's open recalls on every load, at the top —
// which codes, how much it holds and has on the way, what to do and by when — marked seen
// once shown, and a form to record what it did (sealed, returned, destroyed), which must add
// up to what it held. Every value reaches the page as text.
(function () {
  'use strict';
  const { t, el, api, say, kg, minute } = window.ct;
  const $ = (id) => document.getElementById(id);
  const grams = (value) => Math.round(Number(value || 0) * 1000);

  function notice(r) {
    const h = r.holders[0];
    const id = 'recall-notice-' + r.id;
    const owed = h.held_g + h.in_transit_g;
    const field = (name, label) => {
      const input = el('input', { id: `${id}-${name}`, name, type: 'number', min: 0, step: '0.001', inputmode: 'decimal', value: '0' });
      return [el('label', { for: input.id, text: label }), input];
    };
    const form = el('form', { class: 'grid', 'aria-labelledby': id + '-title' },
      ...field('sealed', t('recall.sealed_kg')),
      ...field('returned', t('recall.returned_kg')),
      ...field('destroyed', t('recall.destroyed_kg')),
      el('label', { for: id + '-note', text: t('note') }),
      el('input', { id: id + '-note', name: 'note', maxlength: 1000 }),
      el('button', { type: 'submit', class: 'button', text: t('recall.record_action') }));
    const status = el('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const body = {
        sealed_g: grams(form.elements.sealed.value),
        returned_g: grams(form.elements.returned.value),
        destroyed_g: grams(form.elements.destroyed.value),
        note: form.elements.note.value.trim(),
      };
      try {
        await api('POST', `/api/v1/recalls/${r.id}/response`, body);
        form.remove();
        say(status, t('recall.action_recorded'), 'ok');
      } catch (e) {
        say(status, e.message, 'bad');
      }
    });
    return el('article', { class: 'recall-card', 'aria-labelledby': id + '-title' },
      el('h3', { id: id + '-title', text: t('recall.recall_title', { id: r.id, lot: r.lot, product: r.product }) }),
      el('p', { text: t('recall.reason') + '：' + r.reason }),
      el('p', { class: 'recall-owed', text: t('recall.you_hold', { held: kg(h.held_g), transit: kg(h.in_transit_g), total: kg(owed) }) }),
      el('p', { text: t('recall.codes') + '：' + (h.codes.length ? h.codes.join(t('list_sep')) : '—') }),
      el('p', { class: 'muted', text: t('recall.what_to_do', { due: minute(h.due_at) }) }),
      form, status);
  }

  async function load(who) {
    if (!['warehouse', 'operator'].includes(who.role)) return;
    try {
      const open = (await api('GET', '/api/v1/recalls?open=true')).recalls;
      if (!open.length) return;
      $('recall-notice-list').replaceChildren(...open.map(notice));
      $('recall-notices').hidden = false;
      for (const r of open)
        if (!r.holders[0].seen_at) await api('POST', `/api/v1/recalls/${r.id}/seen`);
    } catch (e) {
      say($('recall-notice-status'), e.message, 'bad');
    }
  }

  document.addEventListener('ct:signed-in', (ev) => load(ev.detail));
})();
