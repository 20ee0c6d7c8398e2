// Behaviour every page shares, without inline handlers (the Content-Security-Policy allows no inline script).
//   <select data-autosubmit>                    submits its form when changed
//   <select data-autosubmit-clear="key">        ... after emptying the form's field "key"
//   <form data-confirm="Remove this?">          asks before submitting
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-autosubmit]");
    if (!field || !field.form) return;
    var clear = field.getAttribute("data-autosubmit-clear");
    if (clear && field.form.elements[clear]) field.form.elements[clear].value = "";
    field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
  });
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
