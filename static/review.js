/* Dossier review mode, for people checking the annotations.

   On an article page a reviewer can mark a highlighted mention as wrong (not an entity, the
   wrong type, the same as another entity) or select text the annotator missed and give it a
   type. Corrections are kept in localStorage under the archive's id (the panel's data-archive:
   pages opened from file:// share one origin, so one localStorage, whatever archive they
   belong to) and exported as an `entities.toml` fragment, made in the page and downloaded,
   which the next `dossier build` applies. Nothing is sent anywhere.

   The marked text is wherever the page marks it ([data-review-text]): the body, the
   standfirst in the header and the dateline among the source facts.

   On a place's page (#review-place) the reviewer can say the place is wrong: choose one of
   the other places of that name (a GeoNames id) or give a latitude and longitude. That
   becomes an [[entity]] table pinning the name (and the spellings the page lists) with
   `geonames = ID` or `lat`/`lon`. A location mention's menu on an article page links to it.

   In the Statements panel each statement has "Wrong speaker?": the reviewer names the person
   or organisation of the article who said it, or says nobody the archive knows. That becomes
   a [[speaker]] table (the article, the speaker's words, the statement's first words).

   The panel's controls, the button that opens it and those buttons are made here, not
   written into every article page (they were a seventh of its bytes, and do nothing without
   this script): an article's #review comes empty, and a page that has them already (a
   template of its own) keeps its. */
