/* Dossier search page (search/index.html).

   The index is built by `dossier build` (src/site/search.rs) as plain script files, because
   a page opened from file:// may not fetch() or XHR its neighbours but may load <script src>:
     search/manifest.js   DossierSearch.manifest({docs, lengths, bm25, bucket, shards, stop})
     search/t/KEY.js      DossierSearch.shard(KEY, {t: {term: postings}, e: {term: entities}})
     search/d/NNNN.js     DossierSearch.docs(N, [[url, title, date, text], ...])
   Postings are [doc, weight, doc delta, weight, ...]: a document's weighted count of the term.
   BM25 scores are made here from the weights and the manifest's document lengths, so that an
   edited article changes only the shards of the words it changed. Shards are loaded for the
   query's words only, documents only for the results on screen.

   Query: every word must match (AND); the last one also matches as the start of a word.
   Results and snippets are built with createElement/textContent only: article text never
   reaches innerHTML.
*/
var DossierSearch = (function () {
  "use strict";
  var PAGE = 20;            // results shown per "page"
  var PREFIX_FACTOR = 0.8;  // a word the query only starts ranks below the word itself
  var MAX_TERM = 32;        // as MAX_TERM_CHARS in search.rs

  var manifest = null, keys = {}, stop = {};
  var norms = [];           // BM25's length normalisation of each document
  var shards = {}, docs = {}, scripts = {};
  var current = null;       // the query on screen: {text, words, results, shown, entities, landing}
  var els = {};

  function own(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
  function chars(s) { return Array.from(s); }

  // The same folding as search.rs::fold: NFKD, marks dropped, lower case.
  function fold(s) { return s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase(); }
  function split(s) { return fold(s).split(/[^\p{Alphabetic}\p{N}]+/u).filter(function (w) { return w && chars(w).length <= MAX_TERM; }); }

  /* The query's words: stop words are not in the index, so they are dropped, except the last
     word while it may still be the start of a longer one ("is" on the way to "isil"). */
  function parse(text) {
    var all = split(text), words = [];
    all.forEach(function (w, i) {
      var last = i === all.length - 1;
      if (!own(stop, w) || (last && chars(w).length >= 2)) words.push(w);
    });
    return words;
  }

  function shardFile(key) {
    if (/^[a-z0-9]+$/.test(key)) return key;
    return "_" + chars(key).map(function (c) { return c.codePointAt(0).toString(16); }).join("-");
  }

  // The shard of a term: the longest key that begins it (search.rs::split).
  function keyOf(term) {
    var c = chars(term);
    for (var n = c.length; n >= 1; n--) {
      var k = c.slice(0, n).join("");
      if (own(keys, k)) return k;
    }
    return null;
  }
  // Every shard that can hold a term beginning with `p`.
  function keysFor(p) {
    var out = [], k = keyOf(p);
    if (k) out.push(k);
    manifest.shards.forEach(function (s) { if (s !== k && s.indexOf(p) === 0) out.push(s); });
    return out;
  }

  function load(src, done) {
    var s = scripts[src];
    if (s === true) return done();
    if (s) return s.push(done);
    scripts[src] = [done];
    var el = document.createElement("script");
    el.src = src;
    el.onload = el.onerror = function () {
      var waiting = scripts[src];
      scripts[src] = true;
      waiting.forEach(function (f) { f(); });
    };
    document.head.appendChild(el);
  }
  function loadAll(srcs, done) {
    var n = srcs.length;
    if (!n) return done();
    srcs.forEach(function (src) { load(src, function () { if (--n === 0) done(); }); });
  }

  // doc -> score for one word; `prefix` also takes every longer term it begins.
  function postings(word, prefix) {
    var scores = new Map(), k1 = manifest.bm25.k1;
    function add(list, factor) {
      // A document lists a term once: the term's document frequency is its number of postings.
      var n = list.length / 2, idf = Math.log(1 + (manifest.docs - n + 0.5) / (n + 0.5));
      var doc = 0;
      for (var i = 0; i < list.length; i += 2) {
        doc += list[i];
        var w = list[i + 1];
        var s = idf * w * (k1 + 1) / (w + norms[doc]) * factor, old = scores.get(doc);
        if (old === undefined || s > old) scores.set(doc, s);
      }
    }
    (prefix ? keysFor(word) : [keyOf(word)]).forEach(function (k) {
      var sh = k && shards[k];
      if (!sh) return;
      if (!prefix) { if (own(sh.t, word)) add(sh.t[word], 1); return; }
      for (var t in sh.t) if (own(sh.t, t) && t.indexOf(word) === 0) add(sh.t[t], t === word ? 1 : PREFIX_FACTOR);
    });
    return scores;
  }

  // id -> [id, name, url, articles] for the entities whose names hold the word.
  function entitiesFor(word, prefix) {
    var out = new Map();
    (prefix ? keysFor(word) : [keyOf(word)]).forEach(function (k) {
      var sh = k && shards[k];
      if (!sh) return;
      for (var t in sh.e) {
        if (!own(sh.e, t) || !(t === word || (prefix && t.indexOf(word) === 0))) continue;
        sh.e[t].forEach(function (row) { out.set(row[0], row); });
      }
    });
    return out;
  }

  function run(words) {
    var last = words.length - 1;
    var maps = words.map(function (w, i) { return postings(w, i === last && chars(w).length >= 2); });
    maps.sort(function (a, b) { return a.size - b.size; });
    var results = [];
    maps[0].forEach(function (score, doc) {
      for (var i = 1; i < maps.length; i++) {
        var s = maps[i].get(doc);
        if (s === undefined) return;
        score += s;
      }
      results.push([doc, score]);
    });
    results.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });

    // Entities named by the whole query are listed; when there are none, the result links
    // still land on a mention of an entity named by any one word ("lavrov raqqa").
    var all = null, any = new Map();
    words.forEach(function (w, i) {
      var m = entitiesFor(w, i === last && chars(w).length >= 2);
      m.forEach(function (row, id) { any.set(id, row); });
      if (all) all.forEach(function (_, id) { if (!m.has(id)) all.delete(id); });
      else all = m;
    });
    var entities = ranked(all), landing = entities.length ? entities : ranked(any);
    return { results: results, entities: entities, landing: landing };
  }

  function ranked(map) {
    return Array.from(map.values()).sort(function (a, b) { return b[3] - a[3] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0); });
  }

  // Does a folded word of the text match the query? The last query word as a prefix.
  function matcher(words) {
    var last = words[words.length - 1], exact = {};
    words.forEach(function (w) { exact[w] = true; });
    return function (tok) { return own(exact, tok) || (chars(last).length >= 2 && tok.indexOf(last) === 0); };
  }

  var WORD = /[\p{Alphabetic}\p{N}\p{M}]+/gu;

  // The text's words that match, as [start, end, which query word] in UTF-16 offsets.
  function hits(text, words, limit) {
    var match = matcher(words), out = [], m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) && out.length < limit) {
      var toks = split(m[0]);
      for (var i = 0; i < toks.length; i++) {
        if (match(toks[i])) { out.push([m.index, m.index + m[0].length, toks[i]]); break; }
      }
    }
    return out;
  }

  // Appends `text` to `parent`, the matching words in <mark>.
  function appendMarked(parent, text, words) {
    var pos = 0;
    hits(text, words, Infinity).forEach(function (h) {
      if (h[0] > pos) parent.appendChild(document.createTextNode(text.slice(pos, h[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(h[0], h[1]);
      parent.appendChild(mark);
      pos = h[1];
    });
    if (pos < text.length) parent.appendChild(document.createTextNode(text.slice(pos)));
  }

  // About 260 characters around the place where most query words are close together.
  function snippet(text, words) {
    var found = hits(text, words, 400), best = 0, bestN = 0;
    found.forEach(function (h, i) {
      var seen = {}, n = 0;
      for (var j = i; j < found.length && found[j][0] < h[0] + 170; j++) {
        if (!seen[found[j][2]]) { seen[found[j][2]] = true; n++; }
      }
      if (n > bestN) { bestN = n; best = h[0]; }
    });
    var start = Math.max(0, best - 90), end = Math.min(text.length, start + 260);
    if (start > 0) { var sp = text.indexOf(" ", start); if (sp !== -1 && sp < best) start = sp + 1; }
    if (end < text.length) { var ep = text.lastIndexOf(" ", end); if (ep > best) end = ep; }
    return (start > 0 ? "… " : "") + text.slice(start, end).replace(/\s+/g, " ") + (end < text.length ? " …" : "");
  }

  function link(url, words, entities) {
    var hash = "#q=" + encodeURIComponent(words.join(" "));
    if (entities.length) hash += "&e=" + encodeURIComponent(entities.slice(0, 5).map(function (e) { return e[0]; }).join(","));
    return els.root + url + hash;
  }

  function status(text) { els.status.textContent = text; }

  function showEntities(entities) {
    var list = els.entityList;
    while (list.firstChild) list.removeChild(list.firstChild);
    entities.slice(0, 8).forEach(function (e) {
      var type = e[0].split("/")[0];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.className = "chip chip--" + type;
      a.href = els.root + e[2];
      var sw = document.createElement("span");
      sw.className = "swatch swatch--" + type;
      sw.setAttribute("aria-hidden", "true");
      var name = document.createElement("span");
      name.className = "chip__name";
      name.textContent = e[1];
      var count = document.createElement("span");
      count.className = "chip__count";
      count.title = e[3] + (e[3] === 1 ? " article" : " articles");
      count.textContent = e[3];
      a.appendChild(sw); a.appendChild(name); a.appendChild(count);
      li.appendChild(a);
      list.appendChild(li);
    });
    els.entities.hidden = entities.length === 0;
  }

  // Renders the next PAGE results once their document files are loaded.
  function more(q) {
    var slice = q.results.slice(q.shown, q.shown + PAGE);
    var buckets = {};
    slice.forEach(function (r) { buckets[Math.floor(r[0] / manifest.bucket)] = true; });
    var srcs = Object.keys(buckets).map(function (b) {
      while (b.length < 4) b = "0" + b;  // as {:04} in search.rs
      return "d/" + b + ".js";
    });
    loadAll(srcs, function () {
      if (q !== current) return;
      slice.forEach(function (r, i) {
        var rows = docs[Math.floor(r[0] / manifest.bucket)];
        var d = rows && rows[r[0] % manifest.bucket];
        if (!d) return;
        var li = document.createElement("li");
        li.className = "result";
        var h = document.createElement("h2");
        h.className = "result__title";
        var a = document.createElement("a");
        a.href = link(d[0], q.words, q.landing);
        appendMarked(a, d[1], q.words);
        h.appendChild(a);
        var meta = document.createElement("p");
        meta.className = "meta result__meta";
        var date = document.createElement("span");
        date.textContent = d[2];
        meta.appendChild(date);
        var snip = document.createElement("p");
        snip.className = "result__snippet";
        appendMarked(snip, snippet(d[3], q.words), q.words);
        li.appendChild(h); li.appendChild(meta); li.appendChild(snip);
        li.setAttribute("data-rank", q.shown + i + 1);
        els.results.appendChild(li);
      });
      q.shown += slice.length;
      els.more.hidden = q.shown >= q.results.length;
    });
  }

  function clear() {
    while (els.results.firstChild) els.results.removeChild(els.results.firstChild);
    els.more.hidden = true;
    showEntities([]);
  }

  function search(text) {
    var words = parse(text);
    var q = { text: text, words: words, results: [], entities: [], landing: [], shown: 0 };
    current = q;
    var hint = !text.trim() ? ""
      : !words.length ? "Those words are too common to search for; add a name or a rarer word."
      : words.length === 1 && chars(words[0]).length < 2 ? "Keep typing: at least two letters."
      : null;
    if (hint !== null) {
      clear();
      status(hint);
      return;
    }
    var last = words.length - 1, need = {};
    words.forEach(function (w, i) {
      (i === last && chars(w).length >= 2 ? keysFor(w) : [keyOf(w)]).forEach(function (k) { if (k) need["t/" + shardFile(k) + ".js"] = true; });
    });
    status("Searching…");
    loadAll(Object.keys(need), function () {
      if (q !== current) return;
      var found = run(words);
      q.results = found.results;
      q.entities = found.entities;
      q.landing = found.landing;
      clear();
      showEntities(q.entities);
      var n = q.results.length, quoted = "“" + words.join(" ") + "”";
      status(n === 0 ? "No article has every word of " + quoted + "." : n + (n === 1 ? " article matches " : " articles match ") + quoted + ", best first.");
      more(q);
    });
  }

  function remember(text) {
    try { history.replaceState(null, "", location.pathname + (text ? "?q=" + encodeURIComponent(text) : "")); } catch (e) { /* some browsers refuse on file:// */ }
  }

  // Arrow keys move the focus through the result links (Enter then opens one natively).
  function arrows(e) {
    if (e.altKey || e.ctrlKey || e.metaKey || (e.key !== "ArrowDown" && e.key !== "ArrowUp")) return;
    var links = Array.prototype.slice.call(els.results.querySelectorAll(".result__title a"));
    if (!links.length) return;
    var i = links.indexOf(document.activeElement);
    if (e.key === "ArrowDown") {
      if (i < links.length - 1) links[i + 1].focus();
    } else if (i === 0) {
      els.input.focus();
    } else if (i > 0) {
      links[i - 1].focus();
    } else {
      return;
    }
    e.preventDefault();
  }

  function start() {
    var box = document.getElementById("search");
    if (!box || !manifest) return;
    els = {
      root: box.getAttribute("data-root") || "",
      input: document.getElementById("search-q"),
      status: document.getElementById("search-status"),
      results: document.getElementById("search-results"),
      entities: document.getElementById("search-entities"),
      entityList: document.getElementById("search-entity-list"),
      more: document.getElementById("search-more")
    };
    var timer = null;
    els.input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { remember(els.input.value); search(els.input.value); }, 120);
    });
    document.getElementById("search-form").addEventListener("submit", function (e) {
      e.preventDefault();
      clearTimeout(timer);
      remember(els.input.value);
      search(els.input.value);
    });
    els.more.addEventListener("click", function () { if (current) more(current); });
    document.addEventListener("keydown", arrows);
    var q = new URLSearchParams(location.search).get("q") || "";
    els.input.value = q;
    if (q) search(q);
    else els.input.focus();
  }

  window.addEventListener("load", function () {
    if (!manifest && document.getElementById("search")) {
      document.getElementById("search-status").textContent = "The search index (search/manifest.js) is missing; rebuild the site.";
    }
  });

  return {
    manifest: function (m) {
      manifest = m;
      var total = 0;
      m.lengths.forEach(function (len) { total += len; });
      var avg = Math.max(total / Math.max(m.docs, 1), 1), b = m.bm25.b;
      norms = m.lengths.map(function (len) { return m.bm25.k1 * (1 - b + b * len / avg); });
      m.shards.forEach(function (k) { keys[k] = true; });
      m.stop.forEach(function (w) { stop[w] = true; });
      start();
    },
    shard: function (key, data) { shards[key] = data; },
    docs: function (bucket, rows) { docs[bucket] = rows; }
  };
})();
