/* Paper entry: "show if" conditions evaluated as the values are typed, and Enter = next field.
   The rules (question types, numbered option codes, parsed conditions) come from the server in
   #entry-rules and are evaluated with the same semantics as jamaat/surveys/conditions.py, so a
   question appears or disappears before Tab moves on. Without JavaScript every question is shown
   and the server drops answers to hidden ones. */
(function () {
  "use strict";
  var form = document.getElementById("entry");
  var rulesEl = document.getElementById("entry-rules");
  if (!form || !rulesEl) return;
  var rules = JSON.parse(rulesEl.textContent);

  function num(v) {
    if (typeof v === "number") return v;
    if (typeof v === "string" && v.trim() !== "" && !isNaN(Number(v.trim()))) return Number(v.trim());
    return null;
  }
  function text(v) {
    if (v === null || v === undefined) return "";
    return String(v);
  }
  function equal(a, b) {
    if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a) === JSON.stringify(b);
    var na = num(a), nb = num(b);
    if (na !== null && nb !== null) return na === nb;
    return text(a) === text(b);
  }
  function answered(v) {
    if (v === null || v === undefined || v === false) return false;
    if (typeof v === "string" || Array.isArray(v)) return v.length > 0;
    if (typeof v === "object") return Object.keys(v).length > 0;
    return true;
  }
  function value(node, values) {
    if ("var" in node) return values[node["var"]];
    if ("lit" in node) return node.lit;
    return truth(node, values);
  }
  function truth(node, values) {
    if ("bool" in node) {
      return node.bool === "and"
        ? truth(node.l, values) && truth(node.r, values)
        : truth(node.l, values) || truth(node.r, values);
    }
    if ("not" in node) return !truth(node["not"], values);
    if ("in" in node) {
      var needle = text(value(node["in"], values)), hay = value(node.hay, values);
      if (Array.isArray(hay)) return hay.map(text).indexOf(needle) >= 0;
      return hay !== null && hay !== undefined && text(hay) === needle;
    }
    if ("cmp" in node) {
      var a = value(node.l, values), b = value(node.r, values);
      if (node.cmp === "==") return equal(a, b);
      if (node.cmp === "!=") return !equal(a, b);
      var x = num(a), y = num(b);
      if (x === null || y === null) return false;
      return { "<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y }[node.cmp];
    }
    return answered(value(node, values));
  }
  function typed(rule) {
    var el = form.elements[rule.code];
    if (rule.type === "matrix") {
      var out = {};
      rule.rows.forEach(function (r) {
        var n = num((form.elements[rule.code + "__" + r] || {}).value || "");
        if (n !== null) out[r] = n;
      });
      return answered(out) ? out : null;
    }
    var raw = el ? el.value.trim() : "";
    if (!raw) return null;
    if (rule.codes.length) {
      var parts = raw.split(/[\s,;.+]+/).filter(Boolean), codes = [];
      for (var i = 0; i < parts.length; i++) {
        var n = /^\d+$/.test(parts[i]) ? Number(parts[i]) : 0;
        if (n < 1 || n > rule.codes.length) return null;
        if (codes.indexOf(rule.codes[n - 1]) < 0) codes.push(rule.codes[n - 1]);
      }
      if (rule.type === "multiple") return codes;
      return codes.length === 1 ? codes[0] : null;
    }
    if (rule.type === "rating" || rule.type === "number") return num(raw.replace(",", "."));
    return raw;
  }
  function update() {
    var values = {};
    rules.forEach(function (rule) {
      var shown = !rule.show_if || truth(rule.show_if, values);
      var box = document.getElementById("q-" + rule.code);
      if (box && rule.show_if) {
        box.hidden = !shown;
        box.querySelectorAll("input").forEach(function (el) { el.disabled = !shown; });
      }
      if (shown) {
        var v = typed(rule);
        if (v !== null) values[rule.code] = v;
      }
    });
  }
  function fields() {
    return Array.prototype.filter.call(form.querySelectorAll("input[type=text]"), function (el) {
      return !el.disabled && !el.closest("[hidden]");
    });
  }
  form.addEventListener("input", update);
  form.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || e.target.tagName !== "INPUT") return;
    var list = fields(), i = list.indexOf(e.target);
    if (i >= 0 && i < list.length - 1) {
      e.preventDefault();
      list[i + 1].focus();
    }
  });
  update();
  var first = form.querySelector("[autofocus]");
  if (first && document.activeElement !== first) first.focus();
})();
