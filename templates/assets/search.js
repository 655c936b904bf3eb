/* Search page: runs Pagefind's JavaScript API from the generated bundle and keeps the query,
   the filters and the order in the address, so links can be shared and Back works. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form) { return; }
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var queryInput = document.getElementById("search-q");
  var sortSelect = document.getElementById("search-sort");
  var facets = Array.prototype.slice.call(form.querySelectorAll("fieldset[data-facet]"));
  var PAGE_SIZE = 10;
  var pagefind = null;
  var results = [];
  var shown = 0;
  var generation = 0;
  var typingTimer = null;

  function facetKeys() { return facets.map(function (f) { return f.getAttribute("data-facet"); }); }

  function boxes(key) {
    return Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"][name="' + key + '"]'));
  }

  function stateFromUrl() {
    var params = new URLSearchParams(window.location.search);
    var state = { q: params.get("q") || "", sort: params.get("sort") || "", filters: {} };
    facetKeys().forEach(function (key) { state.filters[key] = params.getAll(key); });
    return state;
  }

  function stateFromForm() {
    var state = { q: queryInput.value.trim(), sort: sortSelect.value, filters: {} };
    facetKeys().forEach(function (key) {
      state.filters[key] = boxes(key).filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    });
    return state;
  }

  function showState(state) {
    queryInput.value = state.q;
    sortSelect.value = state.sort;
    if (sortSelect.value !== state.sort) { sortSelect.value = ""; }
    facetKeys().forEach(function (key) {
      boxes(key).forEach(function (b) { b.checked = state.filters[key].indexOf(b.value) >= 0; });
    });
  }

  function addressFor(state) {
    var params = new URLSearchParams();
    if (state.q) { params.append("q", state.q); }
    facetKeys().forEach(function (key) {
      state.filters[key].forEach(function (value) { params.append(key, value); });
    });
    if (state.sort) { params.append("sort", state.sort); }
    var text = params.toString();
    return window.location.pathname + (text ? "?" + text : "");
  }

  function hasFilters(state) {
    return facetKeys().some(function (key) { return state.filters[key].length > 0; });
  }

  function loadPagefind() {
    if (pagefind) { return Promise.resolve(pagefind); }
    var bundle = new URL(form.getAttribute("data-bundle") + "pagefind.js", window.location.href).href;
    var root = new URL(form.getAttribute("data-root"), window.location.href).pathname;
    return import(bundle).then(function (module) {
      return Promise.resolve(module.options({ baseUrl: root })).then(function () {
        return module.filters();  /* loads the filter index, so searches return filter counts */
      }).then(function () {
        pagefind = module;
        return module;
      });
    });
  }

  function searchOptions(state) {
    var filters = {};
    facetKeys().forEach(function (key) {
      if (state.filters[key].length) { filters[key] = { any: state.filters[key] }; }
    });
    var options = { filters: filters };
    if (state.sort) {
      var parts = state.sort.split(":");
      options.sort = {};
      options.sort[parts[0]] = parts[1] === "asc" ? "asc" : "desc";
    }
    return options;
  }

  function setCounts(counts) {
    facets.forEach(function (fieldset) {
      var key = fieldset.getAttribute("data-facet");
      var values = (counts && counts[key]) || {};
      fieldset.querySelectorAll(".facet-count").forEach(function (span) {
        var value = span.getAttribute("data-value");
        span.textContent = "(" + (values[value] || 0) + ")";
      });
    });
  }

  function describe(state, count) {
    var words = count === 1 ? "1 result" : count + " results";
    var chosen = [];
    facetKeys().forEach(function (key) { chosen = chosen.concat(state.filters[key]); });
    var text = words + (state.q ? " for \u201c" + state.q + "\u201d" : "");
    return chosen.length ? text + ", filtered by " + chosen.join(", ") : text;
  }

  function run(state) {
    var mine = ++generation;
    list.replaceChildren();
    more.hidden = true;
    if (!state.q && !hasFilters(state)) {
      status.textContent = "Type words to search for, or choose a filter.";
      return Promise.resolve();
    }
    status.textContent = "Searching\u2026";
    return loadPagefind().then(function (pf) {
      return pf.search(state.q || null, searchOptions(state));
    }).then(function (search) {
      if (mine !== generation) { return; }
      results = search ? search.results : [];
      shown = 0;
      setCounts(search ? search.filters : {});
      status.textContent = describe(state, results.length);
      return showMore(mine);
    }).catch(function (error) {
      if (mine !== generation) { return; }
      status.textContent = "Search is not available right now. You can browse the evidence instead.";
      window.setTimeout(function () { throw error; }, 0);
    });
  }

  function showMore(mine) {
    var batch = results.slice(shown, shown + PAGE_SIZE);
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
      if (mine !== generation) { return; }
      items.forEach(function (item) { list.appendChild(resultItem(item)); });
      shown += items.length;
      more.hidden = shown >= results.length;
    });
  }

  function safeExcerpt(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    template.content.querySelectorAll("*").forEach(function (el) {
      if (el.tagName !== "MARK") { el.replaceWith(document.createTextNode(el.textContent)); }
    });
    return template.content;
  }

  function resultItem(item) {
    var meta = item.meta || {};
    var li = document.createElement("li");
    var heading = document.createElement("h3");
    var link = document.createElement("a");
    link.href = item.url;
    link.textContent = meta.title || item.url;
    heading.appendChild(link);
    li.appendChild(heading);
    var details = [meta.byline, meta.year].filter(Boolean).join(" \u00b7 ");
    if (details) {
      var line = document.createElement("p");
      line.className = "meta";
      line.textContent = details;
      li.appendChild(line);
    }
    var excerpt = document.createElement("p");
    excerpt.className = "excerpt";
    if (queryInput.value.trim() || !meta.summary) {
      excerpt.appendChild(safeExcerpt(item.excerpt || ""));
    } else {
      excerpt.textContent = meta.summary;
    }
    li.appendChild(excerpt);
    return li;
  }

  function go(state, replace) {
    var address = addressFor(state);
    if (address !== window.location.pathname + window.location.search) {
      window.history[replace ? "replaceState" : "pushState"](null, "", address);
    }
    return run(state);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(typingTimer);
    go(stateFromForm(), false);
  });
  form.addEventListener("change", function (event) {
    if (event.target !== queryInput) { go(stateFromForm(), false); }
  });
  queryInput.addEventListener("input", function () {
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(function () { go(stateFromForm(), true); }, 300);
  });
  more.addEventListener("click", function () { showMore(generation); });
  window.addEventListener("popstate", function () {
    var state = stateFromUrl();
    showState(state);
    run(state);
  });

  var initial = stateFromUrl();
  showState(initial);
  run(initial);
}());
