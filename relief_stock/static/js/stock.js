/* The keeper's forms: a second tap on a slow network does not post twice (the server also refuses
   a replayed form token), and the receive form can add and remove delivery lines.
   Everything works without this script: it only makes the pages quicker to use. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.setAttribute("aria-busy", "true"); b.classList.add("busy"); });
    });
  });

  var lines = document.getElementById("receive-lines");
  if (!lines) return;
  var template = document.getElementById("line-template");
  var addButton = document.getElementById("add-line");

  function renumber() {
    lines.querySelectorAll("fieldset.line").forEach(function (set, index) {
      set.querySelector("legend .n").textContent = index + 1;
      set.querySelectorAll("[name^='lines-']").forEach(function (input) {
        input.name = input.name.replace(/^lines-\d+-/, "lines-" + index + "-");
      });
    });
  }
  function wireRemove(set) {
    var button = set.querySelector("button.remove-line");
    if (button) button.addEventListener("click", function () {
      if (lines.querySelectorAll("fieldset.line").length > 1) { set.remove(); renumber(); }
    });
  }
  lines.querySelectorAll("fieldset.line").forEach(wireRemove);
  if (template && addButton) {
    addButton.hidden = false;
    addButton.addEventListener("click", function () {
      var set = template.content.firstElementChild.cloneNode(true);
      lines.appendChild(set);
      wireRemove(set);
      renumber();
      var first = set.querySelector("input");
      if (first) first.focus();
    });
  }
  var source = document.getElementById("f-source_kind");
  function showSource() {
    document.querySelectorAll("[data-source]").forEach(function (el) {
      el.hidden = source && el.dataset.source.split(" ").indexOf(source.value) < 0;
    });
  }
  if (source) { source.addEventListener("change", showSource); showSource(); }
})();
