// The poster's QR and print button (a script, since the page allows no inline handlers). A QR is
// a label: it is fetched with this tab's token, so only a unit that may print the code (its
// holder, the issuing warehouse) or an inspector gets it; anyone else sees the facts and a note.
(function () {
  'use strict';
  const { t, el } = window.ct;
  const holder = document.getElementById('poster-qr');
  const note = document.getElementById('poster-sign-in');
  const button = document.getElementById('print');
  if (button) {
    button.disabled = true;
    button.addEventListener('click', () => window.print());
  }

  async function show() {
    if (!holder || !window.ct.token()) throw new Error('no token');
    const url = await window.ct.label_url(holder.dataset.code, 'svg', 4);
    holder.replaceChildren(el('img', { src: url, alt: t('qr_label'), id: 'poster-qr-img' }));
    if (button) button.disabled = false;
  }
  show().catch(() => {
    if (note) note.hidden = false;
  });
})();
