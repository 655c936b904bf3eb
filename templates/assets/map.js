/* Evidence map: with JavaScript, a cell opens the search filtered on its two terms (where the
   results can be narrowed further); without it, the cell's plain list page. */
(function () {
  "use strict";
  document.querySelectorAll(".evidence-map a[data-search-href]").forEach(function (link) {
    link.setAttribute("href", link.getAttribute("data-search-href"));
  });
}());
