// The inspector's scanner: the camera with BarcodeDetector where the browser has it, jsQR
// (bundled from npm) otherwise; each code verified online, or offline against the cached keys
// and signed list when the network is gone; the codes seen recorded as one inspection. An
// inspector chooses the unit first, so each code is judged at it at once (wrong_holder). A
// code's printed number (docs/code-format.md §8) is accepted where its QR cannot be read.
(function () {
  'use strict';
  const { t, el, api, say } = window.ct;
  const $ = (id) => document.getElementById(id);
  const video = $('video'), status = $('status'), list_status = $('list-status');
  const results = $('results');
  const checked = []; // code texts scanned here, for the inspection
  let stream = null, detector = null, canvas = null, last = { text: '', at: 0 };
  let unit = null; // the unit inspected: {id, name, credit_code}, chosen first

  // The Damm check digit (docs/code-format.md §8): a whole number checks to 0.
  const damm = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2], [7, 0, 9, 2, 1, 5, 4, 8, 6, 3], [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6], [6, 1, 2, 3, 0, 4, 5, 9, 7, 8], [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4], [8, 9, 4, 5, 3, 6, 2, 0, 1, 7], [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0]];
  // A printed number rather than a code: digits, spaces and hyphens, at most 25 digits.
  const number_digits = (text) => {
    if (!/^[0-9 -]+$/.test(text)) return null;
    const d = text.replace(/[ -]/g, '');
    return d.length >= 1 && d.length <= 25 ? d : null;
  };
  const number_checks = (d) =>
    d.length >= 12 && [...d].reduce((i, c) => damm[i][c.charCodeAt(0) - 48], 0) === 0;

  function show_list(list) {
    if (list) say(list_status, t('list_as_of', { time: window.ct.minute(list.issued_at) }));
  }

  async function refresh_list() {
    try {
      show_list(await window.ct.offline.refresh());
    } catch (e) {
      show_list(await window.ct.offline.trusted_list().catch(() => null));
    }
  }

  function facts_line(facts) {
    if (!facts) return '';
    const origin = window.ct.lang === 'en' ? facts.origin_en : facts.origin_zh;
    // The public answer: no quantities, no chain (an inspector's trace is on the /c/ page).
    return [facts.product, origin || facts.origin, facts.holder.name]
      .filter(Boolean).join(' · ');
  }

  // Where the code was judged, for the line under its verdict.
  const at_unit = (how) => (unit ? how + ' · ' + t('judged_at', { name: unit.name }) : how);

  function show_result(verdict, detail, how) {
    const tone = window.ct.tone(verdict);
    const item = el('li', { class: 'tone-' + tone, 'data-verdict': verdict },
      el('strong', { text: t('verdict_title.' + verdict) }), ' ', t('verdict.' + verdict),
      detail ? el('span', { class: 'how', text: detail }) : null,
      el('span', { class: 'how', text: how }));
    results.prepend(item);
    say(status, t('verdict_title.' + verdict) + ' — ' + how, tone);
  }

  // Offline, a genuine code the cached list cannot vouch for: never shown as valid.
  function show_not_confirmed(v, detail, how) {
    const since = window.ct.minute(v.confirmed_at);
    const item = el('li', { class: 'tone-warn', 'data-verdict': v.verdict, 'data-confirmed': 'false',
      'data-not-confirmed': v.not_confirmed },
    el('strong', { text: t('offline_not_confirmed_title') }), ' ',
    t('offline_not_confirmed', { time: since }), ' ', t('offline_' + v.not_confirmed),
    detail ? el('span', { class: 'how', text: detail }) : null,
    el('span', { class: 'how', text: how }));
    results.prepend(item);
    say(status, t('offline_not_confirmed_title') + ' — ' + how, 'warn');
  }

  async function check(text) {
    const number = number_digits(text);
    // A misread printed number names no code: say so, rather than record it.
    if (number !== null && !number_checks(number)) {
      show_result('malformed', t('number_misread'), text);
      return say(status, t('number_misread'), 'bad');
    }
    checked.push(text);
    say(status, t('checking'));
    try {
      const v = await api('GET', '/api/v1/verify?code=' + encodeURIComponent(text) +
        (unit ? '&unit=' + unit.id : ''));
      const detail = [facts_line(v.facts),
        v.facts && v.facts.number ? t('number_label', { number: v.facts.number }) : ''];
      show_result(v.verdict, detail.filter(Boolean).join(' · '), at_unit(t('verified_online')));
    } catch (e) {
      if (e instanceof window.ct.api_error) return say(status, e.message, 'bad');
      // A number carries no signature: offline it cannot be checked.
      if (number !== null) return say(status, t('number_offline'), 'bad');
      // No network: the signature and the cached list decide.
      const v = await window.ct.offline.verify(text);
      if (!v.verdict) return say(status, t('offline_no_list'), 'bad');
      const f = v.fields;
      const detail = f ? [t('category_id.' + f.category), window.ct.kg(f.quantity_g)].join(' · ') : '';
      const how = at_unit(t('verified_offline', { time: window.ct.minute(v.list_issued_at) }));
      if (v.genuine && !v.confirmed) return show_not_confirmed(v, detail, how);
      // The payload names its holder: shown at another unit, it is wrong_holder, as online.
      const verdict = v.verdict === 'valid' && unit && f && f.holder !== unit.id ? 'wrong_holder' : v.verdict;
      show_result(verdict, detail, how);
    }
  }

  function seen(text) {
    const now = Date.now();
    if (text === last.text && now - last.at < 4000) return; // the same label still in view
    last = { text, at: now };
    check(text);
  }

  async function decode_frame() {
    if (!stream) return;
    try {
      if (detector) {
        const codes = await detector.detect(video);
        if (codes.length) seen(codes[0].rawValue);
      } else if (window.jsQR && video.videoWidth) {
        canvas = canvas || document.createElement('canvas');
        const w = (canvas.width = video.videoWidth), h = (canvas.height = video.videoHeight);
        const g = canvas.getContext('2d', { willReadFrequently: true });
        g.drawImage(video, 0, 0, w, h);
        const found = window.jsQR(g.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: 'dontInvert' });
        if (found && found.data) seen(found.data);
      }
    } catch (e) {
      /* a frame that cannot be read: try the next */
    }
    setTimeout(decode_frame, 250);
  }

  // The browser's error, in the page's language: its own message is English whatever the page.
  function camera_problem(e) {
    const name = (e && e.name) || '';
    if (name === 'NotAllowedError' || name === 'PermissionDeniedError') return t('camera_denied');
    if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError')
      return t('camera_missing');
    if (name === 'NotReadableError' || name === 'TrackStartError' || name === 'AbortError') return t('camera_busy');
    if (!window.isSecureContext) return t('camera_insecure');
    return t('camera_failed');
  }

  async function start() {
    if ('BarcodeDetector' in window) {
      try {
        const formats = await window.BarcodeDetector.getSupportedFormats();
        if (formats.includes('qr_code')) detector = new window.BarcodeDetector({ formats: ['qr_code'] });
      } catch (e) {
        detector = null;
      }
    }
    if (!detector && !window.jsQR) return say(status, t('no_decoder'), 'bad');
    try {
      if (!navigator.mediaDevices) throw new Error('no mediaDevices');
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: 'environment', width: { ideal: 1280 }, height: { ideal: 720 } },
        audio: false,
      });
    } catch (e) {
      return say(status, camera_problem(e), 'bad');
    }
    last = { text: '', at: 0 };
    video.srcObject = stream;
    await video.play().catch(() => {});
    $('start').hidden = true;
    $('stop').hidden = false;
    say(status, t('scanning'));
    decode_frame();
  }

  function stop() {
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.srcObject = null;
    $('start').hidden = false;
    $('stop').hidden = true;
    say(status, '');
  }

  // The unit inspected, searched by name or credit code on the server: none is preselected.
  let search_seq = 0;
  async function search_units() {
    const q = $('unit-search').value.trim();
    const seq = ++search_seq;
    const list = $('unit-matches');
    if (!q) return list.replaceChildren();
    const found = await api('GET', '/api/v1/units?limit=20&q=' + encodeURIComponent(q)).catch(() => null);
    if (seq !== search_seq || !found) return; // a later search is on its way
    const units = found.units.filter((u) => u.kind !== 'regulator');
    if (!units.length) return list.replaceChildren(el('li', { class: 'muted', text: t('unit_none_found') }));
    list.replaceChildren(...units.map((u) => el('li', {},
      el('button', { type: 'button', class: 'button', 'data-unit': u.id, onclick: () => choose(u) },
        u.name, el('span', { class: 'credit', text: u.credit_code + ' · ' + t('unit_kind.' + u.kind) })))));
  }

  let last_unit = null;
  function choose(u) {
    // Another unit is another inspection: codes judged at the last one are not carried over.
    if (last_unit && last_unit.id !== u.id) {
      checked.length = 0;
      results.replaceChildren();
      $('inspection-codes').replaceChildren();
      say($('inspection-status'), '');
    }
    unit = last_unit = u;
    if (window.ct.inspection) window.ct.inspection.chose(u);
    const text = t('unit_chosen', { name: u.name, credit: u.credit_code });
    $('unit-chosen-text').textContent = text;
    $('inspection-unit').textContent = text;
    $('unit-pick').hidden = !!u;
    $('unit-chosen').hidden = !u;
    $('code-input').focus();
  }

  function change_unit() {
    unit = null;
    $('unit-pick').hidden = false;
    $('unit-chosen').hidden = true;
    $('inspection-unit').textContent = t('unit_required');
    $('unit-search').focus();
  }

  async function inspection_form() {
    const me = await window.ct.me().catch(() => null);
    // Inspectors record inspections; the API refuses anyone else, admins included.
    if (!me || me.role !== 'inspector') return;
    $('inspection-login').hidden = true;
    $('inspection-form').hidden = false;
    $('unit-panel').hidden = false;
    $('inspection-unit').textContent = t('unit_required');
  }

  // The page, its scripts, the keys and the last list stay available offline (reload included).
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/scan-sw.js', { scope: '/scan' }).catch(() => {});
  }

  $('start').addEventListener('click', start);
  $('stop').addEventListener('click', stop);
  $('manual').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const input = $('code-input');
    if (input.value.trim()) check(input.value.trim());
    input.value = '';
    input.focus();
  });
  let search_timer = null;
  $('unit-search').addEventListener('input', () => {
    clearTimeout(search_timer);
    search_timer = setTimeout(search_units, 200);
  });
  $('unit-search').addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter') return;
    ev.preventDefault();
    clearTimeout(search_timer);
    search_units();
  });
  $('unit-change').addEventListener('click', change_unit);
  $('inspection-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const out = $('inspection-status');
    // At an unregistered vendor (scan_findings.js) there is no unit to choose.
    const extra = window.ct.inspection;
    const vendor = extra ? extra.vendor() : null;
    if (!unit && !vendor) {
      say(out, t('unit_required'), 'bad');
      return $('unit-search').focus();
    }
    try {
      const sent = checked.slice();
      const body = {
        codes: sent,
        uncoded_items: Number($('uncoded').value || 0),
        note: $('note').value,
      };
      if (vendor) body.vendor = vendor;
      else body.unit = unit.id;
      if (extra) body.findings = extra.findings();
      const r = await api('POST', '/api/v1/inspections', body);
      checked.length = 0;
      if (extra) await extra.recorded(r, out);
      // What the server recorded for each code, judged at the unit: not only "recorded".
      const bad = r.codes.filter((c) => c.verdict !== 'valid').length;
      $('inspection-codes').replaceChildren(...r.codes.map((c, i) =>
        el('li', { class: 'tone-' + window.ct.tone(c.verdict), 'data-verdict': c.verdict },
          el('strong', { text: t('verdict_title.' + c.verdict) }), ' ', sent[i].length > 40 ? '…' + sent[i].slice(-12) : sent[i])));
      if (!extra || !extra.failed) say(out, t('inspection_result', { count: r.codes.length, bad, uncoded: r.uncoded_items }), bad ? 'bad' : 'ok');
    } catch (e) {
      say(out, e.message, 'bad');
    }
  });
  refresh_list();
  inspection_form();
})();
