/* Added by `coprod-site serve` only: reload after a successful rebuild, show a failed one. */
(function () {
  "use strict";
  var seen = null;
  function panel(text) {
    var box = document.getElementById("coprod-site-errors");
    if (!text) { if (box) { box.remove(); } return; }
    if (!box) {
      box = document.createElement("pre");
      box.id = "coprod-site-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:50vh;overflow:auto;margin:0;" +
        "padding:1rem;background:#fff0f0;color:#600;border-top:4px solid #b00;white-space:pre-wrap;z-index:99";
      document.body.appendChild(box);
    }
    box.textContent = "The last rebuild failed, so this is the last good build:\n\n" + text;
  }
  function badge(search) {
    var note = document.getElementById("coprod-site-search");
    var text = search === "updating" ? "search index and downloads updating" :
      search === "failed" ? "search index out of date: its update failed (see the terminal)" : "";
    if (!text) { if (note) { note.remove(); } return; }
    if (!note) {
      note = document.createElement("p");
      note.id = "coprod-site-search";
      note.setAttribute("role", "status");
      note.style.cssText = "position:fixed;right:0;top:0;margin:0;padding:.25rem .5rem;font:0.875rem sans-serif;" +
        "background:#fff8d0;color:#333;border:1px solid #cc0;z-index:99";
      document.body.appendChild(note);
    }
    note.textContent = text;
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
