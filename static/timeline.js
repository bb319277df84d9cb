/* Dossier timeline filter. The page lists every dated passage without JavaScript; this
   narrows it to the passages whose paragraph names one entity. The choice comes from the
   page address (timeline.html?entity=location/raqqa), so entity pages can link to it and it
   works from file:// with nothing loaded. */
(function () {
  "use strict";
  var form = document.getElementById("timeline-filter");
  if (!form) return;
  var select = document.getElementById("timeline-entity");
  var status = document.getElementById("timeline-status");
  var none = document.getElementById("timeline-none");
  var events = document.querySelectorAll(".tl-event");
  var groups = document.querySelectorAll(".tl-group");

  function apply(id) {
    var shown = 0;
    for (var i = 0; i < events.length; i++) {
      var ids = (events[i].getAttribute("data-entities") || "").split(" ");
      var on = !id || ids.indexOf(id) !== -1;
      events[i].hidden = !on;
      if (on) shown++;
    }
    for (var j = 0; j < groups.length; j++) {
      groups[j].hidden = !groups[j].querySelector(".tl-event:not([hidden])");
    }
    if (none) none.hidden = shown > 0;
    var option = select.options[select.selectedIndex];
    status.textContent = id ? shown + " of " + events.length + " dated passages name " + option.text.replace(/ \(\d+\)$/, "") + "." : "";
  }

  function fromAddress() {
    var m = /[?&]entity=([^&#]*)/.exec(window.location.search);
    return m ? decodeURIComponent(m[1].replace(/\+/g, " ")) : "";
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
