// The bureau's findings (issue 10): uncoded items that inspections recorded, open, overdue or
// closed, by region and by unit (or unregistered vendor); each with its photo (fetched with
// the token: photos are served to regulators only) and, for inspectors, the follow-up form
// that closes it.
(function () {
  'use strict';
  const { t, el, api, say } = window.ct;
  const $ = (id) => document.getElementById(id);
  let me = null;

  async function photo(f, holder, button) {
    button.disabled = true;
    try {
      const res = await fetch(f.photo, { headers: { Authorization: 'Bearer ' + window.ct.token() },
        credentials: 'omit', cache: 'no-store' });
      if (!res.ok) throw new Error(res.statusText);
      const url = URL.createObjectURL(await res.blob());
      holder.replaceChildren(el('img', { src: url, alt: t('photo_of', { product: f.product }), class: 'photo' }));
      button.hidden = true;
    } catch (e) {
      holder.replaceChildren(el('p', { class: 'status', 'data-tone': 'bad', text: e.message }));
      button.disabled = false;
    }
  }

  function follow_up_form(f) {
    const id = 'follow-' + f.id;
    const note = el('textarea', { id, rows: 2, required: true });
    const out = el('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
    const form = el('form', { class: 'follow-up' },
      el('label', { for: id, text: t('follow_up_note') }), note,
      el('button', { type: 'submit', class: 'button', text: t('follow_up_submit') }), out);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        await api('POST', '/api/v1/findings/' + f.id + '/follow-up', { note: note.value });
        say(out, t('follow_up_done'), 'ok');
        await load();
      } catch (e) {
        say(out, e.message, 'bad');
      }
    });
    return form;
  }

  function finding_item(f) {
    const holder = el('div', {});
    const facts = [t('category.' + f.category), window.ct.kg(f.weight_g), t('action.' + f.action)];
    if (f.deadline) facts.push(t('item_deadline') + ' ' + window.ct.day(f.deadline));
    facts.push(t('inspected_on') + ' ' + window.ct.day(f.inspected_at));
    const item = el('li', { class: 'finding', 'data-finding': f.id, 'data-status': f.status },
      el('p', {}, el('strong', { text: f.product }), ' · ' + t('finding_status.' + f.status)),
      el('p', { class: 'muted', text: facts.join(' · ') }), holder);
    if (f.photo) {
      const button = el('button', { type: 'button', class: 'button secondary small', text: t('show_photo') });
      button.addEventListener('click', () => photo(f, holder, button));
      item.append(el('p', {}, button));
    }
    if (f.follow_up)
      item.append(el('p', { text: t('follow_up_recorded', { day: window.ct.day(f.follow_up.at) }) + ' ' + f.follow_up.note }));
    else if (me.role === 'inspector') item.append(follow_up_form(f));
    return item;
  }

  // Region, then the unit or vendor, each a section of its own.
  function show(list) {
    const regions = new Map();
    for (const f of list) {
      const r = f.region || t('region_unknown');
      if (!regions.has(r)) regions.set(r, new Map());
      const place = (f.unit ? '' : t('vendor_unregistered') + ' · ') + f.place;
      const places = regions.get(r);
      if (!places.has(place)) places.set(place, []);
      places.get(place).push(f);
    }
    $('findings').replaceChildren(...[...regions].map(([region, places], i) =>
      el('section', { class: 'panel', 'aria-labelledby': 'region-' + i },
        el('h2', { id: 'region-' + i, text: region }),
        ...[...places].map(([place, fs]) => el('div', {},
          el('h3', { text: place }),
          el('ol', { class: 'results' }, ...fs.map(finding_item)))))));
  }

  async function load() {
    const out = $('findings-status');
    const q = new URLSearchParams({ state: $('findings-state').value, limit: '500' });
    const region = $('findings-region').value.trim();
    if (region) q.set('region', region);
    try {
      const r = await api('GET', '/api/v1/findings?' + q);
      say(out, t('findings_count', { count: r.findings.length }));
      show(r.findings);
    } catch (e) {
      say(out, e.message, 'bad');
    }
  }

  (async () => {
    me = await window.ct.me().catch(() => null);
    if (!me || (me.role !== 'inspector' && me.role !== 'admin')) return;
    $('findings-login').hidden = true;
    $('findings-filter').hidden = false;
    $('findings-filter').addEventListener('submit', (ev) => {
      ev.preventDefault();
      load();
    });
    load();
  })();
})();
