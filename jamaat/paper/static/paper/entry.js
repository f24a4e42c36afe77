/* Paper entry: "show if" conditions evaluated as the values are typed, wrong numbers flagged at
   once, the "Other" text box only in the Tab order when the number of "Other" is typed, and
   Enter = next field.
   The rules (question types, numbered option codes, parsed conditions, highest numbers, the
   server's messages) come from the server in #entry-rules and are evaluated with the same
   semantics as jamaat/surveys/conditions.py and paper/services.py, so a question appears or
   disappears, and an "Other" box is enabled or skipped, before Tab moves on. The server still
   checks every form when it is saved. Without JavaScript every question and every "Other" box
   is shown and in the Tab order; the server drops answers to hidden questions and refuses text
   after "Other" when "Other" was not typed. */
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
  /* The message for a wrong key in a field of `rule` ("" when it fits), as the server says it. */
  function problem(rule, raw) {
    raw = raw.trim();
    if (!raw || !rule.max) return "";
    var msg = rule.messages || {};
    if (rule.type === "rating") return /^[1-5]$/.test(raw) ? "" : msg.range;
    if (rule.type === "matrix") {
      var x = num(raw.replace(",", ".").replace(/\s+/g, ""));
      return x !== null && x >= 1 && x <= 5 && x === Math.floor(x) ? "" : msg.range;
    }
    var parts = raw.split(/[\s,;.+]+/).filter(Boolean);
    if (!parts.length) return msg.range;
    for (var i = 0; i < parts.length; i++) {
      if (!/^\d+$/.test(parts[i])) return msg.range;
      var n = Number(parts[i]);
      if (n < 1 || n > rule.max) return msg.range;
    }
    if (rule.type !== "multiple" && parts.length !== 1) return msg.one;
    return "";
  }
  function describedBy(el, id, on) {
    var ids = (el.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    var at = ids.indexOf(id);
    if (on && at < 0) ids.push(id);
    if (!on && at >= 0) ids.splice(at, 1);
    if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
    else el.removeAttribute("aria-describedby");
  }
  /* Show `message` under `el` (aria-invalid, tied by aria-describedby), or take it away. */
  function mark(el, message) {
    var id = el.id + "_error", note = document.getElementById(id);
    if (message) {
      if (!note) {
        note = document.createElement("div");
        note.className = "err";
        note.id = id;
        el.insertAdjacentElement("afterend", note);
      }
      if (note.textContent !== message) note.textContent = message;
      el.setAttribute("aria-invalid", "true");
    } else {
      if (note) note.remove();
      el.removeAttribute("aria-invalid");
    }
    describedBy(el, id, !!message);
    var other = el.closest(".other");
    if (other) other.classList.toggle("has-error", !!message);
    var q = el.closest(".q");
    if (q) q.classList.toggle("has-error", !!q.querySelector("[aria-invalid=true]"));
  }
  /* The "Other" box of `rule`: in the Tab order only when the number of "Other" is typed (or
     when it holds text, so that text can be seen and cleared); otherwise disabled and dimmed. */
  function otherBox(rule, shown) {
    var el = form.elements[rule.code + "__other"];
    if (!el) return;
    var main = form.elements[rule.code], v = shown ? typed(rule) : null;
    var code = rule.codes[rule.other - 1];
    var chosen = Array.isArray(v) ? v.indexOf(code) >= 0 : v === code;
    var text = el.value.trim() !== "";
    if (shown) el.disabled = !(chosen || text || el === document.activeElement);
    var wrap = el.closest(".other");
    if (wrap) wrap.classList.toggle("off", !chosen);
    var wrong = shown && text && !chosen && !(main && problem(rule, main.value));
    mark(el, wrong ? rule.messages.other : "");
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
      if (rule.other) otherBox(rule, shown);
      if (shown) {
        var v = typed(rule);
        if (v !== null) values[rule.code] = v;
      }
    });
  }
  var byCode = {};
  rules.forEach(function (rule) { byCode[rule.code] = rule; });
  /* The rule whose numbers are typed into `el` (a question's box or a matrix row), if any. */
  function ruleOf(el) {
    if (!el.name || el.hasAttribute("data-other-of")) return null;
    if (byCode[el.name]) return byCode[el.name];
    var rule = byCode[el.name.split("__")[0]];
    return rule && rule.type === "matrix" ? rule : null;
  }
  function fields() {
    return Array.prototype.filter.call(form.querySelectorAll("input[type=text]"), function (el) {
      return !el.disabled && !el.closest("[hidden]");
    });
  }
  form.addEventListener("input", function (e) {
    update();
    var rule = ruleOf(e.target);
    if (rule && rule.max) mark(e.target, problem(rule, e.target.value));
  });
  // an emptied "Other" box leaves the Tab order once the cursor has left it
  form.addEventListener("focusin", update);
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
