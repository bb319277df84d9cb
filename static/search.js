/* Dossier search page (search/index.html).

   The index is built by `dossier build` (src/search/mod.rs) as plain script files, because
   a page opened from file:// may not fetch() or XHR its neighbours but may load <script src>:
     search/manifest.js   DossierSearch.manifest({docs, lengths, bm25, bucket, shards, stop})
     search/t/KEY.js      DossierSearch.shard(KEY, {t: {term: postings}, e: {term: entities}})
     search/d/NNNN.js     DossierSearch.docs(N, [[url, title, date, text], ...])
   Postings are [doc, weight, doc delta, weight, ...]: a document's weighted count of the term.
   BM25 scores are made here from the weights and the manifest's document lengths, so that an
   edited article changes only the shards of the words it changed. Shards are loaded for the
   query's words only, documents only for the results on screen.

     search/speakers.js   DossierSearch.speakers({s: [[id, name, url, [doc]]], docs: [doc]})
     search/s/NNNN.js     DossierSearch.quotes(N, [[doc, anchor, speaker, text], ...])
   With "Statements only" ticked (?in=statements, and ?speaker=ENTITY for one speaker), the
   results are the statements of the matching articles that hold every word, by that speaker:
   the articles are found as above, then their statements (s/NNNN.js) are loaded a few buckets
   at a time and filtered here.

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
  var speakers = null, quotes = {}; // statements: search/speakers.js and the s/NNNN.js loaded
  var CHUNK = 64;           // documents whose statements are looked at per step
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
    if (els.statements && els.statements.checked) return searchStatements(text);
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
    var p = new URLSearchParams();
    if (text) p.set("q", text);
    if (els.statements && els.statements.checked) {
      p.set("in", "statements");
      if (els.speaker.value) p.set("speaker", els.speaker.value);
    }
    var qs = p.toString();
    try { history.replaceState(null, "", location.pathname + (qs ? "?" + qs : "")); } catch (e) { /* some browsers refuse on file:// */ }
  }

  function pad(b) { b = String(b); while (b.length < 4) b = "0" + b; return b; }  // as {:04} in Rust

  /* Every word is in the statement's words (the last one may start a word). */
  function holds(text, words) {
    if (!words.length) return true;
    var toks = split(text), last = words.length - 1;
    return words.every(function (w, i) {
      var prefix = i === last && chars(w).length >= 2;
      return toks.some(function (t) { return t === w || (prefix && t.indexOf(w) === 0); });
    });
  }

  /* Fills the speaker list once speakers.js is in; `want` is chosen (from ?speaker=). */
  function fillSpeakers(want) {
    var sel = els.speaker;
    if (sel.options.length > 1) return;
    speakers.s.forEach(function (sp) {
      var o = document.createElement("option");
      o.value = sp[0];
      o.textContent = sp[1] + " (" + sp[3].length + (sp[3].length === 1 ? " article)" : " articles)");
      sel.appendChild(o);
    });
    if (want) sel.value = want;
  }

  /* Statements only: the candidate documents (the articles matching the words, best first, or
     the speaker's articles newest first), then their statements a CHUNK of documents at a time. */
  function searchStatements(text) {
    var words = parse(text);
    var q = { text: text, words: words, statements: true, docs: [], next: 0, found: [], shown: 0 };
    current = q;
    status("Searching statements…");
    loadAll(["speakers.js"], function () {
      if (q !== current || !speakers) return;
      fillSpeakers(null);
      var id = els.speaker.value, who = -1;
      speakers.s.forEach(function (sp, i) { if (sp[0] === id) who = i; });
      q.who = who;
      var allowed = new Set(who >= 0 ? speakers.s[who][3] : speakers.docs);
      var finish = function (ranked) {
        if (q !== current) return;
        q.docs = ranked.filter(function (d) { return allowed.has(d); });
        clear();
        statementsStep(q);
      };
      if (!words.length) {
        if (who < 0) { clear(); status("Type words, or choose who said them."); return; }
        return finish(speakers.s[who][3].slice());
      }
      var last = words.length - 1, need = {};
      words.forEach(function (w, i) {
        (i === last && chars(w).length >= 2 ? keysFor(w) : [keyOf(w)]).forEach(function (k) { if (k) need["t/" + shardFile(k) + ".js"] = true; });
      });
      loadAll(Object.keys(need), function () { finish(run(words).results.map(function (r) { return r[0]; })); });
    });
  }

  function statementsStep(q) {
    var slice = q.docs.slice(q.next, q.next + CHUNK), srcs = {};
    slice.forEach(function (d) {
      var b = pad(Math.floor(d / manifest.bucket));
      srcs["s/" + b + ".js"] = true;
      srcs["d/" + b + ".js"] = true;
    });
    loadAll(Object.keys(srcs), function () {
      if (q !== current) return;
      slice.forEach(function (d) {
        (quotes[Math.floor(d / manifest.bucket)] || []).forEach(function (row) {
          if (row[0] === d && (q.who < 0 || row[2] === q.who) && holds(row[3], q.words)) q.found.push(row);
        });
      });
      q.next += slice.length;
      showStatements(q);
    });
  }

  function showStatements(q) {
    q.found.slice(q.shown).forEach(function (row, i) {
      var b = Math.floor(row[0] / manifest.bucket), d = docs[b] && docs[b][row[0] % manifest.bucket];
      if (!d) return;
      var li = document.createElement("li");
      li.className = "result result--statement";
      var h = document.createElement("h2");
      h.className = "result__title";
      var a = document.createElement("a");
      a.href = els.root + d[0] + "#" + row[1];
      var said = row[3].length > 400 ? row[3].slice(0, 400) + " …" : row[3];
      if (q.words.length) appendMarked(a, said, q.words);
      else a.textContent = said;
      h.appendChild(a);
      var meta = document.createElement("p");
      meta.className = "meta result__meta";
      var sp = row[2] >= 0 ? speakers.s[row[2]] : null;
      meta.textContent = (sp ? sp[1] : "Speaker not known") + " · " + d[2] + " · " + d[1];
      li.appendChild(h); li.appendChild(meta);
      li.setAttribute("data-rank", q.shown + i + 1);
      els.results.appendChild(li);
    });
    q.shown = q.found.length;
    var quoted = q.words.length ? " with “" + q.words.join(" ") + "”" : "";
    var by = q.who >= 0 ? " by " + speakers.s[q.who][1] : "";
    var done = q.next >= q.docs.length;
    status((q.shown === 0 && done ? "No statement" : q.shown + (q.shown === 1 ? " statement" : " statements")) + by + quoted + (done ? "." : " in the first " + q.next + " of " + q.docs.length + " articles."));
    els.more.hidden = done;
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
    els.more.addEventListener("click", function () { if (current) (current.statements ? statementsStep : more)(current); });
    els.statements = document.getElementById("search-statements");
    els.speaker = document.getElementById("search-speaker");
    var params = new URLSearchParams(location.search), rerun = function () { remember(els.input.value); search(els.input.value); };
    if (els.statements) {
      els.statements.checked = params.get("in") === "statements" || !!params.get("speaker");
      els.scope = document.getElementById("search-scope");
      var want = params.get("speaker");
      if (want) {
        var o = document.createElement("option");
        o.value = want;
        o.textContent = want;
        els.speaker.appendChild(o);
        els.speaker.value = want;
        load("speakers.js", function () {
          if (!speakers) return;
          els.speaker.removeChild(o);
          fillSpeakers(want);
        });
      }
      els.statements.addEventListener("change", rerun);
      els.speaker.addEventListener("change", function () { els.statements.checked = true; rerun(); });
    }
    document.addEventListener("keydown", arrows);
    var q = params.get("q") || "";
    els.input.value = q;
    if (q || (els.statements && els.statements.checked && params.get("speaker"))) search(q);
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
    docs: function (bucket, rows) { docs[bucket] = rows; },
    speakers: function (data) { speakers = data; },
    quotes: function (bucket, rows) { quotes[bucket] = rows; }
  };
})();
