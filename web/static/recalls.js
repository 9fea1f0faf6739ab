// The bureau's recall screen (issue 10): the proposals positive results opened, confirmed or
// dismissed here with a reason; a consignment recalled with everything below it; and every
// recall with each holder's quantities and answer (notified, seen, acted; overdue ones
// highlighted), the sales made before it, and its CSV. Every value reaches the page as text.
(function () {
  'use strict';
  const { t, el, api, say, kg, minute } = window.ct;
  const $ = (id) => document.getElementById(id);

  function fail(e) {
    $('alert').hidden = false;
    $('alert').textContent = e.message;
  }

  function table(caption_id, headers, rows) {
    const head = el('tr', {}, ...headers.map((h) => el('th', { scope: 'col', text: h })));
    // A region that scrolls sideways on a phone takes the keyboard's focus too.
    return el('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-labelledby': caption_id },
      el('table', { class: 'table', 'aria-labelledby': caption_id },
        el('thead', {}, head), el('tbody', {}, ...rows)));
  }

  function holder_rows(holders) {
    return holders.map((h) => el('tr', { class: h.overdue ? 'overdue' : null },
      el('td', { text: h.unit.name }),
      el('td', { text: kg(h.held_g) }),
      el('td', { text: kg(h.in_transit_g) })));
  }

  // ---- proposals ---------------------------------------------------------------------
  function proposal_card(p) {
    const id = 'proposal-' + p.id;
    const reason = el('input', { id: id + '-reason', required: true, maxlength: 1000 });
    const decide = async (confirm) => {
      if (!reason.value.trim()) {
        reason.focus();
        say($('proposal-status'), t('recall.reason_required'), 'warn');
        return;
      }
      try {
        if (confirm)
          await api('POST', '/api/v1/recalls', { proposal: p.id, reason: reason.value.trim() });
        else
          await api('POST', `/api/v1/recall-proposals/${p.id}/dismiss`, { reason: reason.value.trim() });
        say($('proposal-status'), t(confirm ? 'recall.confirmed' : 'recall.dismissed', { lot: p.lot }), 'ok');
        await load();
      } catch (e) {
        say($('proposal-status'), e.message, 'bad');
      }
    };
    return el('article', { class: 'recall-card tone-bad', 'aria-labelledby': id + '-title' },
      el('h3', { id: id + '-title', text: t('recall.proposal_title', { lot: p.lot, product: p.product }) }),
      el('p', { class: 'muted', text: t('recall.proposed_at', { at: minute(p.proposed_at), sample: p.sample }) }),
      p.holders.length
        ? table(id + '-title', [t('holder'), t('recall.held'), t('recall.in_transit')], holder_rows(p.holders))
        : el('p', { text: t('no_rows') }),
      el('p', { class: 'grid' },
        el('label', { for: id + '-reason', text: t('recall.reason') }), reason),
      el('p', { class: 'row' },
        el('button', { type: 'button', class: 'button', onclick: () => decide(true), text: t('recall.confirm') }),
        el('button', { type: 'button', class: 'button secondary', onclick: () => decide(false), text: t('recall.dismiss') })));
  }

  // ---- recalls -----------------------------------------------------------------------
  const status_text = (h) => t('recall.status.' + h.status);

  async function download_csv(r) {
    try {
      const res = await fetch(`/api/v1/recalls/${r.id}/export?format=csv&lang=${window.ct.lang}`, {
        headers: { Authorization: 'Bearer ' + window.ct.token() }, credentials: 'omit',
      });
      if (!res.ok) throw new Error((await res.json()).error.message);
      const a = el('a', { href: URL.createObjectURL(await res.blob()), download: `coldtrace-recall-${r.id}.csv` });
      document.body.append(a);
      a.click();
      a.remove();
    } catch (e) {
      fail(e);
    }
  }

  function recall_card(r) {
    const id = 'recall-' + r.id;
    const overdue = r.holders.filter((h) => h.overdue).length;
    const acted = r.holders.filter((h) => h.acted_at).length;
    const rows = r.holders.map((h) => el('tr', { class: h.overdue ? 'overdue' : null },
      el('th', { scope: 'row', text: h.unit.name }),
      el('td', { text: kg(h.held_g) }),
      el('td', { text: kg(h.in_transit_g) }),
      el('td', { text: kg(h.sold_g) }),
      el('td', { class: 'recall-state', text: status_text(h) }),
      el('td', { text: minute(h.notified_at) }),
      el('td', { text: minute(h.seen_at) || '—' }),
      el('td', { text: minute(h.acted_at) || '—' }),
      el('td', { text: h.acted_at ? t('recall.done_split', { sealed: kg(h.sealed_g), returned: kg(h.returned_g), destroyed: kg(h.destroyed_g) }) : '—' })));
    const sales = r.sales.map((s) => el('tr', {},
      el('td', { text: s.unit.name }), el('td', { text: minute(s.sold_at) }),
      el('td', { text: kg(s.quantity_g) }), el('td', { text: String(s.code) })));
    const scope = r.code ? t('recall.scope_code', { code: r.code }) : t('recall.scope_lot');
    return el('article', { class: 'recall-card', 'aria-labelledby': id + '-title' },
      el('h3', { id: id + '-title', text: t('recall.recall_title', { id: r.id, lot: r.lot, product: r.product }) }),
      el('p', {}, el('strong', { text: scope }), ' · ', minute(r.recalled_at)),
      el('p', { text: t('recall.reason') + '：' + r.reason }),
      el('p', { class: overdue ? 'recall-summary tone-bad' : 'recall-summary',
        text: t('recall.summary', { acted, total: r.holders.length, overdue }) }),
      r.holders.length
        ? table(id + '-title', [t('holder'), t('recall.held'), t('recall.in_transit'), t('recall.sold'),
          t('status'), t('recall.notified'), t('recall.seen'), t('recall.acted'), t('recall.done')], rows)
        : el('p', { text: t('no_rows') }),
      el('h4', { id: id + '-sales', text: t('recall.sales_before') }),
      sales.length
        ? table(id + '-sales', [t('recall.shop'), t('recall.sold_at'), t('quantity'), t('code')], sales)
        : el('p', { class: 'muted', text: t('recall.no_sales') }),
      el('p', { class: 'row' }, el('button', {
        type: 'button', class: 'button secondary', onclick: () => download_csv(r), text: t('download_csv'),
      })));
  }

  async function load() {
    const [proposals, recalls] = await Promise.all([
      api('GET', '/api/v1/recall-proposals?open=true'),
      api('GET', '/api/v1/recalls?limit=1000'),
    ]);
    $('proposal-list').replaceChildren(...(proposals.proposals.length
      ? proposals.proposals.map(proposal_card) : [el('p', { class: 'muted', text: t('recall.no_proposals') })]));
    const newest = recalls.recalls.slice().reverse();
    $('recall-list').replaceChildren(...(newest.length
      ? newest.map(recall_card) : [el('p', { class: 'muted', text: t('no_rows') })]));
  }

  $('subtree-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const r = await api('POST', '/api/v1/recalls',
        { code: Number($('subtree-code').value.trim()), reason: $('subtree-reason').value.trim() });
      say($('subtree-status'), t('recall.subtree_done', { codes: r.codes_blocked }), 'ok');
      ev.target.reset();
      await load();
    } catch (e) {
      say($('subtree-status'), e.message, 'bad');
    }
  });

  (async () => {
    try {
      const me = await window.ct.me();
      if (!me || !['admin', 'inspector'].includes(me.role)) return;
      $('recalls-login').hidden = true;
      for (const id of ['proposals', 'subtree', 'recalls']) $(id).hidden = false;
      await load();
    } catch (e) {
      fail(e);
    }
  })();
})();
