// Province then ward: when the province changes, press the form's "choose province"
// button so the server answers with that province's wards. Without JavaScript the
// visitor presses the button; the page works the same.
(function () {
  "use strict";
  var groups = document.querySelectorAll("[data-place-fields]");
  Array.prototype.forEach.call(groups, function (group) {
    var button = group.querySelector("[data-choose-province]");
    var selects = group.querySelectorAll("select");
    var province = selects[0];
    if (button && province && button.form) {
      button.hidden = true;
      button.style.display = "none"; // CSSOM, not a style attribute: allowed by the CSP
      province.addEventListener("change", function () {
        if (button.form.requestSubmit) button.form.requestSubmit(button);
        else button.click();
      });
    }
    if (selects[1]) wardFilter(group, selects[1]);
  });

  // Vietnamese without its marks, for matching what people type ("phuong 1" finds
  // "Phường 1"). NFD leaves đ/Đ whole: map them by hand.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[đĐ]/g, "d").toLowerCase();
  }

  // A text box above a long ward list that narrows its options as one types; the select
  // stays the real field, so the form sends exactly what it sends without JavaScript.
  function wardFilter(group, select) {
    var options = Array.prototype.slice.call(select.options);
    if (options.length < 12) return;
    var label = document.createElement("label");
    var input = document.createElement("input");
    input.type = "search";
    input.id = select.id + "-filter";
    input.className = "ward-filter";
    input.autocomplete = "off";
    input.setAttribute("aria-controls", select.id);
    label.htmlFor = input.id;
    label.textContent = group.getAttribute("data-ward-filter-label") || "";
    var field = select.closest(".field") || select.parentNode;
    field.parentNode.insertBefore(label, field);
    field.parentNode.insertBefore(input, field);
    var keys = options.map(function (option) { return fold(option.text); });
    input.addEventListener("input", function () {
      var wanted = fold(input.value.trim());
      var chosen = select.value;
      while (select.options.length) select.remove(0);
      options.forEach(function (option, i) {
        if (option.value === "0" || option.value === chosen || keys[i].indexOf(wanted) !== -1) {
          select.add(option);
        }
      });
      select.value = chosen;
    });
  }
})();
