/* Digest page: live character counts and copy buttons. The page works without this file. */
(function () {
  "use strict";
  var SEPARATOR = "\n\n— — —\n\n";
  function clean(s) { return (s || "").replace(/\r\n?/g, "\n").trim(); }
  function len(s) { return Array.from(s).length; } /* code points, as the server counts */

  function show(out, n, limit) {
    out.querySelector(".n").textContent = n;
    out.classList.toggle("over", n > limit);
  }

  var counters = document.querySelectorAll("[data-count-for]");
  counters.forEach(function (out) {
    var field = document.getElementById(out.getAttribute("data-count-for"));
    if (!field) return;
    var limit = parseInt(out.getAttribute("data-limit"), 10);
    var update = function () { show(out, len(clean(field.value)), limit); };
    field.addEventListener("input", update);
    update();
  });

  var channel = document.getElementById("count-channel");
  if (channel) {
    var ky = document.getElementById("id_text_ky");
    var ru = document.getElementById("id_text_ru");
    var limit = parseInt(channel.getAttribute("data-channel-limit"), 10);
    var update = function () {
      var a = clean(ky && ky.value), b = clean(ru && ru.value);
      var choice = document.querySelector("input[name=channel_language]:checked");
      var mode = choice ? choice.value : "both";
      var text = mode === "ky" ? (a || b) : mode === "ru" ? (b || a) : (a && b ? a + SEPARATOR + b : a || b);
      show(channel, len(text), limit);
    };
    [ky, ru].forEach(function (el) { if (el) el.addEventListener("input", update); });
    document.querySelectorAll("input[name=channel_language]").forEach(function (el) {
      el.addEventListener("change", update);
    });
    update();
  }

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () {
        button.textContent = button.getAttribute("data-done") || label;
        setTimeout(function () { button.textContent = label; }, 2500);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(source.value).then(done, function () {
          source.select();
        });
      } else {
        source.focus();
        source.select();
        try { if (document.execCommand("copy")) done(); } catch (e) { /* the text stays selected */ }
      }
    });
  });
})();
