// The console's import of a spreadsheet (issue 12): the file goes to POST /api/v1/import as it
// is (CSV or XLSX, read by the server), first as a dry run that writes nothing, then for real.
// The rows to fix come back by row number and column, shown as a table and offered as a CSV
// a person can keep beside the spreadsheet. Every value reaches the page as text.
(function () {
  'use strict';
  const { t, el, say } = window.ct;
  const $ = (id) => document.getElementById(id);
  let report_url = null;

  async function send(dry_run) {
    const file = $('import-file').files[0];
    const status = $('import-result');
    if (!file) {
      say(status, t('import_choose'), 'bad');
      return;
    }
    const headers = { Accept: 'application/json', 'Content-Type': file.type || 'application/octet-stream' };
    const token = window.ct.token();
    if (token) headers.Authorization = 'Bearer ' + token;
    const path = '/api/v1/import?dry_run=' + (dry_run ? 'true' : 'false') + '&lang=' + window.ct.lang;
    say(status, '…');
    let res, data = null;
    try {
      res = await fetch(path, { method: 'POST', headers, body: file, cache: 'no-store', credentials: 'omit' });
      if ((res.headers.get('Content-Type') || '').includes('json')) data = await res.json();
    } catch (e) {
      say(status, e.message, 'bad');
      return;
    }
    if (!res.ok) {
      show_problems([]);
      say(status, (data && data.error && data.error.message) || res.statusText, 'bad');
      return;
    }
    show_problems(data.problems);
    const vars = { rows: data.rows, ok: data.ok, failed: data.failed, replayed: data.replayed };
    say(status, t(dry_run ? 'import_checked' : 'import_done', vars), data.failed ? 'warn' : 'ok');
  }

  // A CSV cell: quoted when it holds a comma, quote or line break (RFC 4180).
  const cell = (v) => (/[",\r\n]/.test(String(v)) ? '"' + String(v).replace(/"/g, '""') + '"' : String(v));

  function show_problems(problems) {
    const body = $('import-problems');
    body.replaceChildren(...problems.map((p) =>
      el('tr', {}, el('td', {}, String(p.row)), el('td', {}, p.column), el('td', {}, p.message))));
    $('import-problems-box').hidden = problems.length === 0;
    $('import-report-row').hidden = problems.length === 0;
    if (report_url) URL.revokeObjectURL(report_url);
    report_url = null;
    if (!problems.length) return;
    const lines = [[t('import_row'), t('import_column'), t('import_problem')]]
      .concat(problems.map((p) => [p.row, p.column, p.message]));
    const text = '\ufeff' + lines.map((l) => l.map(cell).join(',')).join('\r\n') + '\r\n';
    report_url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
    $('import-report').href = report_url;
  }

  $('import-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    send(true);
  });
  $('import-run').addEventListener('click', () => send(false));
})();
