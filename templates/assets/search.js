/* Search page: runs Pagefind's JavaScript API and keeps the query, the filters and the order in
   the address, so links can be shared and Back works.

   The index comes in bundles (data-bundles), one per shard of the library. Each bundle is searched
   by its own Pagefind instance (createInstance, from the first bundle's pagefind.js) and the
   answers are merged here: filter counts are summed, and results are merged lazily, taking the
   best head of the bundles' lists each time; by score for relevance, or by the sort key (repeated
   as metadata "sort-<key>") when sorting. Pagefind's own mergeIndex is not used: it re-sorts every
   merged result by score, which would undo a sorted search. With one bundle the order is
   Pagefind's own. */
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
  var SORT_META = "sort-";  /* search_data.SORT_META_PREFIX */
  /* Bundles searched at a time. Each Pagefind instance fetches up to 100 files at once (a search
     by filters alone fetches every word chunk), and with many more waiting the browser starts
     refusing requests (net::ERR_INSUFFICIENT_RESOURCES). */
  var BUNDLES_AT_ONCE = 3;
  var opening = null;
  var cursor = null;
  var total = 0;
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

  /* The Pagefind instances, opened once (a second caller waits for the same opening). */
  function loadShards() {
    if (!opening) {
      opening = openShards().catch(function (error) {
        opening = null;
        throw error;
      });
    }
    return opening;
  }

  function openShards() {
    var bundles = form.getAttribute("data-bundles").split(" ").map(function (bundle) {
      return new URL(bundle, window.location.href).pathname;
    });
    var root = new URL(form.getAttribute("data-root"), window.location.href).pathname;
    return import(bundles[0] + "pagefind.js").then(function (module) {
      function open(bundle) {
        var shard = module.createInstance({ basePath: bundle, baseUrl: root });
        /* loading the filter index makes searches return filter counts */
        return shard.filters().then(function () { return shard; });
      }
      /* The first instance loads Pagefind's WebAssembly and the others share it. Opened all at
         once, each would load it again, replacing the module the others had started to use. */
      return open(bundles[0]).then(function (first) {
        return inBatches(bundles.slice(1), open).then(function (others) { return [first].concat(others); });
      });
    });
  }

  /* `work` of every item, in order, with at most BUNDLES_AT_ONCE running at a time. */
  function inBatches(items, work) {
    var results = [];
    var next = 0;
    function worker() {
      if (next >= items.length) { return Promise.resolve(); }
      var index = next++;
      return Promise.resolve(work(items[index])).then(function (value) {
        results[index] = value;
        return worker();
      });
    }
    var workers = [];
    for (var count = 0; count < Math.min(BUNDLES_AT_ONCE, items.length); count++) { workers.push(worker()); }
    return Promise.all(workers).then(function () { return results; });
  }

  function searchShards(state) {
    return loadShards().then(function (instances) {
      var options = searchOptions(state);
      return inBatches(instances, function (shard) { return shard.search(state.q || null, options); });
    }).then(function (searches) {
      var lists = searches.map(function (search) { return search ? search.results : []; });
      return {
        total: lists.reduce(function (sum, list) { return sum + list.length; }, 0),
        counts: sumCounts(searches.map(function (search) { return search ? search.filters : {}; })),
        cursor: state.sort ? bySortKey(lists, state.sort) : byScore(lists)
      };
    });
  }

  function sumCounts(all) {
    var sums = {};
    all.forEach(function (counts) {
      Object.keys(counts || {}).forEach(function (key) {
        sums[key] = sums[key] || {};
        Object.keys(counts[key]).forEach(function (value) {
          sums[key][value] = (sums[key][value] || 0) + counts[key][value];
        });
      });
    });
    return sums;
  }

  /* The index of the list whose head comes first (`before` compares two heads), or -1 when all
     are used up; `at` holds each list's position. Ties go to the earlier bundle. */
  function firstHead(lists, at, before) {
    var best = -1;
    lists.forEach(function (list, index) {
      if (at[index] < list.length && (best < 0 || before(index, best))) { best = index; }
    });
    return best;
  }

  /* `take(count)` called in turn: each call starts when the one before has finished, so results
     are shown in order even when "Show more" is pressed again before they arrive. */
  function inTurn(take) {
    var queue = Promise.resolve();
    return function (count) {
      queue = queue.catch(function () { return null; }).then(function () { return take(count); });
      return queue;
    };
  }

  /* Relevance: heads compared by score, so a page of results is picked at once, then loaded. */
  function byScore(lists) {
    var at = lists.map(function () { return 0; });
    function before(a, b) { return lists[a][at[a]].score > lists[b][at[b]].score; }
    return inTurn(function (count) {
      var batch = [];
      for (var best = firstHead(lists, at, before); best >= 0 && batch.length < count;
           best = firstHead(lists, at, before)) {
        batch.push(lists[best][at[best]++]);
      }
      return Promise.all(batch.map(function (result) { return result.data(); }));
    });
  }

  /* A sort: each bundle's list is already in order, so heads are compared by their sort key,
     read from their data (kept, as it is shown when taken). Results are taken one at a time. */
  function bySortKey(lists, sort) {
    var parts = sort.split(":");
    var field = SORT_META + parts[0];
    var ascending = parts[1] === "asc";
    var at = lists.map(function () { return 0; });
    var loaded = lists.map(function () { return []; });
    function head(index) {
      var spot = at[index];
      loaded[index][spot] = loaded[index][spot] || lists[index][spot].data();
      return loaded[index][spot];
    }
    function takeOne(items) {
      var live = lists.map(function (list, index) { return at[index] < list.length ? head(index) : null; });
      return Promise.all(live).then(function (heads) {
        function key(index) { return (heads[index].meta || {})[field] || ""; }
        var best = firstHead(lists, at, function (a, b) {
          return key(a) !== key(b) && (key(a) < key(b)) === ascending;
        });
        if (best < 0) { return items; }
        items.push(heads[best]);
        loaded[best][at[best]++] = null;
        return items;
      });
    }
    return inTurn(function (count) {
      var steps = Promise.resolve([]);
      for (var step = 0; step < count; step++) { steps = steps.then(takeOne); }
      return steps;
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
    return searchShards(state).then(function (found) {
      if (mine !== generation) { return; }
      cursor = found.cursor;
      total = found.total;
      shown = 0;
      setCounts(found.counts);
      status.textContent = describe(state, total);
      return showMore(mine);
    }).catch(function (error) {
      if (mine !== generation) { return; }
      status.textContent = "Search is not available right now. You can browse the evidence instead.";
      window.setTimeout(function () { throw error; }, 0);
    });
  }

  function showMore(mine) {
    return cursor(PAGE_SIZE).then(function (items) {
      if (mine !== generation) { return; }
      items.forEach(function (item) { list.appendChild(resultItem(item)); });
      shown += items.length;
      more.hidden = shown >= total;
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
