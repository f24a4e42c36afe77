/* Paper entry: live "show if" updates (asked from the server) and Enter = next field. */
(function () {
  "use strict";
  var form = document.getElementById("entry");
  if (!form) return;
  var url = form.getAttribute("data-visible-url");
  var conditional = JSON.parse(form.getAttribute("data-conditional") || "[]");
  var timer = null, seq = 0;
  form.setAttribute("data-pending", "0");

  function fields() {
    return Array.prototype.filter.call(
      form.querySelectorAll("input[type=text]"),
      function (el) { return !el.disabled && !el.closest("[hidden]"); }
    );
  }

  function update() {
    if (!conditional.length) return;
    var params = new URLSearchParams(new FormData(form));
    params.delete("csrfmiddlewaretoken");
    params.set("_visible", "1");
    var mine = ++seq;
    form.setAttribute("data-pending", "1");
    fetch(url + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (mine !== seq) return;
        var shown = {};
        data.visible.forEach(function (c) { shown[c] = true; });
        conditional.forEach(function (code) {
          var box = document.getElementById("q-" + code);
          if (!box) return;
          box.hidden = !shown[code];
          box.querySelectorAll("input").forEach(function (el) { el.disabled = !shown[code]; });
        });
        form.setAttribute("data-pending", "0");
      })
      .catch(function () { form.setAttribute("data-pending", "0"); });
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    form.setAttribute("data-pending", "1");
    timer = setTimeout(update, 80);
  });
  form.addEventListener("keydown", function (e) {
    if (e.key !== "Enter") return;
    var list = fields();
    var i = list.indexOf(e.target);
    if (i >= 0 && i < list.length - 1) {
      e.preventDefault();
      list[i + 1].focus();
    }
  });
  update();
})();
