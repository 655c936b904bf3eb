/* Record pages: "Copy" buttons for the references. Shown only when the browser can copy. */
(function () {
  "use strict";
  if (!navigator.clipboard) { return; }
  var status = document.querySelector(".copy-status");
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        status.textContent = "Reference copied.";
      }, function () {
        status.textContent = "Could not copy: select the reference and copy it yourself.";
      });
    });
  });
}());
