/* Search page: runs Pagefind's JavaScript API and keeps the query, the filters and the order in
   the address, so links can be shared and Back works.

   The index comes in bundles (data-bundles), one per shard of the library. Each bundle is searched
   by its own Pagefind instance (createInstance), the bundles spread over a few web workers
   (data-worker-bundles) that open and search in parallel, and the answers are merged here:
   filter counts are summed, scores are scaled to the word weights of one index (`asOneIndex`),
   and results are merged lazily, taking the best head of the bundles' lists each time; by score
   for relevance (equal scores by page id), or by the sort key (repeated as metadata
   "sort-<key>") when sorting. Pagefind's own mergeIndex is not used: it re-sorts every merged
   result by score, which would undo a sorted search. The first search of a page loads only the
   filters it uses; every filter's counts follow once its results are drawn (`run`).

   Pagefind returns only pages holding every word, and a word it does not know backs off to the
   longest indexed prefix ("asthma" searches "as"). So the query is read here first (see
   `answer`): spellings are made British and co-production's spellings one; each word is
   checked against the index, and a word whose only matches are much shorter prefixes of it is
   absent (or, when the index holds a word a typing slip away, corrected to it), and absent
   words that open a noun phrase are its topic, so nothing is found (`missingTopic`); else all the
   words are searched, then the words left once question and common words are dropped, then
   any of them, ranked by how many each page holds. The page says which of these it shows. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form) { return; }
  var status = document.getElementById("search-status");
  var note = document.getElementById("search-note");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var help = document.getElementById("search-help");
  var panel = document.getElementById("search-filters");
  var applied = document.getElementById("filters-applied");
  var prose = document.getElementById("search-pages");
  var proseList = document.getElementById("search-page-list");
  var queryInput = document.getElementById("search-q");
  var sortSelect = document.getElementById("search-sort");
  var sortChoice = sortSelect.parentElement;
  var facets = Array.prototype.slice.call(form.querySelectorAll("fieldset[data-facet]"));
  var PAGE_SIZE = 10;
  var PROSE_SHOWN = 3;
  var ANY_WORD_READ = 100;  /* any-word results whose data is read to count filters and sort */
  var SORT_META = "sort-";  /* search_data.SORT_META_PREFIX */
  var YEAR_FACET = "year";  /* search_data.YEAR_FILTER: every record has a year band, prose pages none */
  var WIDE = "(min-width: 48.01rem)";  /* site.css: the filters sit beside the results */
  /* Bundles searched at a time by filters alone. Each Pagefind instance fetches up to 100 files
     at once (such a search fetches every word chunk), and with many more waiting the browser
     starts refusing requests (net::ERR_INSUFFICIENT_RESOURCES). */
  var BUNDLES_AT_ONCE = 3;
  var opening = null;
  var cursor = null;
  var total = 0;
  var shown = 0;
  var generation = 0;
  var typingTimer = null;
  var firstShown = false;

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

  function chosenFilters(state) {
    var chosen = [];
    facetKeys().forEach(function (key) { chosen = chosen.concat(state.filters[key]); });
    return chosen;
  }

  function hasFilters(state) { return chosenFilters(state).length > 0; }

  /* The Pagefind instances, one promise per bundle, opened once and all at once (a second
     caller gets the same promises). Pagefind runs the instances of one pagefind.js module in one
     web worker, with one WebAssembly; the bundles are split into runs of neighbours, each
     starting at a bundle of data-worker-bundles, and each run's instances come from the
     pagefind.js of its first bundle (the page preloads only those). A worker costs its start, its script and its WebAssembly's
     compiling, on the same few cores that search: fewer workers than bundles answer sooner.
     Pagefind sets up the WebAssembly of a module when its first instance opens, and a second
     instance opening meanwhile would set up another in its place, under the first's feet: so
     the rest of a group open once its first is open (`opened`). The first search (`first`:
     {words, options}) is fetched while each bundle opens: its word chunks and the chunks of the
     filters it uses. The rest of the filter index is not loaded here: the counts of every
     filter follow once the first results are drawn (`loadFilterIndexes`). */
  function loadShards(first) {
    if (!opening) {
      var leading = new Set(bundleBases("data-worker-bundles"));
      var groups = [];
      opening = bundleBases("data-bundles").map(function (base) {
        var language = fetchFirstFiles(base, first);
        var pagefind;
        if (leading.has(base)) {
          var module = import(base + "pagefind.js");
          pagefind = module.then(function (loaded) { return open(loaded, base); });
          groups.push({ module: module, opened: pagefind.then(opened) });
        } else {
          var group = groups[groups.length - 1];
          pagefind = Promise.all([group.module, group.opened]).then(function (done) { return open(done[0], base); });
        }
        return bundleReady(pagefind, language, first);
      });
      Promise.all(opening).catch(function () { opening = null; });
    }
    return opening;
  }

  /* A bundle's Pagefind instance, made from `module` (a pagefind.js, whose worker it joins). */
  function open(module, base) {
    var root = new URL(form.getAttribute("data-root"), window.location.href).pathname;
    return module.createInstance({ basePath: base, baseUrl: root, metaCacheTag: ENTRY_TAG });
  }

  /* Resolves once the instance has its index and WebAssembly: Pagefind's search of no words
     waits for them, then returns at once. */
  function opened(pagefind) { return pagefind.search(""); }

  /* The bundle's entry for the page's language, once read; meanwhile, what its worker will ask
     for is fetched (see `fetchChunksAhead`). */
  function fetchFirstFiles(base, first) {
    return entryOf(base).then(function (entry) {
      var language = entry.languages[entryLanguage(entry)];
      fetchAhead(base + "wasm." + (language.wasm || "unknown") + ".pagefind");
      var meta = metaOf(base);
      if (first && first.words) { fetchChunksAhead(base, meta, first); }
      return language;
    });
  }

  /* {pagefind, pages, padded} of a bundle, once its entry is read and the first search's files
     are loaded (asked for as soon as its instance is made). */
  function bundleReady(pagefind, language, first) {
    return pagefind.then(function (shard) {
      var ready = first && first.words ? shard.preload(first.words, first.options) : null;
      return Promise.all([language, ready]).then(function (done) {
        /* search.ranking.LIBRARY_PAGES: the library's pages, as the bundle counts them */
        var library = done[0].library_page_count;
        return { pagefind: shard, pages: library || done[0].page_count, padded: Boolean(library) };
      });
    });
  }

  /* The path of each bundle the form's `attribute` lists, in its order. */
  function bundleBases(attribute) {
    return form.getAttribute(attribute).split(" ").map(function (bundle) {
      return new URL(bundle, window.location.href).pathname;
    });
  }

  /* Pagefind's worker asks for a bundle's entry file with a tag in the address ("?ts=") that
     it sets, unless told one, to the time, so that each page load reads the index as it is now
     (the dev server rewrites bundles in place). The page tells it this page load's time: the
     same freshness, and this page can fetch the entry file under that address first, while the
     worker starts, so that the worker finds it in the browser's cache. */
  var ENTRY_TAG = String(Date.now());
  var entries = new Map();

  function entryOf(base) {
    if (!entries.has(base)) {
      var entry = fetch(base + "pagefind-entry.json?ts=" + ENTRY_TAG).then(function (response) {
        if (!response.ok) { throw new Error("cannot read " + base + "pagefind-entry.json: " + response.status); }
        return response.json();
      });
      entries.set(base, entry);
      entry.catch(function () { entries.delete(base); });
    }
    return entries.get(base);
  }

  /* A file fetched and read, for the browser's cache to hold when Pagefind's worker asks for it:
     no preload serves a worker's requests. A failure is Pagefind's to meet and report. */
  function fetchAhead(url) {
    fetch(url).then(function (response) { return response.arrayBuffer(); }).catch(function () { return null; });
  }

  /* A bundle's metadata (see `vocabularyChunks`), read once: the worker's own request for it
     finds it in the browser's cache. Only its word chunks and filter chunks are decoded. */
  var META_CHUNKS = [2, 3];
  var metas = new Map();

  function metaOf(base) {
    if (!metas.has(base)) {
      var meta = entryOf(base).then(function (entry) {
        return readIndexFile(base + "pagefind." + entry.languages[entryLanguage(entry)].hash + ".pf_meta", META_CHUNKS);
      });
      metas.set(base, meta);
      meta.catch(function () { metas.delete(base); });
    }
    return metas.get(base);
  }

  /* The word and filter chunks Pagefind's worker asks for to search `first.words` with
     `first.options`, fetched while it starts, from the bundle's metadata: [..., [[first word,
     last word, file], ...] (word chunks), [[filter, file], ...]]. A word's chunk is the one whose
     range holds it as Pagefind writes it (lower case, without punctuation or accents); Pagefind
     also reads the chunk of the word's stem, which is most often the same one. A chunk missed
     is fetched by the worker, as before; a failure here is no failure of the search. */
  function fetchChunksAhead(base, meta, first) {
    meta.then(function (data) {
      var files = new Set();
      var terms = pagefindTerms(first.words);
      data[2].forEach(function (chunk) {
        if (terms.some(function (term) { return chunk[0] <= term && term <= chunk[1]; })) {
          files.add("index/" + chunk[2] + ".pf_index");
        }
      });
      var keys = Object.keys((first.options || {}).filters || {});
      data[3].forEach(function (filter) {
        if (keys.indexOf(filter[0]) >= 0) { files.add("filter/" + filter[1] + ".pf_filter"); }
      });
      files.forEach(function (file) { fetchAhead(base + file); });
    }).catch(function () { return null; });
  }

  /* The words of `text` as Pagefind's search reads them. */
  function pagefindTerms(text) {
    return text.toLocaleLowerCase().replace(/[\p{Pd}\p{Pe}\p{Pf}\p{Pi}\p{Po}\p{Ps}]/gu, "")
      .normalize("NFD").replace(/\p{M}/gu, "").split(/\s+/).filter(Boolean);
  }

  /* Every bundle's filter index loaded, once: searches made after it return the count of every
     filter's values, not only of the filters they use. */
  var filterIndexes = null;
  var filtersLoaded = false;

  function loadFilterIndexes() {
    if (!filterIndexes) {
      filterIndexes = Promise.all(loadShards().map(function (opening) {
        return opening.then(function (shard) { return shard.pagefind.filters(); });
      })).then(function () { filtersLoaded = true; });
      filterIndexes.catch(function () { filterIndexes = null; });
    }
    return filterIndexes;
  }

  /* The language of a bundle's entry file (pagefind-entry.json) the page is written in. */
  function entryLanguage(entry) {
    var lang = document.documentElement.lang;
    return entry.languages[lang] ? lang : Object.keys(entry.languages)[0];
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
    function before(a, b) {
      var x = lists[a][at[a]];
      var y = lists[b][at[b]];
      return x.score > y.score || (x.score === y.score && x.id < y.id);
    }
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

  /* ---- Reading the query ---- */

  /* Words dropped when a search with every word finds nothing: question words and the common
     words of a question ("how do I involve unpaid carers", "does co-production save money"). */
  var COMMON = new Set(("a about after all also am an and any are as at be been being but by can " +
    "could did do does doing done each for from get gets give has have having how i if in into is it " +
    "its me more most my no not of on or our out over should show so some such tell than that the " +
    "their them then there these they this those to up us was way ways we were what when where which " +
    "who why will with would you your evidence find examples").split(" "));
  /* US spellings whose -or the British write -our (the list, as "doctor" or "for" must stay). */
  var OUR = /^(behavio|colo|endeavo|favo|flavo|harbo|hono|humo|labo|neighbo|rigo|rumo|savio|valo|vigo)r(s|al|ally|ed|ing|ism|ist|ists|hood|hoods|ite|ites|able)?$/;
  /* -ize, -yze and their forms, written -ise, -yse; except words spelt -ize in Britain too. */
  var IZE = /^(.{2,}[iy])z(e|es|ed|er|ers|ing|ation|ations|ational)$/;
  var IZE_KEPT = new Set(["size", "sizes", "sized", "sizing", "prize", "prizes", "prized", "seize", "seizes",
    "seized", "seizing", "maize", "capsize", "capsized", "baize", "assize"]);
  var US_WORDS = {
    center: "centre", centers: "centres", program: "programme", programs: "programmes",
    modeling: "modelling", labeled: "labelled", labeling: "labelling", counseling: "counselling",
    traveling: "travelling", pediatric: "paediatric", fulfill: "fulfil", enrollment: "enrolment",
    catalog: "catalogue", dialog: "dialogue", aging: "ageing", gray: "grey", judgment: "judgement"
  };

  function britishWord(word) {
    var lower = word.toLowerCase();
    if (US_WORDS[lower]) { return US_WORDS[lower]; }
    if (OUR.test(lower)) { return lower.replace(OUR, "$1ur$2"); }
    if (IZE.test(lower) && !IZE_KEPT.has(lower)) { return lower.replace(IZE, "$1s$2"); }
    return word;
  }

  /* The query as the library writes it: "co production", "coproduction" and "co–production"
     become "co-production" (and so for co-design and co-creation), US spellings British,
     quotation marks and stray punctuation spaces. */
  function normalise(text) {
    var out = text.replace(/[\u2010-\u2015\u2212]/g, "-").replace(/[\u201c\u201d\u2018\u2019"?!,;:()]/g, " ");
    out = out.replace(/\bco(?:\s+|-)?(produc|design|creat|operat)/gi, "co-$1");
    return out.split(/\s+/).filter(Boolean).map(britishWord).join(" ");
  }

  /* A word as letters and digits only, in lower case: how a typed word and a marked word compare. */
  function bare(word) { return word.toLowerCase().replace(/[^\p{L}\p{N}]/gu, ""); }

  /* Whether a word Pagefind marked in an excerpt is a real match for the typed word, not a
     back-off to a short prefix: it shares the typed word's start, at least three-fifths of it
     (and four letters; all of a word of four or fewer), which stemming ("empowered" for
     "empowerment") and slips late in a word keep, but "as" for "asthma" does not. */
  function matches(marked, typed) {
    var a = bare(marked);
    var b = bare(typed);
    var common = 0;
    while (common < a.length && common < b.length && a[common] === b[common]) { common++; }
    return common >= Math.min(b.length, Math.max(4, Math.ceil(0.6 * b.length)));
  }

  function markedWords(html) {
    var found = [];
    var pattern = /<mark>([\s\S]*?)<\/mark>/g;
    for (var match = pattern.exec(html || ""); match; match = pattern.exec(html || "")) {
      found.push(match[1].replace(/<[^>]*>/g, ""));
    }
    return found;
  }

  /* The best result of a search in every bundle, or null. */
  function topResult(searches) {
    var best = null;
    searches.forEach(function (search) {
      search.results.forEach(function (result) { if (!best || result.score > best.score) { best = result; } });
    });
    return best;
  }

  /* Searches, and the reading of their results' data, run one at a time: Pagefind keeps one
     object per page and sets a search's word positions on it when its data is read, so two at
     once can give one search the other's excerpt. */
  var queue = Promise.resolve();

  function exclusive(task) {
    var next = queue.catch(function () { return null; }).then(task);
    queue = next;
    return next;
  }

  /* A search in every bundle, each starting as soon as its bundle is open; a search by filters
     alone (`text` null) fetches every word chunk, so those run BUNDLES_AT_ONCE at a time. */
  function searchShards(text, options) {
    var counted = filtersLoaded;  /* whether the searches count every filter */
    var shards = loadShards();
    var searching = text === null
      ? Promise.all(shards).then(function (opened) {
        return inBatches(opened, function (shard) { return shard.pagefind.search(text, options); });
      })
      : Promise.all(shards.map(function (opening) {
        return opening.then(function (shard) { return shard.pagefind.search(text, options); });
      }));
    return Promise.all([searching, Promise.all(shards)]).then(function (done) {
      var searches = done[0].map(function (found) { return found || { results: [], filters: {} }; });
      if (text !== null) { asOneIndex(searches, done[1], !options.sort); }
      searches.counted = counted;
      return searches;
    });
  }

  /* Pagefind scores a page by BM25, whose weight for a word (its idf) comes from how many of
     the bundle's pages hold it: the same page scores higher in a bundle where the words are
     rarer. So each bundle's scores are scaled by the weight the words would have in one index
     of every bundle's pages over their weight in the bundle, both read from the pages found
     (before filters) and the pages held; each bundle counts the library's pages as its own
     (search/ranking.py pads it), so only the pages found differ. With one bundle the scale is 1. Lists in order of
     score (`ranked`) are then ordered by score and, for equal scores, by page id (a digest of
     the page), as in one index; Pagefind leaves the order of equal scores open. */
  function asOneIndex(searches, shards, ranked) {
    var found = searches.map(function (search) { return search.unfilteredResultCount || search.results.length; });
    var all = found.reduce(function (sum, count) { return sum + count; }, 0);
    var pages = shards[0].padded ? shards[0].pages
      : shards.reduce(function (sum, shard) { return sum + shard.pages; }, 0);
    searches.forEach(function (search, index) {
      var scale = found[index] ? idf(pages, all) / idf(shards[index].pages, found[index]) : 1;
      if (scale !== 1) { search.results.forEach(function (result) { result.score *= scale; }); }
      if (ranked) {
        search.results.sort(function (a, b) { return b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0); });
      }
    });
  }

  /* BM25's weight of a word on `found` of `pages` pages, as Pagefind computes it. */
  function idf(pages, found) { return Math.log((pages - found + 0.5) / (found + 0.5) + 1); }

  function searchAll(text, options) {
    return exclusive(function () { return searchShards(text, options); });
  }

  /* The excerpt of the best page for `text`, searched without filters ("" if no page). */
  function topExcerpt(text) {
    return exclusive(function () {
      return searchShards(text, {}).then(function (searches) {
        var top = topResult(searches);
        return top ? top.data().then(function (data) { return data.excerpt || "<mark></mark>"; }) : "";
      });
    });
  }

  var checks = new Map();

  /* {word, present, suggestion}: whether the index holds the word (as itself or a longer form)
     and, when not, the index word a typing slip away, as a page writes it (or null). Searched
     without filters, so a word's answer is the same whatever is ticked, and kept. */
  function checkWord(word) {
    var key = bare(word);
    if (!checks.has(key)) {
      if (suggestible(key)) {  /* the words a slip away, read meanwhile in case it is absent */
        wordsNear(key).catch(function () { return null; });
      }
      var check = key ? topExcerpt(word).then(function (excerpt) {
        if (!excerpt) { return false; }
        var marks = markedWords(excerpt).filter(Boolean);
        return !marks.length || marks.some(function (mark) { return matches(mark, word); });
      }).then(function (present) {
        if (present || !suggestible(key)) { return { word: word, present: present, suggestion: null }; }
        return suggest(key).then(function (suggestion) {
          return { word: word, present: false, suggestion: suggestion };
        });
      }) : Promise.resolve({ word: word, present: true, suggestion: null });
      checks.set(key, check.catch(function (error) { checks.delete(key); throw error; }));
    }
    return checks.get(key);
  }

  /* ---- "Did you mean": the index's own words ----

     Pagefind's API offers no vocabulary, so the first bundle's word chunks are read directly, as
     src/coprod_site/search_vocabulary.py does when it builds them: pagefind-entry.json names the
     metadata file of each language; that file (gzip of the signature "pagefind_dcd" and CBOR)
     lists the chunks as [first word, last word, file]; each chunk, index/<file>.pf_index, holds
     [[word, pages, ...], ...]. The words are stems ("reciproc"); every bundle holds all of
     them (search_vocabulary shares them), so one bundle is enough. Only the chunks whose range
     holds words starting with the typed word's first letter are read. */
  var vocabulary = null;

  /* A Pagefind index file read: its CBOR (or, with `parts`, only those items of its top array). */
  function readIndexFile(url, parts) {
    return fetch(url).then(function (response) {
      if (!response.ok) { throw new Error("cannot read " + url + ": " + response.status); }
      return new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
    }).then(function (buffer) {
      var bytes = new Uint8Array(buffer);
      var signature = new TextDecoder().decode(bytes.subarray(0, 12));
      if (signature !== "pagefind_dcd") { throw new Error(url + " is not a Pagefind index file"); }
      return decodeCbor(bytes.subarray(12), parts);
    });
  }

  /* The CBOR that Pagefind writes: definite-length integers, strings, arrays and maps. With
     `parts` (indexes), the top array's other items are passed over, not built: a bundle's
     metadata lists every page, and only its chunks are wanted here. */
  function decodeCbor(bytes, parts) {
    var at = 0;
    var view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    var text = new TextDecoder();
    function size(info) {
      var value;
      if (info < 24) { return info; }
      if (info === 24) { return bytes[at++]; }
      if (info === 25) { value = view.getUint16(at); at += 2; return value; }
      if (info === 26) { value = view.getUint32(at); at += 4; return value; }
      if (info === 27) { value = view.getUint32(at) * 4294967296 + view.getUint32(at + 4); at += 8; return value; }
      throw new Error("CBOR of indefinite length");
    }
    function item() {
      var initial = bytes[at++];
      var major = initial >> 5;
      var info = initial & 31;
      if (major === 7) {
        var simple = { 20: false, 21: true, 22: null, 23: undefined };
        if (info in simple) { return simple[info]; }
        if (info === 26) { var single = view.getFloat32(at); at += 4; return single; }
        if (info === 27) { var double = view.getFloat64(at); at += 8; return double; }
        throw new Error("unexpected CBOR value");
      }
      var count = size(info);
      var index;
      if (major === 0) { return count; }
      if (major === 1) { return -1 - count; }
      if (major === 2 || major === 3) {
        var chunk = bytes.subarray(at, at + count);
        at += count;
        return major === 3 ? text.decode(chunk) : chunk;
      }
      if (major === 4) {
        var array = [];
        for (index = 0; index < count; index++) { array.push(item()); }
        return array;
      }
      if (major === 5) {
        var map = {};
        for (index = 0; index < count; index++) { var key = item(); map[key] = item(); }
        return map;
      }
      return item();  /* a tag: its value */
    }
    function pass() {
      var initial = bytes[at++];
      var major = initial >> 5;
      var info = initial & 31;
      if (major === 7) { at += { 24: 1, 25: 2, 26: 4, 27: 8 }[info] || 0; return; }
      var count = size(info);
      if (major === 2 || major === 3) { at += count; }
      if (major === 4 || major === 5) { for (var index = 0; index < count * (major - 3); index++) { pass(); } }
      if (major === 6) { pass(); }
    }
    if (!parts) { return item(); }
    var top = bytes[at++];
    if (top >> 5 !== 4) { throw new Error("CBOR: not an array"); }
    var items = [];
    for (var count = size(top & 31), index = 0; index < count; index++) {
      if (parts.indexOf(index) >= 0) { items[index] = item(); } else { pass(); }
    }
    return items;
  }

  function vocabularyChunks() {
    if (!vocabulary) {
      var base = bundleBases("data-bundles")[0];
      vocabulary = metaOf(base).then(function (meta) {
        return { base: base, chunks: meta[2], words: new Map() };
      });
      vocabulary.catch(function () { vocabulary = null; });
    }
    return vocabulary;
  }

  /* [[stem, pages], ...] of the chunks that may hold words starting as `key` does. */
  function wordsNear(key) {
    return vocabularyChunks().then(function (vocab) {
      var letter = key[0];
      var names = vocab.chunks.filter(function (chunk) {
        return chunk[0].slice(0, 1) <= letter && letter <= chunk[1].slice(0, 1);
      }).map(function (chunk) { return chunk[2]; }).slice(0, 8);
      return Promise.all(names.map(function (name) {
        if (!vocab.words.has(name)) {
          vocab.words.set(name, readIndexFile(vocab.base + "index/" + name + ".pf_index").then(function (chunk) {
            return chunk[0].map(function (entry) { return [String(entry[0]), entry[1].length]; });
          }));
        }
        return vocab.words.get(name);
      }));
    }).then(function (lists) { return [].concat.apply([], lists); });
  }

  /* Edits (insert, delete, change, swap two letters) from a to b, or `limit` + 1 if more. */
  function edits(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) { return limit + 1; }
    var rows = [];
    for (var i = 0; i <= a.length; i++) {
      rows.push([i]);
      for (var j = 1; j <= b.length; j++) {
        if (i === 0) { rows[0].push(j); continue; }
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          best = Math.min(best, rows[i - 2][j - 2] + 1);
        }
        rows[i].push(best);
      }
    }
    return rows[a.length][b.length];
  }

  /* How far a typed word is from an index stem: the fewest edits between the stem and a start
     of the word that leaves at most three letters over (a stem drops "-ity", "-ing", "-es"),
     or else between the word and the stem with one of the longer ENDINGS. Stems much shorter
     than the word ("ask" for "asthma") are otherwise never near. */
  function distance(typed, stem, limit) {
    if (stem[0] !== typed[0] || stem.length > typed.length + limit) { return limit + 1; }
    var best = limit + 1;
    if (stem.length >= Math.max(3, 0.6 * typed.length)) {
      for (var end = Math.max(stem.length - limit, typed.length - 3); end <= typed.length; end++) {
        if (end > 0) { best = Math.min(best, edits(typed.slice(0, end), stem, limit)); }
      }
    }
    if (best > limit && stem.length >= 5 && edits(typed.slice(0, stem.length), stem, limit) <= limit) {
      ENDINGS.forEach(function (ending) { best = Math.min(best, edits(typed, stem + ending, limit)); });
    }
    return best;
  }

  /* Endings the stemmer drops, longer than the three letters `distance` allows over: a long
     word's stem can be much shorter than it ("access" for "accessibility", "empower" for
     "empowerment"), so a slip in such a word is measured against the stem with each ending. */
  var ENDINGS = ["ment", "ments", "ness", "ity", "ities", "ibility", "ability", "ation", "ations", "ion", "ions",
    "ive", "ively", "ing", "ings", "ence", "ance", "able", "ible", "ally", "ful", "ism", "ist", "ists"];

  /* Whether a typed word (`bare`) gets a suggestion when it is absent: not one with digits,
     nor one under six letters (see `suggest`). */
  function suggestible(key) { return key.length >= 6 && !/\d/.test(key); }

  /* The word a likely typing slip of `key` was meant to be, as the best page writes it, or null:
     the index stem fewest edits away (one for words under nine letters, two from nine), the
     one on most pages when several tie; it starts with the same letter, as slips rarely hit the
     first. Words under six letters get none: one edit from "save" or "money" is another word
     ("same", "more") more often than the one meant. */
  function suggest(key) {
    var limit = key.length >= 9 ? 2 : 1;
    return wordsNear(key).then(function (words) {
      var best = null;
      words.forEach(function (entry) {
        if (/\d/.test(entry[0])) { return; }
        var far = distance(key, entry[0], limit);
        if (far <= limit && (!best || far < best.far || (far === best.far && entry[1] > best.pages))) {
          best = { stem: entry[0], far: far, pages: entry[1] };
        }
      });
      return best ? surfaceForm(best.stem) : null;
    }).catch(function (error) {
      /* Pagefind's files in a form this code does not read: no suggestion, and search goes on */
      window.setTimeout(function () { throw error; }, 0);
      return null;
    });
  }

  /* A stem as pages write it: the word Pagefind marks in the best page's excerpt. */
  function surfaceForm(stem) {
    return topExcerpt(stem).then(function (excerpt) {
      var marks = markedWords(excerpt);
      var mark = marks.length ? marks[0].toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "") : "";
      return mark || stem;
    });
  }

  /* ---- Searching ---- */

  /* Pagefind's options for the state: its filters, and the records only (every record has a
     year band, prose pages none) unless a year band is already chosen. */
  function searchOptions(state, records) {
    var filters = {};
    facetKeys().forEach(function (key) {
      if (state.filters[key].length) { filters[key] = { any: state.filters[key] }; }
    });
    if (records && !filters[YEAR_FACET]) {
      filters[YEAR_FACET] = { any: boxes(YEAR_FACET).map(function (box) { return box.value; }) };
    }
    var options = { filters: filters };
    if (state.sort) {
      var parts = state.sort.split(":");
      options.sort = {};
      options.sort[parts[0]] = parts[1] === "asc" ? "asc" : "desc";
    }
    return options;
  }

  /* The records for `text` (null: every record the filters allow): count, filter counts and a
     cursor taking them in order. */
  function searchRecords(text, state) {
    var options = searchOptions(state, true);
    return searchAll(text, options).then(function (searches) { return foundIn(searches, state, text, options); });
  }

  /* `counts` are the filter counts when the searches counted every filter; else `recount`
     searches again for them, to be called once the filter indexes are loaded. */
  function foundIn(searches, state, text, options) {
    var lists = searches.map(function (search) { return search.results; });
    return {
      lists: lists,
      total: lists.reduce(function (sum, list) { return sum + list.length; }, 0),
      counts: searches.counted ? searchCounts(searches) : null,
      recount: function () { return searchAll(text, options).then(searchCounts); },
      cursor: state.sort ? bySortKey(lists, state.sort) : byScore(lists)
    };
  }

  function searchCounts(searches) { return sumCounts(searches.map(function (search) { return search.filters; })); }

  /* The records for all of `words`, when the excerpts of the best ones (a page of them, read
     anyway to be shown) show each word (not a common one) truly matched, which settles that
     none backed off without checking them one by one; else null. */
  function plainAnswer(words, state) {
    var text = words.join(" ");
    var options = searchOptions(state, true);
    return exclusive(function () {
      return searchShards(text, options).then(function (searches) {
        var best = [].concat.apply([], searches.map(function (search) { return search.results; }))
          .sort(function (a, b) { return b.score - a.score; }).slice(0, PAGE_SIZE);
        if (!best.length) { return null; }
        return Promise.all(best.map(function (result) {
          return readOnce(result).then(function (data) { return markedWords(data.excerpt); });
        })).then(function (excerpts) {
          var marks = [].concat.apply([], excerpts);
          var shown = words.every(function (word) {
            return COMMON.has(bare(word)) || marks.some(function (mark) { return matches(mark, word); });
          });
          return shown ? { found: foundIn(searches, state, text, options), note: "", text: text } : null;
        });
      });
    });
  }

  /* A result's data, read from its worker once: a result read here to check its excerpt and
     then shown is not read again (its excerpt is that of its own search either way). */
  function readOnce(result) {
    var read = result.data();
    result.data = function () { return read; };
    return read;
  }

  /* Records holding any of `words`, most words first, then by summed score (or, with a sort
     chosen, in its order). When they are few (ANY_WORD_READ) their data is read, to count the
     filters exactly and to sort; else the counts are each word's at their highest, which
     undercounts, and the order stays by words. */
  function searchAnyWord(words, state) {
    var options = searchOptions(state, true);
    var table = new Map();
    var highest = {};
    var counted = true;
    function recount() {
      return words.reduce(function (done, word) {
        return done.then(function (most) {
          return searchAll(word, options).then(function (searches) { return highestCounts(most, searchCounts(searches)); });
        });
      }, Promise.resolve({}));
    }
    return words.reduce(function (done, word) {
      return done.then(function () { return searchAll(word, options); }).then(function (searches) {
        searches.forEach(function (search, shard) {
          search.results.forEach(function (result) {
            var key = shard + " " + result.id;
            var entry = table.get(key) || { result: result, words: 0, score: 0 };
            entry.words += 1;
            entry.score += result.score;
            table.set(key, entry);
          });
        });
        highest = highestCounts(highest, searchCounts(searches));
        counted = counted && searches.counted;
      });
    }, Promise.resolve()).then(function () {
      var ranked = Array.from(table.values()).sort(function (a, b) { return b.words - a.words || b.score - a.score; })
        .map(function (entry) { return entry.result; });
      if (ranked.length > ANY_WORD_READ) { return [ranked, counted ? highest : null]; }
      return Promise.all(ranked.map(function (result) { return result.data(); })).then(function (pages) {
        if (state.sort) { ranked = sortedBy(ranked, pages, state.sort); }
        return [ranked, countFilters(pages)];
      });
    }).then(function (read) {
      var ranked = read[0];
      var at = 0;
      return {
        lists: [ranked],
        total: ranked.length,
        counts: read[1],
        recount: recount,
        cursor: inTurn(function (count) {
          var batch = ranked.slice(at, at + count);
          at += batch.length;
          return Promise.all(batch.map(function (result) { return result.data(); }));
        })
      };
    });
  }

  /* `results` in the order of the sort key ("year:desc"), read from their `pages` (data). */
  function sortedBy(results, pages, sort) {
    var parts = sort.split(":");
    var field = SORT_META + parts[0];
    var sign = parts[1] === "asc" ? 1 : -1;
    var keyed = results.map(function (result, index) {
      return { result: result, key: (pages[index].meta || {})[field] || "", index: index };
    });
    keyed.sort(function (a, b) {
      return a.key === b.key ? a.index - b.index : (a.key < b.key ? -sign : sign);
    });
    return keyed.map(function (entry) { return entry.result; });
  }

  function highestCounts(a, b) {
    var out = {};
    [a, b].forEach(function (counts) {
      Object.keys(counts).forEach(function (key) {
        out[key] = out[key] || {};
        Object.keys(counts[key]).forEach(function (value) {
          out[key][value] = Math.max(out[key][value] || 0, counts[key][value]);
        });
      });
    });
    return out;
  }

  function countFilters(pages) {
    var counts = {};
    pages.forEach(function (data) {
      Object.keys(data.filters || {}).forEach(function (key) {
        counts[key] = counts[key] || {};
        data.filters[key].forEach(function (value) { counts[key][value] = (counts[key][value] || 0) + 1; });
      });
    });
    return counts;
  }

  function quoted(words) { return words.map(function (word) { return "\u201c" + word + "\u201d"; }).join(", "); }

  /* What to show for the state: {found, note, text (the words searched, for the prose pages),
     suggestions (for the no-results help)}. The steps are described at the top of this file. */
  function answer(state) {
    var words = normalise(state.q).split(" ").filter(Boolean);
    if (!words.length) {
      return searchRecords(null, state).then(function (found) { return { found: found, note: "", text: null }; });
    }
    return plainAnswer(words, state).then(function (plain) {
      return plain || answerWordByWord(words, state);
    });
  }

  function answerWordByWord(words, state) {
    return Promise.all(words.map(function (word) {
      return COMMON.has(bare(word)) ? { word: word, present: true, suggestion: null } : checkWord(word);
    })).then(function (checked) {
      var absent = checked.filter(function (check) { return !check.present; });
      var fixed = absent.filter(function (check) { return check.suggestion; });
      var missing = absent.filter(function (check) { return !check.suggestion; }).map(function (check) { return check.word; });
      var usable = checked.map(function (check) { return check.present ? check.word : check.suggestion; })
        .filter(Boolean);
      var main = usable.filter(function (word) { return !COMMON.has(bare(word)); });
      var notes = [];
      if (fixed.length) {
        notes.push("No record has " + quoted(fixed.map(function (c) { return c.word; })) + ". Showing results for " +
          quoted(fixed.map(function (c) { return c.suggestion; })) + ".");
      }
      if (missing.length && main.length) {
        notes.push("No record has " + quoted(missing) + ", so " + (missing.length > 1 ? "they were" : "it was") +
          " left out.");
      }
      var none = { found: emptyFound(), note: "", text: main.join(" ") || null,
                   suggestion: fixed.length ? usable.join(" ") : "" };
      var topic = missingTopic(words, checked);
      if (topic.length && main.length) {  /* no prose pages either: they would be about the rest */
        return { found: emptyFound(), note: "", text: null, topic: topic, rest: main.join(" ") };
      }
      var attempts = [];
      if (!absent.length) { attempts.push({ text: words.join(" "), note: notes.join(" ") }); }
      if (main.length && main.join(" ") !== words.join(" ")) {
        var dropped = usable.filter(function (word) { return COMMON.has(bare(word)); });
        attempts.push({ text: main.join(" "), note: notes.concat(dropped.length && !absent.length
          ? ["Showing results without common words such as " + quoted(dropped.slice(0, 3)) + "."] : []).join(" ") });
      }
      return attempts.reduce(function (done, attempt) {
        return done.then(function (result) {
          if (result) { return result; }
          return searchRecords(attempt.text, state).then(function (found) {
            return found.total ? { found: found, note: attempt.note, text: attempt.text } : null;
          });
        });
      }, Promise.resolve(null)).then(function (result) {
        if (result || main.length < 2) { return result || none; }
        return searchAnyWord(main, state).then(function (found) {
          if (!found.total) { return none; }
          var note = notes.concat(["No record has all your words; these have some."]).join(" ");
          return { found: found, note: note, text: null, any: true };
        });
      });
    });
  }

  /* The words in no record that name the reader's topic, or []. A query of words that are not
     common ones ("autism support", "dementia care homes", after any question words) reads as a
     noun phrase, whose head comes last and whose first words narrow it: support of one kind,
     care homes of one kind. So when such a query's first words are in no record (and are no
     slip of a word that is), they are the topic: records for the words left answer a broader
     question than the one asked, and the page says so instead, with a link to search them. A
     word in no record after the first ("can co-production tackle social injustice", "reciprocity
     asthma"), or in a query with common words among its own ("recognizing everyone has assets",
     "how do you measure the value of co-production": a sentence, whose missing word is as often
     a verb), is only left out, as before. */
  function missingTopic(words, checked) {
    var start = 0;
    while (start < words.length && COMMON.has(bare(words[start]))) { start++; }
    var phrase = words.slice(start).every(function (word) { return !COMMON.has(bare(word)); });
    var end = start;
    while (end < words.length && !checked[end].present && !checked[end].suggestion) { end++; }
    return phrase && end > start && end < words.length ? words.slice(start, end) : [];
  }

  function emptyFound() {
    return { lists: [], total: 0, counts: {}, recount: null, cursor: function () { return Promise.resolve([]); } };
  }

  /* Prose pages matching `text`: those of an unfiltered search that are not among the records.
     The search asks Pagefind for the pages with no year band, the prose pages: Pagefind scores
     every page it returns, each against every page a query word is on, so a search that returns
     the few prose pages rather than every record costs a fraction of one that returns all (the
     scores are the same, as filters do not change them). */
  function searchProse(text, found) {
    var records = new Set();
    found.lists.forEach(function (list, shard) {
      list.forEach(function (result) { records.add(shard + " " + result.id); });
    });
    var filters = {};
    filters[YEAR_FACET] = { none: boxes(YEAR_FACET).map(function (box) { return box.value; }) };
    return searchAll(text, { filters: filters }).then(function (searches) {
      var pages = [];
      searches.forEach(function (search, shard) {
        search.results.forEach(function (result) {
          if (!records.has(shard + " " + result.id)) { pages.push(result); }
        });
      });
      pages.sort(function (a, b) { return b.score - a.score; });
      return Promise.all(pages.slice(0, PROSE_SHOWN).map(function (result) { return result.data(); }));
    });
  }

  /* ---- Showing the answer ---- */

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
    var chosen = chosenFilters(state);
    var text = words + (state.q ? " for \u201c" + state.q + "\u201d" : "");
    return chosen.length ? text + ", filtered by " + chosen.join(", ") : text;
  }

  /* The filter panel's summary counts the filters ticked; the panel is hidden when every
     count would read (0) and none is ticked, as there is nothing to choose. */
  function showPanel(state, count) {
    var ticked = chosenFilters(state).length;
    applied.textContent = ticked ? " (" + ticked + " applied)" : "";
    panel.hidden = count === 0 && ticked === 0;
    sortChoice.hidden = count === 0;
  }

  function clear() {
    list.replaceChildren();
    proseList.replaceChildren();
    more.hidden = true;
    help.hidden = true;
    prose.hidden = true;
    note.hidden = true;
    note.replaceChildren();
  }

  function run(state) {
    var mine = ++generation;
    clear();
    showPanel(state, 1);
    if (!state.q && !hasFilters(state)) {
      status.textContent = "Type words to search for, or choose a filter.";
      return Promise.resolve();
    }
    status.textContent = "Searching\u2026";
    return answer(state).then(function (result) {
      if (mine !== generation) { return null; }
      var found = result.found;
      cursor = found.cursor;
      total = found.total;
      shown = 0;
      if (found.counts) { setCounts(found.counts); }
      showPanel(state, total);
      showNote(result, total);
      return showMore(mine).then(function () {
        if (mine !== generation) { return null; }
        help.hidden = total > 0;
        if (!firstShown) {
          firstShown = true;
          window.performance.mark("search-first-results");
        }
        return Promise.all([result.text && !hasFilters(state) ? searchProse(result.text, found) : [],
                            found.counts || loadFilterIndexes().then(function () {
                              return mine === generation ? found.recount() : null;  /* else not wanted */
                            })]);
      }).then(function (done) {
        if (mine !== generation || !done) { return; }
        showProse(done[0]);
        setCounts(done[1]);
        status.textContent = describe(state, total);  /* last: the search has settled */
      });
    }).catch(function (error) {
      if (mine !== generation) { return; }
      status.textContent = "Search is not available right now. You can browse the evidence instead.";
      window.setTimeout(function () { throw error; }, 0);
    });
  }

  /* The note above the results; for a search that found nothing, the topic no record has and a
     link to search the other words, or "Did you mean" and a link. */
  function showNote(result, count) {
    if (count) {
      if (result.note) { note.append(result.note); }
    } else if (result.topic) {
      note.append("No record has " + quoted(result.topic) + ". Search for ", searchLink(result.rest), " instead.");
    } else if (result.suggestion) {
      note.append("Did you mean ", searchLink(result.suggestion), "?");
    }
    note.hidden = !note.childNodes.length;
  }

  /* A link that searches `text` with the filters and order chosen now. */
  function searchLink(text) {
    var state = stateFromForm();
    var link = document.createElement("a");
    state.q = text;
    link.href = addressFor(state);
    link.textContent = text;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      showState(state);
      go(state, false);
    });
    return link;
  }

  function showMore(mine) {
    return cursor(PAGE_SIZE).then(function (items) {
      if (mine !== generation) { return; }
      items.forEach(function (item) { list.appendChild(resultItem(item)); });
      shown += items.length;
      more.hidden = shown >= total;
    });
  }

  function showProse(pages) {
    pages.forEach(function (data) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = data.url;
      link.textContent = (data.meta || {}).title || data.url;
      item.appendChild(link);
      proseList.appendChild(item);
    });
    prose.hidden = pages.length === 0;
  }

  /* An excerpt as text with only Pagefind's <mark> kept. It starts at a sentence when one
     starts early in it (and the rest still marks a word), else at a word (stray punctuation
     dropped), and says with an ellipsis when it starts or ends mid-sentence. */
  function safeExcerpt(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    template.content.querySelectorAll("*").forEach(function (el) {
      if (el.tagName !== "MARK") { el.replaceWith(document.createTextNode(el.textContent)); }
    });
    var content = template.content;
    content.normalize();
    startAtSentence(content);
    var first = content.firstChild;
    if (first && first.nodeType === Node.TEXT_NODE) {
      first.textContent = first.textContent.replace(/^[^\p{L}\p{N}]+/u, "");
    }
    var text = content.textContent.trim();
    if (text && !/^\p{Lu}/u.test(text)) { content.prepend("\u2026 "); }
    if (text && !/[.!?]$/.test(text)) { content.append(" \u2026"); }
    return content;
  }

  var SENTENCE_WITHIN = 60;  /* characters: how far into an excerpt a sentence may start */

  function startAtSentence(content) {
    if (/^\s*\p{Lu}/u.test(content.textContent)) { return; }
    var marked = content.querySelectorAll("mark").length;
    var seen = 0;
    var nodes = Array.prototype.slice.call(content.childNodes);
    for (var index = 0; index < nodes.length && seen < SENTENCE_WITHIN; index++) {
      var node = nodes[index];
      var end = node.nodeType === Node.TEXT_NODE ? /[.!?]\s+(?=\p{Lu})/u.exec(node.textContent) : null;
      if (end && seen + end.index < SENTENCE_WITHIN) {
        var after = nodes.slice(index + 1).filter(function (n) { return n.nodeName === "MARK"; }).length;
        if (marked && !after) { return; }
        nodes.slice(0, index).forEach(function (n) { n.remove(); });
        node.textContent = node.textContent.slice(end.index + end[0].length);
        return;
      }
      seen += node.textContent.length;
    }
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

  panel.open = window.matchMedia(WIDE).matches;
  var initial = stateFromUrl();
  showState(initial);
  loadShards({ words: normalise(initial.q), options: searchOptions(initial, true) });
  run(initial);
}());
