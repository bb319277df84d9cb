/* Dossier — optional progressive enhancement. Every page works without it.
   Loads nothing; stores only the reader's highlight switches (localStorage).

   - Marks <html> with the class "js".
   - Remembers the highlight switches and the reading view from page to page, and says so
     under them (a note that is true only with this script, so not in the page).
   - Keyboard: on an article page, "n" / "p" open the next / previous article
     (the links marked rel="next" / rel="prev"); "/" focuses the search box on
     any page. Ignored while typing or with a modifier key held.
   - Arriving from search (an article URL ending in #q=words&e=entity-ids):
     marks the query's words in the text and scrolls to the first mention of a
     matching entity, or else to the first marked word.
*/
(function () {
  "use strict";
  var doc = document.documentElement;
  doc.className += (doc.className ? " " : "") + "js";

  var SWITCHES = "dossier.switches.v1";
  function loadSwitches() {
    try {
      return JSON.parse(window.localStorage.getItem(SWITCHES) || "{}") || {};
    } catch (e) {
      return {};
    }
  }
  var remembered = loadSwitches();
  var boxes = document.querySelectorAll("input.switch");
  for (var i = 0; i < boxes.length; i++) {
    var box = boxes[i];
    if (Object.prototype.hasOwnProperty.call(remembered, box.id)) box.checked = !!remembered[box.id];
    box.addEventListener("change", function (e) {
      var now = loadSwitches();
      now[e.target.id] = e.target.checked;
      try {
        window.localStorage.setItem(SWITCHES, JSON.stringify(now));
      } catch (err) {
        /* Storage refused: the switch still works on this page. */
      }
    });
  }

  var legendItems = document.querySelector(".legend .legend__items");
  if (legendItems && boxes.length) {
    var note = document.createElement("p");
    note.className = "legend__remember";
    note.textContent = "Switches are remembered on every page.";
    legendItems.parentNode.insertBefore(note, legendItems.nextSibling);
  }

  function typing(el) {
    if (!el) return false;
    if (el.isContentEditable) return true;
    var tag = el.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    if (tag === "INPUT") {
      var t = (el.getAttribute("type") || "text").toLowerCase();
      return t !== "checkbox" && t !== "radio" && t !== "button" && t !== "submit" && t !== "reset";
    }
    return false;
  }

  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    if (typing(e.target)) return;
    // "/" needs Shift on some keyboard layouts, so Shift is allowed for it alone.
    if (e.key === "/") {
      var box = document.getElementById("search-q") || document.getElementById("site-search-q");
      if (box) {
        e.preventDefault();
        box.focus();
        box.select();
      }
      return;
    }
    if (e.shiftKey) return;
    var rel = e.key === "n" ? "next" : e.key === "p" ? "prev" : null;
    if (!rel) return;
    var link = document.querySelector('a[rel~="' + rel + '"][href]');
    if (link) {
      e.preventDefault();
      window.location.href = link.href;
    }
  });

  /* Landing from search. Words are folded as search.rs and search.js fold them
     (NFKD, marks dropped, lower case); the last word also matches as a prefix. */
  function fold(s) { return s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase(); }

  function landing() {
    var reader = document.querySelector(".reader");
    var m = /^#q=([^&]*)(?:&e=(.*))?$/.exec(window.location.hash);
    if (!reader || !m) return;
    var words, ids;
    try {
      words = fold(decodeURIComponent(m[1])).split(/[^\p{Alphabetic}\p{N}]+/u).filter(Boolean);
      ids = m[2] ? decodeURIComponent(m[2]).split(",") : [];
    } catch (err) {
      return;  // a hand-edited hash with a broken %-escape
    }
    if (!words.length) return;
    var last = words[words.length - 1];
    var match = function (tok) { return words.indexOf(tok) !== -1 || (last.length >= 2 && tok.indexOf(last) === 0); };

    var title = reader.querySelector(".reader__title"), inTitle = [], inText = [];
    if (title) markWords(title, match, inTitle);
    [reader.querySelector(".standfirst"), document.getElementById("article-body")].forEach(function (el) {
      if (el) markWords(el, match, inText);
    });
    // The entity's first mention is the best landing; a headline-only match lands on the headline.
    var target = null;
    reader.querySelectorAll(".mention[data-entity]").forEach(function (el) {
      if (!target && ids.indexOf(el.getAttribute("data-entity")) !== -1) target = el;
    });
    target = target || inText[0] || inTitle[0];
    if (!target) return;
    target.classList.add("search-target");
    target.scrollIntoView({ block: "center" });
  }

  // Wraps each word of el's text that matches in <mark class="search-hit">.
  function markWords(el, match, out) {
    var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), nodes = [], n;
    while ((n = walker.nextNode())) nodes.push(n);
    nodes.forEach(function (node) {
      var text = node.nodeValue, re = /[\p{Alphabetic}\p{N}\p{M}]+/gu, w, found = [];
      while ((w = re.exec(text))) {
        if (fold(w[0]).split(/[^\p{Alphabetic}\p{N}]+/u).some(match)) found.push([w.index, w.index + w[0].length]);
      }
      // From the end, so that earlier offsets stay valid while the node is split.
      var made = [];
      for (var i = found.length - 1; i >= 0; i--) {
        var hit = node.splitText(found[i][0]);
        hit.splitText(found[i][1] - found[i][0]);
        var mark = document.createElement("mark");
        mark.className = "search-hit";
        hit.parentNode.replaceChild(mark, hit);
        mark.appendChild(hit);
        made.unshift(mark);
      }
      out.push.apply(out, made);
    });
  }

  landing();
})();
