// The buying path's small improvements; the cart and order pages work fully without it.
(function () {
  "use strict";

  // Cart: a changed quantity updates the line by itself, so the "Cập nhật" button hides.
  Array.prototype.forEach.call(document.querySelectorAll("[data-stepper]"), function (form) {
    var update = form.querySelector("[data-stepper-update]");
    var quantity = form.querySelector("input[name=quantity]");
    if (!update || !quantity) return;
    update.hidden = true;
    update.style.display = "none"; // CSSOM, not a style attribute: allowed by the CSP
    quantity.addEventListener("change", function () {
      if (form.requestSubmit) form.requestSubmit(update);
      else update.click();
    });
  });

  // Bank transfer details: a "Sao chép" button beside the account number, the amount and
  // the transfer note copies the value to paste into the bank app.
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (value) {
    var button = document.createElement("button");
    var label = value.getAttribute("data-copy-label") || "";
    var done = value.getAttribute("data-copy-done") || label;
    button.type = "button";
    button.className = "secondary copy-button";
    button.textContent = label;
    button.setAttribute("aria-label", label + " " + (value.getAttribute("data-copy-name") || ""));
    button.addEventListener("click", function () {
      var text = value.getAttribute("data-copy");
      var shown = function () {
        button.textContent = done;
        window.setTimeout(function () { button.textContent = label; }, 2000);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(shown, function () { fallback(text) && shown(); });
      } else if (fallback(text)) {
        shown();
      }
    });
    value.parentNode.appendChild(button);
  });

  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
    document.body.removeChild(area);
    return copied;
  }
})();
