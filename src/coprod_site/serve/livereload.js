/* Added by `coprod-site serve` only: reload after a successful rebuild, show a failed one. */
(function () {
  "use strict";
  var seen = null;
  var PANEL_STYLE = "position:fixed;left:0;right:0;bottom:0;max-height:50vh;overflow:auto;margin:0;" +
    "padding:1rem;background:#fff0f0;color:#600;border-top:4px solid #b00;white-space:pre-wrap;z-index:99";
  var BADGE_STYLE = "position:fixed;right:0;top:0;margin:0;padding:.25rem .5rem;font:0.875rem sans-serif;" +
    "background:#fff8d0;color:#333;border:1px solid #cc0;z-index:99";
  /* The element `id` made (a `tag` with `role` and `style`) and showing `text`, or removed when
     there is no text. */
  function notice(id, tag, role, style, text) {
    var box = document.getElementById(id);
    if (!text) { if (box) { box.remove(); } return; }
    if (!box) {
      box = document.createElement(tag);
      box.id = id;
      box.setAttribute("role", role);
      box.style.cssText = style;
      document.body.appendChild(box);
    }
    box.textContent = text;
  }
  function panel(errors) {
    notice("coprod-site-errors", "pre", "alert", PANEL_STYLE,
           errors ? "The last rebuild failed, so this is the last good build:\n\n" + errors : "");
  }
  function badge(search) {
    notice("coprod-site-search", "p", "status", BADGE_STYLE,
           search === "updating" ? "search index and downloads updating" :
           search === "failed" ? "search index out of date: its update failed (see the terminal)" : "");
  }
  function poll() {
    fetch("/__coprod-site/status", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (seen !== null && status.generation !== seen) { window.location.reload(); return; }
        seen = status.generation;
        panel(status.errors);
        badge(status.search && status.search.state);
      })
      .catch(function () { /* the server is restarting: try again */ })
      .then(function () { window.setTimeout(poll, 200); });
  }
  poll();
}());
