/* The keeper's forms: a second tap on a slow network does not post twice (the server also refuses
   a replayed form token), and the receive form can add and remove delivery lines.
   Everything works without this script: it only makes the pages quicker to use. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) return;  // another handler kept the form from posting
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.setAttribute("aria-busy", "true"); b.classList.add("busy"); });
    });
  });

  // Count sheet: a scanned batch that is on the sheet jumps to its box instead of posting at once.
  var scanCount = document.getElementById("scan-count");
  if (scanCount) {
    scanCount.addEventListener("submit", function (event) {
      var code = scanCount.querySelector("[name=code]").value.trim().toUpperCase().split("/").pop();
      var counted = scanCount.querySelector("[name=counted]").value.trim();
      var row = code && document.querySelector("tr[data-code='" + code.replace(/'/g, "") + "']");
      if (row && !counted) {
        event.preventDefault();
        var input = row.querySelector("input.count-input");
        row.scrollIntoView({ block: "center" });
        if (input) { input.focus(); input.select(); }
        scanCount.querySelector("[name=code]").value = "";
      }
    }, true);
  }

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
    // With the add button working, spare blank rows only make the page long on a phone.
    lines.querySelectorAll("fieldset.line").forEach(function (set, index) {
      var filled = Array.prototype.some.call(set.querySelectorAll("input, select"), function (el) { return el.value; });
      if (index > 0 && !filled) set.remove();
    });
    renumber();
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
