/* Dossier article list (articles/index.html): narrow by year, location, organisation and
   person together.

   The list is rendered in full by the build and works without this script. The data comes
   from search/facets.js (src/search/facets.rs), loaded with <script src> because the page may
   be opened from file://:
     DossierFacets.data({types, entities: [[type, slug, name], ...],
                         articles: [[year or null, [entity numbers]], ...]})
   Articles are in list order, matching the cards' data-doc; entities are numbered by type,
   most articles first.

   A long list comes in pages (data-first and data-page-size on .article-list): the cards of
   this page are narrowed here, and the pager says how many of the matching articles each
   other page holds, hides the pages with none, and carries the choice to them.

   Ticking several entities keeps the articles that mention all of them (AND, within and
   across types); a year narrows further. Counts say how many of the articles left mention
   each entity. The page address carries the choice: ?location=raqqa&organisation=syrian-
   democratic-forces&year=2017 opens with it ticked.
*/
var DossierFacets = (function () {
  "use strict";
  var TOP = 15;    // entities listed per type before the filter box is needed
  var FOUND = 50;  // at most this many matches of a filter are listed

  var d, cards = [], byEntity = [], sel = { year: null, ents: [] }, filters = {}, els = {};
  var paging = { first: 0, size: Infinity, here: 1 }, pageLinks = [], noneText = "";

  function fold(s) { return s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase(); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  // Folding thousands of names on every keystroke in a filter box is what would make it lag.
  var foldedNames = [];
  function folded(e) { return foldedNames[e] || (foldedNames[e] = fold(d.entities[e][2])); }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  // The list positions of the articles left by the entity choice, then by the year.
  function matching() {
    var base = null;
    sel.ents.forEach(function (e) {
      var set = new Set(byEntity[e]);
      base = base ? base.filter(function (a) { return set.has(a); }) : byEntity[e].slice();
    });
    if (!base) base = d.articles.map(function (_, i) { return i; });
    var inYear = sel.year ? base.filter(function (a) { return d.articles[a][0] === sel.year; }) : base;
    return { all: base, shown: inYear };
  }

  function update() {
    var m = matching(), shown = new Set(m.shown);
    cards.forEach(function (c, i) { if (c) c.hidden = !shown.has(i); });
    document.querySelectorAll(".year-group").forEach(function (g) {
      var n = g.querySelectorAll(".card[data-doc]:not([hidden])").length;
      g.hidden = n === 0;
      var jump = document.querySelector('.jump a[href="#' + g.id + '"]');
      if (jump) {
        jump.parentNode.hidden = n === 0;
        var c = jump.querySelector(".count");
        if (c) c.textContent = n;
      }
    });
    var total = d.articles.length, chosen = sel.ents.length + (sel.year ? 1 : 0);
    var perPage = {}, onPage = 0;
    m.shown.forEach(function (a) {
      var p = Math.floor(a / paging.size) + 1;
      perPage[p] = (perPage[p] || 0) + 1;
    });
    onPage = perPage[paging.here] || 0;
    var paged = pageLinks.length > 0;
    els.shown.textContent = chosen ? "Showing " + m.shown.length + " of " + plural(total, "article", "articles") + (paged ? ", " + onPage + " on this page." : ".") : "All " + plural(total, "article", "articles") + ".";
    els.clear.hidden = !chosen;
    els.none.hidden = onPage > 0;
    els.none.textContent = m.shown.length > 0 ? "No article on this page matches every choice; the pages listed show how many of the " + m.shown.length + " that do each holds." : noneText;
    pageLinks.forEach(function (l) {
      var n = perPage[l.page] || 0;
      l.count.hidden = !chosen;
      l.count.textContent = n;
      l.count.title = plural(n, "matching article", "matching articles");
      l.a.parentNode.hidden = chosen && n === 0 && l.page !== paging.here;
    });

    var counts = new Array(d.entities.length).fill(0);
    m.shown.forEach(function (a) { d.articles[a][1].forEach(function (e) { counts[e]++; }); });
    var years = {};
    m.all.forEach(function (a) { var y = d.articles[a][0]; if (y) years[y] = (years[y] || 0) + 1; });
    renderYears(years);
    d.types.forEach(function (t, ti) { renderType(t, ti, counts); });
    remember();
  }

  // Rebuilding a list must not lose the keyboard focus of the box just ticked.
  function keepFocus(list, build) {
    var f = document.activeElement, value = f && list.contains(f) ? f.value : null;
    while (list.firstChild) list.removeChild(list.firstChild);
    build();
    if (value !== null) {
      var again = list.querySelector('input[value="' + value + '"]');
      if (again) again.focus();
    }
  }

  function item(type, value, name, count, checked, onChange) {
    var li = el("li", "facet__item"), label = el("label", "facet__label");
    var box = el("input");
    box.type = type;
    box.value = value;
    box.checked = checked;
    if (type === "radio") box.name = "facet-year";
    box.addEventListener("change", onChange);
    label.appendChild(box);
    label.appendChild(el("span", "facet__name", name));
    if (count !== null) label.appendChild(el("span", "count facet__count", String(count)));
    li.appendChild(label);
    return li;
  }

  function renderYears(years) {
    var list = els.facets.querySelector('[data-facet="year"] .facet__list');
    var ys = Object.keys(years).sort().reverse();
    els.facets.querySelector('[data-facet="year"]').hidden = ys.length === 0;
    keepFocus(list, function () {
      var pick = function (y) { return function () { sel.year = y; update(); }; };
      list.appendChild(item("radio", "", "Any year", null, !sel.year, pick(null)));
      ys.forEach(function (y) { list.appendChild(item("radio", y, y, years[y], sel.year === y, pick(y))); });
    });
  }

  function renderType(type, ti, counts) {
    var box = els.facets.querySelector('[data-facet="' + type + '"]');
    if (!box) return;
    var list = box.querySelector(".facet__list"), more = box.querySelector(".facet__more");
    var filter = fold(filters[type] || "").trim();
    var picked = sel.ents.filter(function (e) { return d.entities[e][0] === ti; });
    var rest = [];
    for (var e = 0; e < d.entities.length; e++) {
      if (d.entities[e][0] !== ti || counts[e] === 0 || picked.indexOf(e) !== -1) continue;
      if (filter && folded(e).indexOf(filter) === -1) continue;
      rest.push(e);
    }
    // Entities come most articles first overall; a stable sort keeps that among equal counts.
    rest.sort(function (a, b) { return counts[b] - counts[a]; });
    var cap = filter ? FOUND : TOP, listed = rest.slice(0, cap);
    box.hidden = picked.length + rest.length === 0 && !filter;
    keepFocus(list, function () {
      picked.concat(listed).forEach(function (e) {
        list.appendChild(item("checkbox", String(e), d.entities[e][2], counts[e], picked.indexOf(e) !== -1, function () {
          var i = sel.ents.indexOf(e);
          if (i === -1) sel.ents.push(e); else sel.ents.splice(i, 1);
          update();
        }));
      });
    });
    var hidden = rest.length - listed.length;
    more.textContent = hidden > 0 ? (filter ? hidden + " more match; type more letters." : hidden + " more; type to find them.") : filter && !rest.length ? "None left that match." : "";
  }

  function remember() {
    var p = new URLSearchParams();
    if (sel.year) p.append("year", sel.year);
    sel.ents.forEach(function (e) { p.append(d.types[d.entities[e][0]], d.entities[e][1]); });
    var q = p.toString(), url = location.pathname + (q ? "?" + q : "") + location.hash;
    // Other pages of the list open with the same choice.
    pageLinks.forEach(function (l) { l.a.href = l.href + (q ? "?" + q : ""); });
    document.querySelectorAll('link[rel="prev"], link[rel="next"]').forEach(function (l) {
      if (!l.hasAttribute("data-href")) l.setAttribute("data-href", l.getAttribute("href"));
      l.setAttribute("href", l.getAttribute("data-href") + (q ? "?" + q : ""));
    });
    if (q === location.search.slice(1)) return;
    try { history.replaceState(null, "", url); } catch (err) { /* refused on some file:// setups */ }
  }

  function fromAddress() {
    var p = new URLSearchParams(location.search), find = {};
    d.entities.forEach(function (e, i) { find[d.types[e[0]] + "/" + e[1]] = i; });
    d.types.forEach(function (t) {
      p.getAll(t).forEach(function (slug) {
        var i = find[t + "/" + slug];
        if (i !== undefined && sel.ents.indexOf(i) === -1) sel.ents.push(i);
      });
    });
    var y = p.get("year");
    if (y && d.articles.some(function (a) { return a[0] === y; })) sel.year = y;
  }

  function start() {
    els.facets = document.getElementById("facets");
    if (!els.facets || !d) return;
    els.shown = document.getElementById("facets-shown");
    els.clear = document.getElementById("facets-clear");
    els.none = document.getElementById("facets-none");
    noneText = els.none.textContent;
    var list = document.querySelector(".article-list[data-page-size]");
    if (list) {
      paging.first = +list.getAttribute("data-first");
      paging.size = +list.getAttribute("data-page-size") || Infinity;
      paging.here = Math.floor(paging.first / paging.size) + 1;
    }
    document.querySelectorAll(".list-pages a[data-page]").forEach(function (a) {
      pageLinks.push({ a: a, page: +a.getAttribute("data-page"), href: a.getAttribute("href"), count: a.querySelector(".list-pages__count") });
    });
    document.querySelectorAll(".card[data-doc]").forEach(function (c) { cards[+c.getAttribute("data-doc")] = c; });
    d.entities.forEach(function (_, i) { byEntity[i] = []; });
    d.articles.forEach(function (a, i) { a[1].forEach(function (e) { byEntity[e].push(i); }); });
    els.facets.querySelectorAll(".facet__filter").forEach(function (input) {
      var type = input.closest("[data-facet]").getAttribute("data-facet");
      input.addEventListener("input", function () { filters[type] = input.value; update(); });
    });
    els.clear.addEventListener("click", function () { sel = { year: null, ents: [] }; update(); });
    fromAddress();
    els.facets.hidden = false;
    // Open beside a wide list, or when the address already chose something.
    if (window.matchMedia("(min-width: 60em)").matches || sel.ents.length || sel.year) els.facets.open = true;
    update();
  }

  return { data: function (data) { d = data; start(); } };
})();
