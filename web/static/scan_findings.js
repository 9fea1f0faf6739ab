// The inspection's findings on the scanner (issue 10): an unregistered vendor instead of a
// registered unit, what the ledger says a chosen unit should hold (to reconcile with the
// shelf), and each uncoded item recorded one by one with its action, deadline and photo.
// scan.js sends the inspection; this file gives it the vendor and the items (ct.inspection)
// and uploads the photos once the inspection is recorded.
(function () {
  'use strict';
  const { t, el, api, say } = window.ct;
  const $ = (id) => document.getElementById(id);
  const max_photo = 1024 * 1024; // the API's limit (storage::max_photo_bytes)
  const items = []; // {product, category, weight_g, action, deadline, photo: File|Blob|null}

  const names = Object.keys(window.ct_strings || {}).filter((k) => k.startsWith('category.'));
  $('item-category').replaceChildren(...names.map((k) =>
    el('option', { value: k.slice('category.'.length), text: t(k) })));

  function vendor_mode() {
    return $('vendor-mode').checked;
  }

  $('vendor-mode').addEventListener('change', () => {
    const on = vendor_mode();
    $('vendor-fields').hidden = !on;
    $('unit-pick').hidden = on || !$('unit-chosen').hidden;
    if (on) {
      $('unit-chosen').hidden = true;
      $('expected-panel').hidden = true;
      $('inspection-unit').textContent = t('vendor_title');
      $('vendor-name').focus();
    } else {
      $('inspection-unit').textContent = t('unit_required');
      $('unit-pick').hidden = false;
    }
  });

  // What the ledger says the unit holds: received minus sold minus dispatched, by code.
  async function chose(u) {
    const out = $('expected-status');
    $('expected-panel').hidden = false;
    $('expected').replaceChildren();
    try {
      const s = await api('GET', '/api/v1/units/' + encodeURIComponent(u.id) + '/stock');
      if (!s.stock.length) return say(out, t('expected_none'));
      say(out, t('expected_count', { count: s.stock.length }));
      $('expected').replaceChildren(...s.stock.map((l) => el('li', { 'data-code': l.code.id },
        el('strong', { text: l.product }), ' · ' + window.ct.kg(l.remaining_g) + ' · ' +
          (l.code.number || '#' + l.code.id) + ' · ' + t('code_status.' + l.code.status))));
    } catch (e) {
      say(out, e.message, 'bad');
    }
  }

  // A phone photo is often larger than the API takes: redrawn as a JPEG of at most 1600 px.
  async function fitted(file) {
    if (file.size <= max_photo) return file;
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
    const canvas = el('canvas', {});
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise((ok) => canvas.toBlob(ok, 'image/jpeg', 0.8));
    if (!blob || blob.size > max_photo) throw new Error(t('photo_too_large'));
    return blob;
  }

  function show_items() {
    $('items').replaceChildren(...items.map((it, i) => el('li', { 'data-item': i },
      el('strong', { text: it.product }), ' · ' + t('category.' + it.category) + ' · ' +
        window.ct.kg(it.weight_g) + ' · ' + t('action.' + it.action) +
        (it.deadline ? ' · ' + t('item_deadline') + ' ' + it.deadline.slice(0, 10) : '') +
        (it.photo ? ' · ' + t('item_has_photo') : ''),
      ' ', el('button', { type: 'button', class: 'button secondary small', text: t('item_remove'),
        onclick: () => { items.splice(i, 1); show_items(); } }))));
    $('uncoded').value = Math.max(Number($('uncoded').value || 0), items.length);
  }

  $('item-add').addEventListener('click', async () => {
    const out = $('item-status');
    const product = $('item-product').value.trim();
    const kg = Number($('item-weight').value);
    if (!product) return say(out, t('item_product_required'), 'bad'), $('item-product').focus();
    if (!(kg > 0)) return say(out, t('item_weight_required'), 'bad'), $('item-weight').focus();
    const file = $('item-photo').files[0] || null;
    let photo = null;
    try {
      if (file) photo = await fitted(file);
    } catch (e) {
      return say(out, e.message, 'bad');
    }
    const day = $('item-deadline').value; // YYYY-MM-DD: due by the end of that day, Beijing time
    items.push({ product, category: $('item-category').value, weight_g: Math.round(kg * 1000),
      action: $('item-action').value, deadline: day ? day + 'T23:59:59+08:00' : null, photo });
    for (const id of ['item-product', 'item-weight', 'item-deadline', 'item-photo']) $(id).value = '';
    show_items();
    say(out, t('item_added', { count: items.length }), 'ok');
  });

  async function upload(finding, photo) {
    const headers = { 'Content-Type': photo.type || 'image/jpeg',
      'Accept-Language': window.ct.lang === 'en' ? 'en' : 'zh-CN', Authorization: 'Bearer ' + window.ct.token() };
    const res = await fetch('/api/v1/findings/' + finding + '/photo', { method: 'POST', headers, body: photo,
      credentials: 'omit', cache: 'no-store' });
    const data = await res.json().catch(() => null);
    if (!res.ok) throw new Error((data && data.error && data.error.message) || res.statusText);
    return data;
  }

  const inspection = (window.ct.inspection = {
    failed: false,
    chose: (u) => { if (!vendor_mode()) chose(u); },
    vendor: () => vendor_mode() ? {
      name: $('vendor-name').value.trim(),
      address: $('vendor-address').value.trim(),
      credit_code: $('vendor-credit').value.trim() || undefined,
    } : null,
    findings: () => items.map(({ photo, deadline, ...f }) => deadline ? { ...f, deadline } : f),
    // After the inspection is recorded: each item's photo, then the items as recorded.
    async recorded(r, out) {
      inspection.failed = false;
      const shown = [];
      for (let i = 0; i < r.findings.length; ++i) {
        let f = r.findings[i];
        if (items[i] && items[i].photo) {
          try {
            f = await upload(f.id, items[i].photo);
          } catch (e) {
            inspection.failed = true;
            say(out, t('photo_failed', { product: f.product }) + ' ' + e.message, 'bad');
          }
        }
        shown.push(el('li', { 'data-finding': f.id, 'data-status': f.status },
          el('strong', { text: f.product }), ' · ' + t('action.' + f.action) + ' · ' +
            t('finding_status.' + f.status) + (f.photo ? ' · ' + t('item_has_photo') : '')));
      }
      $('inspection-findings').replaceChildren(...shown);
      items.length = 0;
      show_items();
    },
  });
})();
