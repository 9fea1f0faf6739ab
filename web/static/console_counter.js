// The counter of a shop or canteen (issue 10), for a queue: one scan field that a
// keyboard-wedge scanner types into (a scan ends with Enter), the camera, or a typed printed
// number → the verdict in large type, in colour and with a sound → for goods that may be sold,
// the weight sold (Enter records it, Esc skips) → back to the scan field at once. The same
// field receives deliveries. Below it: today's sales and refusals, and the stock by code with
// the lots that must come off the shelf first. Every check is recorded by the API.
(function () {
  'use strict';
  const { t, el, api, say } = window.ct;
  const lib = window.ct_console;
  const $ = (id) => document.getElementById(id);
  const counter_kinds = ['seller', 'caterer'];
  const scan = $('counter-scan'), kg_input = $('counter-kg');
  let me = null, stock = [], pending = null; // pending: the sale or receipt waiting for Enter

  // ---- sound: two rising notes for allowed, a low buzz for refused (WebAudio, no files) ----
  let audio = null;
  function beep(kind) {
    $('counter').dataset.sound = kind;
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      const notes = kind === 'ok' ? [[880, 0, 0.12], [1320, 0.13, 0.12]] : [[220, 0, 0.25], [180, 0.3, 0.35]];
      for (const [hz, at, length] of notes) {
        const osc = audio.createOscillator(), gain = audio.createGain();
        osc.type = kind === 'ok' ? 'sine' : 'square';
        osc.frequency.value = hz;
        gain.gain.value = 0.15;
        osc.connect(gain).connect(audio.destination);
        osc.start(audio.currentTime + at);
        osc.stop(audio.currentTime + at + length);
      }
    } catch (e) {
      /* no audio here: the colour and the words still say it */
    }
  }

  function verdict(tone, title, text, state) {
    const box = $('counter-verdict');
    box.className = 'counter-verdict tone-' + tone;
    box.dataset.state = state;
    box.dataset.seq = String(Number(box.dataset.seq || 0) + 1); // a new verdict, even a same one
    $('counter-verdict-title').textContent = title;
    $('counter-verdict-text').textContent = text;
  }

  // Back to the scan field: whatever waited for Enter is dropped.
  function ready() {
    pending = null;
    $('counter-sale').hidden = true;
    $('counter-take').hidden = true;
    kg_input.value = '';
    scan.value = '';
    scan.focus();
  }

  // A printed number rather than a code: digits, spaces and hyphens, at most 25 digits.
  const number_digits = (text) =>
    /^[0-9 -]+$/.test(text) && text.replace(/[ -]/g, '').length <= 25 ? text.replace(/[ -]/g, '') : null;
  const mode = () => $('counter').dataset.mode;
  // Sale or receiving: two buttons, one pressed.
  function set_mode(m) {
    $('counter').dataset.mode = m;
    for (const [id, on] of [['counter-mode-sell', m === 'sell'], ['counter-mode-receive', m === 'receive']]) {
      $(id).setAttribute('aria-pressed', String(on));
      $(id).classList.toggle('secondary', !on);
    }
  }
  const product_of = (code_id) => (stock.find((l) => l.code.id === code_id) || {}).product || '';

  async function on_scan(text) {
    if (!text) return ready();
    scan.value = '';
    if (mode() === 'receive') return receive(text);
    try {
      const r = await api('POST', '/api/v1/sale-checks', { code: text });
      if (r.allowed) {
        if (!product_of(r.code)) await load_stock(); // received elsewhere since the list loaded
        verdict('ok', t('counter_allowed'), [product_of(r.code), t('remaining') + ' ' + window.ct.kg(r.remaining_g)]
          .filter(Boolean).join(' · '), 'allowed');
        beep('ok');
        pending = { kind: 'sell', code: text, remaining_g: r.remaining_g };
        $('counter-take').hidden = true;
        $('counter-sale').hidden = false;
        say($('counter-kg-hint'), t('counter_kg_hint', { kg: window.ct.kg(r.remaining_g) }));
        kg_input.focus();
      } else if (r.verdict === 'pending_receipt') {
        // Judged at this unit, so the delivery is addressed here: offer to receive it.
        verdict('warn', t('verdict_title.pending_receipt'), r[window.ct.lang === 'en' ? 'message_en' : 'message_zh'], 'pending');
        beep('refused');
        pending = { kind: 'receive', code: text };
        $('counter-sale').hidden = true;
        $('counter-take').hidden = false;
        $('counter-take-button').focus();
      } else {
        verdict('bad', t('counter_refused') + ' · ' + t('verdict_title.' + r.verdict),
          r[window.ct.lang === 'en' ? 'message_en' : 'message_zh'], 'refused');
        beep('refused');
        ready();
      }
    } catch (e) {
      verdict('bad', t('counter_refused'), e.message, 'error');
      beep('refused');
      ready();
    }
    load_today();
  }

  // Receiving by the code's URL, or by its printed number when it names a delivery awaiting
  // receipt here (matched against the unit's own stock list, tag and all).
  async function receive(text) {
    let code = text;
    const digits = number_digits(text);
    if (digits !== null) {
      const match = () => stock.find((l) => l.code.status === 'pending' && (l.code.number || '').replace(/ /g, '') === digits);
      if (!match()) await load_stock();
      if (!match()) {
        verdict('bad', t('counter_not_received'), t('counter_not_pending', { number: text }), 'error');
        beep('refused');
        return ready();
      }
      code = match().code.id;
    }
    try {
      const c = await api('POST', '/api/v1/receive', { code }, window.ct.new_key());
      await load_stock();
      verdict('ok', t('counter_received'), [product_of(c.id), lib.code_label(c), window.ct.kg(c.quantity_g)]
        .filter(Boolean).join(' · '), 'received');
      beep('ok');
      document.dispatchEvent(new CustomEvent('ct:stock-changed'));
    } catch (e) {
      verdict('bad', t('counter_not_received'), e.message, 'error');
      beep('refused');
    }
    ready();
  }

  async function sell() {
    const typed = kg_input.value.trim();
    // A scanner that fires while the weight is asked for starts the next customer.
    if (typed && !/^[0-9]+([.,][0-9]*)?$/.test(typed)) return on_scan(typed);
    const kg = Number(typed.replace(',', '.'));
    const grams = Math.round(kg * 1000);
    if (!typed || !(grams > 0) || grams > pending.remaining_g) {
      say($('counter-kg-hint'), t('counter_kg_bad', { kg: window.ct.kg(pending.remaining_g) }), 'bad');
      beep('refused');
      kg_input.select();
      return;
    }
    try {
      const r = await api('POST', '/api/v1/sale-checks', { code: pending.code, quantity_g: grams }, window.ct.new_key());
      if (!r.sale) throw new Error(t('verdict_title.' + r.verdict));
      verdict('ok', t('counter_sold', { kg: window.ct.kg(grams), left: window.ct.kg(r.remaining_g) }),
        product_of(r.code), 'sold');
      beep('ok');
      document.dispatchEvent(new CustomEvent('ct:stock-changed'));
    } catch (e) {
      verdict('bad', t('counter_refused'), e.message, 'error');
      beep('refused');
    }
    ready();
    load_today();
    load_stock();
  }

  async function take() {
    await receive(pending.code);
  }

  // ---- today's sales and refusals, the stock --------------------------------------------
  async function load_today() {
    try {
      const d = await api('GET', '/api/v1/units/' + me.unit.id + '/today');
      say($('counter-totals'), t('counter_totals', { sales: d.sales, kg: window.ct.kg(d.sold_g), refused: d.refused }));
      // An allowed scan without a sale is a look, not a record for the list.
      const rows = d.checks.filter((k) => k.sale !== null || !k.allowed).map((k) => el('li', {
        class: 'tone-' + (k.sale !== null ? 'ok' : window.ct.tone(k.verdict)), 'data-verdict': k.verdict,
        'data-sale': k.sale !== null ? 'yes' : 'no',
      }, el('strong', { text: k.sale !== null ? t('counter_sale_row', { kg: window.ct.kg(k.quantity_g) }) : t('verdict_title.' + k.verdict) }),
      ' ' + [k.product, k.code ? lib.code_label(k.code) : t('counter_code_unknown')].filter(Boolean).join(' · '),
      el('span', { class: 'how', text: window.ct.minute(k.at).slice(11) + (k.sale !== null ? '' : ' · ' + t('verdict.' + k.verdict)) })));
      $('counter-checks').replaceChildren(...(rows.length ? rows : [el('li', { class: 'muted', text: t('counter_none_today') })]));
    } catch (e) {
      say($('counter-totals'), e.message, 'bad');
    }
  }

  async function load_stock() {
    try {
      stock = (await api('GET', '/api/v1/units/' + me.unit.id + '/stock')).stock;
    } catch (e) {
      return say($('counter-totals'), e.message, 'bad');
    }
    const kg = (g) => window.ct.kg(g).replace(/ kg$/, ''); // the column heads say kg
    $('counter-stock-rows').replaceChildren(...(stock.length ? stock.map((l) => {
      const state = lib.code_state(l.code);
      return el('tr', { 'data-code': l.code.id, 'data-state': state, class: /^lot_(recalled|quarantined)$/.test(state) ? 'tone-bad' : '' },
        el('td', { text: lib.code_label(l.code) }), el('td', { text: l.product }), el('td', { text: kg(l.received_g) }),
        el('td', { text: kg(l.sold_g) }), el('td', { text: kg(l.dispatched_g) }), el('td', { text: kg(l.remaining_g) }),
        el('td', { class: 'state-' + state, text: t('code_state.' + state) }));
    }) : [el('tr', {}, el('td', { colspan: 7, text: t('no_rows') }))]));
  }

  // ---- the camera, as the scanner page reads it (BarcodeDetector, else jsQR) ----------------
  let stream = null, detector = null, canvas = null, last = { text: '', at: 0 };
  async function camera_on() {
    if (!detector && 'BarcodeDetector' in window)
      detector = new window.BarcodeDetector({ formats: ['qr_code'] });
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    } catch (e) {
      return verdict('bad', t('camera_failed'), e.message || '', 'error');
    }
    $('counter-video').srcObject = stream;
    await $('counter-video').play().catch(() => {});
    $('counter-viewfinder').hidden = false;
    $('counter-camera').textContent = t('stop_camera');
    frame();
    scan.focus();
  }
  function camera_off() {
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    $('counter-viewfinder').hidden = true;
    $('counter-camera').textContent = t('start_camera');
  }
  async function frame() {
    if (!stream) return;
    const video = $('counter-video');
    let text = null;
    try {
      if (detector) {
        const found = await detector.detect(video);
        if (found.length) text = found[0].rawValue;
      } else if (window.jsQR && video.videoWidth) {
        canvas = canvas || document.createElement('canvas');
        const w = (canvas.width = video.videoWidth), h = (canvas.height = video.videoHeight);
        const g = canvas.getContext('2d', { willReadFrequently: true });
        g.drawImage(video, 0, 0, w, h);
        const found = window.jsQR(g.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: 'dontInvert' });
        if (found) text = found.data;
      }
    } catch (e) {
      /* a frame that cannot be read: try the next */
    }
    // The same label still in view is not a second customer.
    if (text && !pending && (text !== last.text || Date.now() - last.at > 4000)) {
      last = { text, at: Date.now() };
      on_scan(text);
    }
    setTimeout(frame, 250);
  }

  // ---- wiring: Enter drives, Escape goes back to the scan field --------------------------
  $('counter-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    on_scan(scan.value.trim());
  });
  $('counter-sale').addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (pending && pending.kind === 'sell') sell();
  });
  $('counter-take').addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (pending && pending.kind === 'receive') take();
  });
  $('counter-skip').addEventListener('click', ready);
  $('counter-take-cancel').addEventListener('click', ready);
  $('counter').addEventListener('keydown', (ev) => {
    if (ev.key !== 'Escape') return;
    ev.preventDefault();
    ready();
  });
  for (const m of ['sell', 'receive'])
    $('counter-mode-' + m).addEventListener('click', () => {
      set_mode(m);
      ready();
    });
  // A scan typed while the focus is elsewhere on the page (a list unfolded, a button) still
  // lands in the scan field: its first character moves the focus there.
  document.addEventListener('keydown', (ev) => {
    if ($('counter').hidden || ev.key.length !== 1 || ev.key === ' ' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const at = document.activeElement;
    if (at && /^(INPUT|TEXTAREA|SELECT)$/.test(at.tagName)) return;
    scan.focus();
  }, true);
  $('counter-camera').addEventListener('click', () => (stream ? camera_off() : camera_on()));

  document.addEventListener('ct:signed-in', (ev) => {
    me = ev.detail;
    if (me.role !== 'operator' || !counter_kinds.includes(me.unit.kind)) return;
    for (const id of ['counter', 'counter-today', 'counter-stock']) $(id).hidden = false;
    // On a phone the scan comes first; the lists start folded.
    if (matchMedia('(max-width: 719px)').matches) $('counter-today').open = $('counter-stock').open = false;
    set_mode('sell');
    if (!navigator.mediaDevices || (!('BarcodeDetector' in window) && !window.jsQR)) $('counter-camera').hidden = true;
    load_today();
    load_stock();
    scan.focus();
  });
})();
