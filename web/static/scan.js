// The inspector's scanner: the camera with BarcodeDetector where the browser has it, jsQR
// (bundled from npm) otherwise; each code verified online, or offline against the cached keys
// and signed list when the network is gone; the codes seen recorded as one inspection.
(function () {
  'use strict';
  const { t, el, api, say } = window.ct;
  const $ = (id) => document.getElementById(id);
  const video = $('video'), status = $('status'), list_status = $('list-status');
  const results = $('results');
  const checked = []; // code texts scanned here, for the inspection
  let stream = null, detector = null, canvas = null, last = { text: '', at: 0 };

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
    checked.push(text);
    say(status, t('checking'));
    try {
      const v = await api('GET', '/api/v1/verify?code=' + encodeURIComponent(text));
      show_result(v.verdict, facts_line(v.facts), t('verified_online'));
    } catch (e) {
      if (e instanceof window.ct.api_error) return say(status, e.message, 'bad');
      // No network: the signature and the cached list decide.
      const v = await window.ct.offline.verify(text);
      if (!v.verdict) return say(status, t('offline_no_list'), 'bad');
      const f = v.fields;
      const detail = f ? [t('category_id.' + f.category), window.ct.kg(f.quantity_g)].join(' · ') : '';
      const how = t('verified_offline', { time: window.ct.minute(v.list_issued_at) });
      if (v.genuine && !v.confirmed) return show_not_confirmed(v, detail, how);
      show_result(v.verdict, detail, how);
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
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: 'environment', width: { ideal: 1280 }, height: { ideal: 720 } },
        audio: false,
      });
    } catch (e) {
      return say(status, t('camera_error', { message: e.message || e.name }), 'bad');
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

  async function inspection_form() {
    const me = await window.ct.me().catch(() => null);
    if (!me || (me.role !== 'inspector' && me.role !== 'admin')) return;
    $('inspection-login').hidden = true;
    $('inspection-form').hidden = false;
    const units = await api('GET', '/api/v1/units?limit=500').catch(() => ({ units: [] }));
    $('unit').replaceChildren(...units.units.filter((u) => u.kind !== 'regulator')
      .map((u) => el('option', { value: u.id, text: u.name })));
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
  $('inspection-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const out = $('inspection-status');
    try {
      const r = await api('POST', '/api/v1/inspections', {
        unit: Number($('unit').value),
        codes: checked.slice(),
        uncoded_items: Number($('uncoded').value || 0),
        note: $('note').value,
      });
      checked.length = 0;
      say(out, t('inspection_done', { count: r.codes.length, uncoded: r.uncoded_items }), 'ok');
    } catch (e) {
      say(out, e.message, 'bad');
    }
  });
  refresh_list();
  inspection_form();
})();
