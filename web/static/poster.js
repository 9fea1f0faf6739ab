// The poster's print button (a script, since the page allows no inline handlers).
(function () {
  'use strict';
  const button = document.getElementById('print');
  if (button) button.addEventListener('click', () => window.print());
})();
