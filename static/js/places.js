// Province then ward: when the province changes, press the form's "choose province"
// button so the server answers with that province's wards. Without JavaScript the
// visitor presses the button; the page works the same.
(function () {
  "use strict";
  var groups = document.querySelectorAll("[data-place-fields]");
  Array.prototype.forEach.call(groups, function (group) {
    var button = group.querySelector("[data-choose-province]");
    var province = group.querySelector("select");
    if (!button || !province || !button.form) return;
    button.hidden = true;
    button.style.display = "none"; // CSSOM, not a style attribute: allowed by the CSP
    province.addEventListener("change", function () {
      if (button.form.requestSubmit) button.form.requestSubmit(button);
      else button.click();
    });
  });
})();
