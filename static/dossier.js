/* Dossier — optional progressive enhancement. Every page works without it.
   Loads nothing; stores only the reader's highlight switches (localStorage).

   - Marks <html> with the class "js".
   - Remembers the highlight switches and the reading view from page to page.
   - Keyboard: on an article page, "n" / "p" open the next / previous article
     (the links marked rel="next" / rel="prev"); ignored while typing or with a
     modifier key held.
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
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    if (typing(e.target)) return;
    var rel = e.key === "n" ? "next" : e.key === "p" ? "prev" : null;
    if (!rel) return;
    var link = document.querySelector('a[rel~="' + rel + '"][href]');
    if (link) {
      e.preventDefault();
      window.location.href = link.href;
    }
  });
})();
