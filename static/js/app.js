// Small progressive enhancements; every page works fully without this file.
(function () {
  "use strict";

  // Catalogue filters: apply as soon as a choice changes (the Apply button stays for
  // keyboard users and for browsers without JavaScript), leave empty fields out of
  // the URL so shared links stay short, and show the filters opened on wide screens.
  var form = document.querySelector(".filter-form");
  if (!form) return;
  var fields = form.querySelectorAll("select, input:not([type=hidden])");
  form.addEventListener("change", function (event) {
    if (event.target.tagName !== "SELECT") return;
    if (form.requestSubmit) form.requestSubmit();
    else form.submit();
  });
  form.addEventListener("submit", function () {
    fields.forEach(function (field) { field.disabled = field.value === ""; });
  });
  // Coming back with the Back button shows the page as it was left: re-enable fields.
  window.addEventListener("pageshow", function () {
    fields.forEach(function (field) { field.disabled = false; });
  });
  var details = form.closest("details");
  if (details && window.matchMedia("(min-width: 60em)").matches) details.open = true;
})();

// The open fair's countdown on the home page: the server wrote the time left; this keeps
// it current while the page stays open (the same sentences, from data attributes).
(function () {
  "use strict";
  var clocks = document.querySelectorAll("[data-countdown]");
  if (!clocks.length) return;
  function tick() {
    clocks.forEach(function (clock) {
      var left = Math.ceil((Date.parse(clock.getAttribute("datetime")) - Date.now()) / 60000);
      if (isNaN(left)) return;
      var d = Math.floor(left / 1440), h = Math.floor((left % 1440) / 60), m = left % 60;
      var text = left <= 0 ? clock.dataset.ended
        : d ? clock.dataset.days : h ? clock.dataset.hours : clock.dataset.minutes;
      clock.textContent = text.replace("{d}", d).replace("{h}", h).replace("{m}", m);
    });
  }
  tick();
  window.setInterval(tick, 30000);
})();


// The product gallery: without this file each small photo is a link to its large photo's
// anchor and the strip swipes by itself. Here the links scroll the strip only (the page
// stays where it is) and mark the photo in view.
(function () {
  "use strict";
  var track = document.querySelector(".gallery-track");
  var links = document.querySelectorAll("[data-gallery-link]");
  if (!track || !links.length) return;
  function mark(index) {
    links.forEach(function (link, n) {
      if (n === index) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    });
  }
  links.forEach(function (link, index) {
    link.addEventListener("click", function (event) {
      var slide = document.getElementById(link.hash.slice(1));
      if (!slide) return;
      event.preventDefault();
      track.scrollTo({ left: slide.offsetLeft - track.offsetLeft });
      mark(index);
    });
  });
  var pending;
  track.addEventListener("scroll", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      mark(Math.round(track.scrollLeft / track.clientWidth));
    }, 100);
  });
})();
