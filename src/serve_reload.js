/* Added to pages by `dossier serve` only (never written into the site): reloads the page when
   a new build is ready, and shows the error of a failed build over the page. */
(function () {
  "use strict";
  var seen = null;
  var banner = null;

  function show(error) {
    if (!error) {
      if (banner) banner.remove();
      banner = null;
      return;
    }
    if (!banner) {
      banner = document.createElement("div");
      banner.setAttribute("role", "alert");
      banner.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:9999;max-height:40vh;overflow:auto;margin:0;padding:0.75rem 1rem;background:#7a1212;color:#fff;font:14px/1.4 ui-monospace,monospace;white-space:pre-wrap";
      document.body.appendChild(banner);
    }
    banner.textContent = "Build failed; still showing the previous site.\n\n" + error;
  }

  function poll() {
    fetch("/__dossier/status", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (seen === null) seen = s.build;
        if (s.build !== seen) {
          window.location.reload();
          return;
        }
        show(s.error);
        setTimeout(poll, 400);
      })
      .catch(function () { setTimeout(poll, 1500); });
  }
  poll();
})();
