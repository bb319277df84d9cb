/* Dossier — optional progressive enhancement. Every page works without it.
   Loads nothing, stores nothing.

   - Marks <html> with the class "js".
   - Keyboard: on an article page, "n" / "p" open the next / previous article
     (the links marked rel="next" / rel="prev"); ignored while typing or with a
     modifier key held.
*/
(function () {
  "use strict";
  var doc = document.documentElement;
  doc.className += (doc.className ? " " : "") + "js";

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
