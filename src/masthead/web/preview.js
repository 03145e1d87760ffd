// masthead serve --preview: wait for the next change to what this edition is made from. The service
// answers once the web page is written again (with the page: show it in place of this one), or when
// the email or PDF beside it becomes up to date or out of date (say so beside their links), or when
// a build failed (show why).
(function () {
  "use strict";
  var me = document.currentScript;
  var known = {
    page: me.getAttribute("data-page"),
    pdf: me.getAttribute("data-pdf"),
    email: me.getAttribute("data-email"),
    problem: me.getAttribute("data-problem")
  };
  var base = me.src.replace(/preview\.js(\?.*)?$/, "preview/wait");
  var words = {
    current: "up to date",
    updating: "out of date, being made again\u2026",
    failed: "out of date: making it failed (see below)"
  };

  function show(state) {
    ["pdf", "email"].forEach(function (output) {
      var label = document.querySelector('#masthead-preview [data-state-of="' + output + '"]');
      if (label) { label.textContent = words[state[output]] || ""; }
    });
    var stale = state.pdf !== "current";
    Array.prototype.forEach.call(document.querySelectorAll("a.pdf"), function (link) {
      if (stale) { link.setAttribute("title", words[state.pdf]); link.setAttribute("data-stale", ""); }
      else { link.removeAttribute("title"); link.removeAttribute("data-stale"); }
    });
    var problem = document.querySelector("#masthead-preview [data-problem]");
    if (problem) {
      problem.textContent = state.problem_text || "";
      problem.hidden = !state.problem_text;
    }
  }

  // The new page in place of the old: its head (but this script) and its body, where the reader
  // was on the page kept, and the images already loaded not asked for again.
  function replace(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    if (!fresh.body || !fresh.head) { return false; }
    var scrolled = window.scrollY;
    Array.prototype.slice.call(document.head.childNodes).forEach(function (node) {
      if (node !== me) { document.head.removeChild(node); }
    });
    Array.prototype.slice.call(fresh.head.childNodes).forEach(function (node) {
      if (node.nodeName !== "SCRIPT") { document.head.appendChild(document.importNode(node, true)); }
    });
    ["lang", "dir", "class"].forEach(function (name) {
      var value = fresh.documentElement.getAttribute(name);
      if (value === null) { document.documentElement.removeAttribute(name); }
      else { document.documentElement.setAttribute(name, value); }
    });
    document.documentElement.replaceChild(document.importNode(fresh.body, true), document.body);
    window.scrollTo(0, scrolled);
    return true;
  }

  function wait() {
    var query = "?slug=" + encodeURIComponent(me.getAttribute("data-slug")) +
      "&lang=" + encodeURIComponent(me.getAttribute("data-lang"));
    Object.keys(known).forEach(function (key) {
      query += "&" + key + "=" + encodeURIComponent(known[key] || "");
    });
    fetch(base + query, { cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) { window.setTimeout(wait, 2000); return; }
        if (state.page !== known.page && state.page !== "none") {
          if (!state.html || !replace(state.html)) { window.location.reload(); return; }
        }
        known = { page: state.page, pdf: state.pdf, email: state.email, problem: state.problem };
        show(state);
        wait();
      })
      .catch(function () { window.setTimeout(wait, 2000); });
  }
  wait();
})();
