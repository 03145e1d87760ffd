// masthead serve --preview: reload this edition when anything it is made from changes.
// Loading the page again is what rebuilds it.
(function () {
  "use strict";
  var me = document.currentScript;
  var slug = me.getAttribute("data-slug");
  var state = me.src.replace(/preview\.js(\?.*)?$/, "preview/inputs?slug=" + encodeURIComponent(slug));
  var first = null;
  function check() {
    fetch(state, { cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (answer && first === null) { first = answer.inputs; }
        else if (answer && answer.inputs !== first) { window.location.reload(); return; }
        window.setTimeout(check, 1000);
      })
      .catch(function () { window.setTimeout(check, 2000); });
  }
  check();
})();
