/* Dossier timeline filter. A timeline page lists its dated passages without JavaScript; this
   narrows it to the passages whose paragraph names one entity. The choice comes from the
   page address (timeline-3.html?entity=location/raqqa), so entity pages can link to it and it
   works from file:// with nothing loaded. While filtering, the pager's earlier and later links
   go to the nearest pages that name the entity (the option's data-before / data-after), and
   carry the filter there. "Only statements" (?statements=1) keeps the passages whose date is
   part of a statement (data-statement); it narrows this page only. */
(function () {
  "use strict";
  var form = document.getElementById("timeline-filter");
  if (!form) return;
  var select = document.getElementById("timeline-entity");
  var status = document.getElementById("timeline-status");
  var none = document.getElementById("timeline-none");
  var events = document.querySelectorAll(".tl-event");
  var groups = document.querySelectorAll(".tl-group");
  var pager = [document.getElementById("timeline-prev"), document.getElementById("timeline-next")];
  for (var k = 0; k < pager.length; k++) {
    if (pager[k]) pager[k].setAttribute("data-href", pager[k].getAttribute("href"));
  }

  /* Page n (from 1) of the timeline, beside this one. */
  function pageFile(n) {
    return n === 1 ? "timeline.html" : "timeline-" + n + ".html";
  }

  function steer(option, id) {
    var to = [option && option.getAttribute("data-before"), option && option.getAttribute("data-after")];
    for (var i = 0; i < pager.length; i++) {
      var link = pager[i];
      if (!link) continue;
      var title = link.querySelector(".pager__title");
      var date = link.querySelector(".pager__date");
      if (!link.hasAttribute("data-title")) {
        link.setAttribute("data-title", title.textContent);
        link.setAttribute("data-date", date.textContent);
      }
      if (!id) {
        link.setAttribute("href", link.getAttribute("data-href"));
        link.hidden = false;
        title.textContent = link.getAttribute("data-title");
        date.textContent = link.getAttribute("data-date");
      } else if (to[i]) {
        link.setAttribute("href", pageFile(Number(to[i])) + "?entity=" + encodeURIComponent(id));
        link.hidden = false;
        title.textContent = "Passages naming " + option.text.replace(/ \([^)]*\)$/, "");
        date.textContent = "page " + to[i];
      } else {
        link.hidden = true;
      }
    }
  }

  var said = document.getElementById("timeline-statements");
  function apply(id) {
    var shown = 0, only = said && said.checked;
    for (var i = 0; i < events.length; i++) {
      var ids = (events[i].getAttribute("data-entities") || "").split(" ");
      var on = (!id || ids.indexOf(id) !== -1) && (!only || events[i].hasAttribute("data-statement"));
      events[i].hidden = !on;
      if (on) shown++;
    }
    for (var j = 0; j < groups.length; j++) {
      groups[j].hidden = !groups[j].querySelector(".tl-event:not([hidden])");
    }
    if (none) none.hidden = shown > 0;
    var option = select.options[select.selectedIndex];
    var what = only ? " statements" : " dated passages";
    status.textContent = id ? shown + " of " + events.length + what + " on this page name " + option.text.replace(/ \([^)]*\)$/, "") + "." : only ? shown + " of " + events.length + " dated passages on this page are statements." : "";
    steer(option, id);
  }

  function fromAddress() {
    var m = /[?&]entity=([^&#]*)/.exec(window.location.search);
    return m ? decodeURIComponent(m[1].replace(/\+/g, " ")) : "";
  }

  if (said) {
    said.checked = /[?&]statements=1/.test(window.location.search);
    said.addEventListener("change", function () { apply(select.value); });
  }
  var wanted = fromAddress();
  if (wanted) {
    select.value = wanted;
    if (select.value !== wanted) select.value = "";
  }
  apply(select.value);
  select.addEventListener("change", function () {
    apply(select.value);
    try {
      history.replaceState(null, "", select.value ? "?entity=" + encodeURIComponent(select.value) : window.location.pathname);
    } catch (e) {
      /* Some browsers refuse to change a file:// address; the filter still applies. */
    }
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    apply(select.value);
  });
})();