(function () {
  "use strict";
  var panel = document.getElementById("review");
  var areas = Array.prototype.slice.call(document.querySelectorAll("[data-review-text]"));
  var placeBox = document.getElementById("review-place");
  if (!panel || (!areas.length && !placeBox)) return;
  var toggle = document.getElementById("review-toggle") || makeToggle();
  if (!toggle) return;
  build();
  // A page made by templates without the attribute keeps the key all archives once shared.
  var archive = panel.getAttribute("data-archive") || "";
  var KEY = "dossier.review.v1" + (archive ? ":" + archive : "");
  var archiveTitle = (panel.getAttribute("data-archive-title") || "").replace(/[\r\n]+/g, " ");

  var menu = document.getElementById("review-menu");
  var target = document.getElementById("review-target");
  var addBox = document.getElementById("review-add");
  var addText = document.getElementById("review-add-text");
  var mergeName = document.getElementById("review-merge-name");
  var list = document.getElementById("review-list");
  var count = document.getElementById("review-count");
  var toml = document.getElementById("review-toml");
  var placeLink = document.getElementById("review-place-link");
  var latBox = document.getElementById("review-lat");
  var lonBox = document.getElementById("review-lon");
  var placeError = document.getElementById("review-place-error");
  var speakerBox = document.getElementById("review-speaker");
  var speakerName = document.getElementById("review-speaker-name");
  var speakerQuote = document.getElementById("review-speaker-quote");
  var speakerError = document.getElementById("review-speaker-error");
  var statement = null; // the "Wrong speaker?" button of the statement being corrected
  var current = null; // the mention element being corrected
  var selected = "";  // the text selected for "missed"

  /* What an article's review panel holds: the menu of a mention, the box of missed text, the
     box of a statement's speaker and the lists of names they offer. */
  function articlePanel() {
    return '<h2 id="review-title" class="panel__title">Review</h2>' +
      '<p class="panel__intro">Choose a highlighted name to correct it, or select text the annotator missed. Corrections are kept in this browser, across the pages of this archive, until you export them as an <code>entities.toml</code> fragment for the next build.</p>' +
      '<div class="review__box" id="review-menu" hidden role="group" aria-labelledby="review-target">' +
      '<p class="review__target" id="review-target"></p>' +
      '<p><button type="button" data-review="ignore">Not an entity</button></p>' +
      '<p class="review__row">Wrong type, it is ' + typeButtons("type") + '</p>' +
      '<p class="review__row"><label for="review-merge-name">Same as</label> <input id="review-merge-name" list="review-names" autocomplete="off"> <button type="button" data-review="merge">Merge</button></p>' +
      '<p class="review__place" id="review-place-link" hidden><a href="">Wrong place? Choose another on the place’s page</a></p>' +
      '<p><button type="button" data-review="cancel">Cancel</button></p></div>' +
      '<div class="review__box" id="review-add" hidden role="group" aria-labelledby="review-add-title">' +
      '<p class="review__target" id="review-add-title">Mark “<span id="review-add-text"></span>” as</p>' +
      '<p class="review__row">' + typeButtons("add") + ' <button type="button" data-review="cancel">Cancel</button></p></div>' +
      '<div class="review__box" id="review-speaker" hidden role="group" aria-labelledby="review-speaker-title">' +
      '<p class="review__target" id="review-speaker-title">Who said “<span id="review-speaker-quote"></span>”?</p>' +
      '<p class="review__row"><label for="review-speaker-name">Said by</label> <input id="review-speaker-name" list="review-speakers" autocomplete="off"> <button type="button" data-review="speaker">Set speaker</button></p>' +
      '<p class="review__row"><button type="button" data-review="nobody">Nobody the archive knows</button> <button type="button" data-review="cancel">Cancel</button></p>' +
      '<p class="review__error" id="review-speaker-error" hidden>Choose a person or organisation this article names.</p></div>' +
      '<datalist id="review-speakers"></datalist><datalist id="review-names"></datalist>';
  }

  // The list of corrections, its download and its fragment: on article and place pages.
  function listPanel() {
    return '<h3 class="review__subtitle">Corrections for archive «<span id="review-archive"></span>» <span class="count" id="review-count">0</span></h3>' +
      '<ol class="review__list" id="review-list"></ol>' +
      '<p class="review__row"><button type="button" id="review-export">Download entities.toml</button> <button type="button" id="review-clear">Clear all</button></p>' +
      '<label class="review__label" for="review-toml">Fragment to add to the archive\'s <code>entities.toml</code></label>' +
      '<textarea id="review-toml" class="review__toml" rows="8" readonly></textarea>';
  }

  /* An article page's "Review annotations" button, in the highlighting legend after the
     switches' note (before the key to the underlines). */
  function makeToggle() {
    var legend = document.querySelector(".legend");
    if (!legend || !panel.hasAttribute("data-article")) return null;
    var b = document.createElement("button");
    b.type = "button";
    b.className = "review-toggle js-only";
    b.id = "review-toggle";
    b.setAttribute("aria-pressed", "false");
    b.setAttribute("aria-controls", "review");
    b.textContent = "Review annotations";
    legend.insertBefore(b, legend.querySelector(".legend__key"));
    return b;
  }

  function typeButtons(action) {
    return [["person", "a person"], ["organisation", "an organisation"], ["location", "a place"]].map(function (t) {
      return '<button type="button" data-review="' + action + '" data-type="' + t[0] + '">' + t[1] + "</button>";
    }).join(" ");
  }

  /* Fills what the page left to this script: an empty article panel, the corrections list,
     and each statement's "Wrong speaker?" button. Names come from the page's "In this
     article" lists (ul[data-type]): the speakers are its people and organisations. */
  function build() {
    if (!panel.firstElementChild && areas.length) {
      panel.innerHTML = articlePanel();
      var speakers = document.getElementById("review-speakers");
      var names = document.getElementById("review-names");
      ["person", "organisation", "location"].forEach(function (t) {
        var links = document.querySelectorAll('.in-article__list[data-type="' + t + '"] a');
        Array.prototype.forEach.call(links, function (a) {
          if (t !== "location") speakers.appendChild(option(a.textContent));
          names.appendChild(option(a.textContent));
        });
      });
    }
    if (!document.getElementById("review-list")) {
      panel.insertAdjacentHTML("beforeend", listPanel());
      document.getElementById("review-archive").textContent = panel.getAttribute("data-archive-title") || "";
    }
    var article = panel.getAttribute("data-article");
    if (!article) return;
    var listed = document.querySelectorAll("#statements .statements-list > li");
    Array.prototype.forEach.call(listed, function (li) {
      if (li.querySelector("[data-review-speaker]")) return;
      var b = document.createElement("button");
      b.type = "button";
      b.className = "statements-list__fix review-only";
      b.setAttribute("data-review-speaker", "");
      b.setAttribute("data-article", article);
      b.setAttribute("data-anchor", (li.querySelector(".statements-list__text").getAttribute("href") || "").slice(1));
      var words = spokenBy(li);
      b.setAttribute("data-speaker", words.speaker);
      b.setAttribute("data-who", words.who);
      b.setAttribute("data-opening", li.hasAttribute("data-opening") ? li.getAttribute("data-opening") : opening(li.querySelector(".statements-list__text").textContent));
      b.textContent = "Wrong speaker?";
      li.appendChild(b);
    });
  }

  function option(value) {
    var o = document.createElement("option");
    o.value = value;
    return o;
  }

  /* Who said a listed statement, as article.html writes it: the entity's link, then its
     words in "(“…”)" when they differ from its name; or the words in “…” before the
     "unresolved" badge; or only the "unattributed" badge. An item whose entity came with no
     words says data-speaker="". */
  function spokenBy(li) {
    var who = li.querySelector(".statements-list__who");
    var link = who.querySelector("a");
    var words = "";
    if (link) {
      var own = who.querySelector(".muted");
      words = own ? own.textContent.replace(/^\(“/, "").replace(/”\)$/, "") : link.textContent;
    } else if (who.firstChild && who.firstChild.nodeType === 3) {
      words = who.firstChild.data.trim().replace(/^“/, "").replace(/”$/, "");
    }
    if (li.hasAttribute("data-speaker")) words = li.getAttribute("data-speaker");
    return { speaker: words, who: link ? link.textContent : "" };
  }

  /* The first words of a statement, as `opening` in src/render/statements.rs makes them: from
     the first letter or digit, eight words. The panel's text is the statement's words joined
     by single spaces; an item whose text was cut before them carries data-opening. */
  function opening(text) {
    return text.replace(/^[^\p{Alphabetic}\p{N}]+/u, "").split(" ").filter(Boolean).slice(0, 8).join(" ");
  }

  function load() {
    try {
      var v = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(v) ? v : [];
    } catch (e) {
      return [];
    }
  }
  function save(items) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(items));
    } catch (e) {
      /* Storage refused (private mode): corrections last as long as the page. */
    }
  }
  var items = load();

  // TOML basic strings: escape the backslash, the quote and control characters.
  function q(s) {
    return '"' + String(s).replace(/[\\"\u0000-\u001f\u007f]/g, function (c) {
      if (c === "\\") return "\\\\";
      if (c === '"') return '\\"';
      if (c === "\n") return "\\n";
      if (c === "\t") return "\\t";
      return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
    }) + '"';
  }

  /* The fragment: one `ignore` list, then one [[entity]] table per correction. Later
     corrections of the same text replace earlier ones. */
  function fragment(all) {
    var ignore = [];
    var tables = [];
    all.forEach(function (c) {
      var where = "# " + c.page + (c.at ? " (" + c.at + ")" : "");
      if (c.action === "ignore") {
        if (ignore.indexOf(c.text) === -1) ignore.push(c.text);
      } else if (c.action === "type") {
        var aliases = c.text !== c.name ? "\naliases = [" + q(c.text) + "]" : "";
        tables.push(where + "\n[[entity]]\nname = " + q(c.name) + "\ntype = " + q(c.type) + aliases);
      } else if (c.action === "merge") {
        var forms = [c.text];
        if (c.name && c.name !== c.text && c.name !== c.into) forms.push(c.name);
        tables.push(where + "\n[[entity]]\nname = " + q(c.into) + "\naliases = [" + forms.map(q).join(", ") + "]");
      } else if (c.action === "add") {
        tables.push(where + "\n[[entity]]\nname = " + q(c.text) + "\ntype = " + q(c.type));
      } else if (c.action === "place") {
        var aka = c.aliases && c.aliases.length ? "\naliases = [" + c.aliases.map(q).join(", ") + "]" : "";
        // Numbers written from what was stored, checked again: the storage is the browser's.
        var pin = /^[0-9]+$/.test(String(c.geonames || "")) ? "\ngeonames = " + c.geonames
          : isFinite(c.lat) && isFinite(c.lon) ? "\nlat = " + coord(Number(c.lat)) + "\nlon = " + coord(Number(c.lon)) : null;
        if (pin === null) return;
        tables.push(where + (c.label ? "\n# " + String(c.label).replace(/[\u0000-\u001f\u007f]+/g, " ") : "") + "\n[[entity]]\nname = " + q(c.text) + "\ntype = \"location\"" + aka + pin);
      } else if (c.action === "speaker") {
        // Without the speaker's words the table matches the statement by its opening alone.
        tables.push(where + "\n[[speaker]]\narticle = " + q(c.article) + (c.speaker ? "\nspeaker = " + q(c.speaker) : "") + "\nquote = " + q(c.text) + "\nentity = " + q(c.into));
      }
    });
    var out = "# Corrections from Dossier's review mode" + (archiveTitle ? " for archive «" + archiveTitle + "»" : "") + ". Add to the archive's entities.toml.\n";
    if (ignore.length) out += "ignore = [" + ignore.map(q).join(", ") + "]\n";
    if (tables.length) out += "\n" + tables.join("\n\n") + "\n";
    return out;
  }

  function describe(c) {
    if (c.action === "ignore") return "“" + c.text + "” is not an entity";
    if (c.action === "type") return "“" + c.text + "” is a " + c.type;
    if (c.action === "merge") return "“" + c.text + "” is the same as " + c.into;
    if (c.action === "speaker") return "“" + c.text + "…” was said by " + (c.into || "nobody the archive knows");
    if (c.action === "place") return "“" + c.text + "” is " + (c.geonames ? c.label : "at " + c.lat + ", " + c.lon);
    return "“" + c.text + "” was missed: a " + c.type;
  }

  function render() {
    while (list.firstChild) list.removeChild(list.firstChild);
    items.forEach(function (c, i) {
      var li = document.createElement("li");
      li.className = "review__item";
      var text = document.createElement("span");
      text.textContent = describe(c) + " ";
      var where = document.createElement("span");
      where.className = "review__where";
      where.textContent = c.page;
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "review__remove";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", "Remove: " + describe(c));
      remove.addEventListener("click", function () {
        items.splice(i, 1);
        save(items);
        render();
      });
      li.appendChild(text);
      li.appendChild(where);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(remove);
      list.appendChild(li);
    });
    count.textContent = String(items.length);
    toml.value = items.length ? fragment(items) : "";
    document.getElementById("review-export").disabled = items.length === 0;
    document.getElementById("review-clear").disabled = items.length === 0;
    markCorrected();
  }

  // Mentions already corrected on this page are struck through in review mode.
  function markCorrected() {
    var here = page();
    areas.forEach(function (area) {
      var mentions = area.querySelectorAll(".mention[data-entity]");
      for (var i = 0; i < mentions.length; i++) {
        var m = mentions[i];
        var done = items.some(function (c) { return c.page === here && c.at === m.id; });
        m.classList.toggle("mention--corrected", done);
      }
    });
  }

  function page() {
    var parts = window.location.pathname.split("/");
    return parts.slice(-2).join("/");
  }

  function add(c) {
    c.page = page();
    items = items.filter(function (o) { return !(o.text === c.text && o.action === c.action && o.page === c.page && o.at === c.at); });
    items.push(c);
    save(items);
    render();
    close();
  }

  function close() {
    if (menu) menu.hidden = true;
    if (speakerBox) speakerBox.hidden = true;
    statement = null;
    if (addBox) addBox.hidden = true;
    if (current) current.focus();
    current = null;
    selected = "";
  }

  function on() {
    return toggle.getAttribute("aria-pressed") === "true";
  }

  function setMode(active) {
    toggle.setAttribute("aria-pressed", active ? "true" : "false");
    panel.hidden = !active;
    document.documentElement.classList.toggle("reviewing", active);
    try {
      window.localStorage.setItem(KEY + ".on", active ? "1" : "");
    } catch (e) { /* ignore */ }
    if (!active) close();
  }

  toggle.addEventListener("click", function () {
    setMode(!on());
    if (on()) panel.scrollIntoView({ block: "nearest" });
  });

  function onClick(e) {
    if (!on()) return;
    var m = e.target.closest ? e.target.closest(".mention[data-entity]") : null;
    if (!m) return;
    e.preventDefault();
    current = m;
    addBox.hidden = true;
    target.textContent = "“" + m.textContent + "”, marked as " + (m.getAttribute("title") || "");
    mergeName.value = "";
    // A place can be wrong where the name is right: that is chosen on the place's page.
    if (placeLink) {
      var href = m.getAttribute("href");
      var isPlace = m.classList.contains("mention--location") && !!href;
      placeLink.hidden = !isPlace;
      if (isPlace) placeLink.querySelector("a").setAttribute("href", href);
    }
    menu.hidden = false;
    menu.querySelector("button").focus();
  }

  function onMouseUp() {
    if (!on()) return;
    var sel = window.getSelection ? window.getSelection() : null;
    var text = sel ? sel.toString().replace(/\s+/g, " ").trim() : "";
    if (!text || text.length > 120) return;
    selected = text;
    menu.hidden = true;
    addText.textContent = text;
    addBox.hidden = false;
  }

  areas.forEach(function (area) {
    area.addEventListener("click", onClick);
    area.addEventListener("mouseup", onMouseUp);
  });

  // The entity a mention names, from its title ("Name · Type", then " (uncertain)"): the mark
  // carries no copy of the name of its own.
  function entityName(m) {
    var title = m.getAttribute("title") || "";
    var i = title.lastIndexOf(" · ");
    return i > 0 ? title.slice(0, i) : m.textContent;
  }

  panel.addEventListener("click", function (e) {
    var b = e.target.closest ? e.target.closest("button[data-review]") : null;
    if (!b) return;
    var action = b.getAttribute("data-review");
    if (action === "cancel") return close();
    if (action === "place" || action === "point") return pinPlace(b, action);
    if (action === "speaker" || action === "nobody") return fixSpeaker(action);
    if (action === "add") {
      if (selected) add({ action: "add", text: selected, type: b.getAttribute("data-type") });
      return;
    }
    if (!current) return;
    var c = { action: action, text: current.textContent, name: entityName(current), entity: current.getAttribute("data-entity"), at: current.id };
    if (action === "type") c.type = b.getAttribute("data-type");
    if (action === "merge") {
      c.into = mergeName.value.trim();
      if (!c.into) {
        mergeName.focus();
        return;
      }
    }
    add(c);
  });

  // "Wrong speaker?" on a statement: the box in the review panel asks who said it.
  document.addEventListener("click", function (e) {
    var b = e.target.closest ? e.target.closest("button[data-review-speaker]") : null;
    if (!b || !on() || !speakerBox) return;
    close();
    statement = b;
    speakerQuote.textContent = b.getAttribute("data-opening") + "…";
    speakerName.value = b.getAttribute("data-who") || "";
    speakerName.setAttribute("aria-invalid", "false");
    speakerError.hidden = true;
    speakerBox.hidden = false;
    speakerBox.scrollIntoView({ block: "nearest" });
    speakerName.focus();
  });

  /* The speaker must be a person or organisation the article names (the build gives the
     statement to that entity's mention nearest before it); "nobody" unresolves it. */
  function fixSpeaker(action) {
    if (!statement) return;
    var who = action === "nobody" ? "" : speakerName.value.trim();
    if (action === "speaker") {
      var known = Array.prototype.some.call(document.querySelectorAll("#review-speakers option"), function (o) {
        return o.value === who;
      });
      speakerError.hidden = known;
      speakerName.setAttribute("aria-invalid", known ? "false" : "true");
      if (!known) {
        speakerName.focus();
        return;
      }
    }
    var b = statement;
    add({ action: "speaker", text: b.getAttribute("data-opening"), article: b.getAttribute("data-article"), speaker: b.getAttribute("data-speaker") || "", into: who, at: b.getAttribute("data-anchor") });
    b.focus();
  }

  /* A TOML float: a whole number keeps a ".0" (a bare integer is not a float to every
     reader), and no more digits than a place needs. */
  function coord(v) {
    var s = String(Math.round(v * 1e6) / 1e6);
    return /[.e]/.test(s) ? s : s + ".0";
  }

  // "Wrong place" on a place's page: one of the other places of the name, or a point.
  function pinPlace(b, action) {
    var name = placeBox.getAttribute("data-name") || "";
    var aliases = Array.prototype.map.call(placeBox.querySelectorAll("[data-alias]"), function (e) {
      return e.getAttribute("data-alias");
    }).filter(function (a) { return a && a !== name; });
    var c = { action: "place", text: name, aliases: aliases };
    if (action === "place") {
      c.geonames = b.getAttribute("data-geonames");
      c.label = b.getAttribute("data-label") || b.textContent;
      if (!/^[0-9]+$/.test(c.geonames || "")) return;
    } else {
      var lat = parseFloat((latBox.value || "").replace(",", "."));
      var lon = parseFloat((lonBox.value || "").replace(",", "."));
      var ok = isFinite(lat) && isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
      placeError.hidden = ok;
      latBox.setAttribute("aria-invalid", ok ? "false" : "true");
      lonBox.setAttribute("aria-invalid", ok ? "false" : "true");
      if (!ok) {
        latBox.focus();
        return;
      }
      c.lat = coord(lat);
      c.lon = coord(lon);
    }
    add(c);
    b.focus();
  }

  document.getElementById("review-clear").addEventListener("click", function () {
    items = [];
    save(items);
    render();
  });

  // A download made in the page: works from file:// with no server.
  document.getElementById("review-export").addEventListener("click", function () {
    var blob = new Blob([fragment(items)], { type: "application/toml" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "entities.toml";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () {
      URL.revokeObjectURL(a.href);
      a.remove();
    }, 0);
  });

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && ((menu && (!menu.hidden || !addBox.hidden)) || (speakerBox && !speakerBox.hidden))) close();
  });

  // Other pages' corrections show up when this tab comes back.
  window.addEventListener("storage", function (e) {
    if (e.key === KEY) {
      items = load();
      render();
    }
  });

  render();
  var stored = "";
  try { stored = window.localStorage.getItem(KEY + ".on") || ""; } catch (e) { /* ignore */ }
  setMode(stored === "1");
})();
