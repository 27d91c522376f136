// Region picker: turns an official-code input into a name search plus level-by-level selects.
// Without JavaScript the plain code input still works.
(function () {
  "use strict";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
  }

  function enhance(root) {
    var input = root.querySelector("input");
    var api = root.dataset.api;
    var maxDepth = parseInt(root.dataset.maxDepth || "4", 10);
    var levelLabels = (root.dataset.levelLabels || "").split("|");
    var chainOut = root.querySelector("[data-chain]");
    var id = input.id || input.name;

    // --- search by name ---
    var searchLabel = el("label", { for: id + "-search" }, root.dataset.labelSearch);
    var search = el("input", { type: "search", id: id + "-search", autocomplete: "off", enterkeyhint: "search" });
    // A plain list of buttons: a listbox of options may not contain buttons (axe nested-interactive).
    var results = el("ul", { class: "region-picker__results", "aria-label": root.dataset.labelSearch });
    var timer = null;
    search.addEventListener("input", function () {
      clearTimeout(timer);
      var q = search.value.trim();
      if (!q) { results.innerHTML = ""; return; }
      timer = setTimeout(function () {
        getJSON(api + "?q=" + encodeURIComponent(q)).then(function (data) {
          results.innerHTML = "";
          var items = data.items.filter(function (r) { return r.depth <= maxDepth; });
          if (!items.length) { results.appendChild(el("li", {}, root.dataset.labelNone)); return; }
          items.forEach(function (r) {
            var li = el("li");
            var btn = el("button", { type: "button", class: "link-button" },
              r.ancestor_names.concat([r.name]).slice(1).join(" › ") || r.name);
            btn.addEventListener("click", function () { choose(r.code); results.innerHTML = ""; search.value = ""; });
            li.appendChild(btn);
            results.appendChild(li);
          });
        }).catch(function () { results.innerHTML = ""; });
      }, 250);
    });

    // --- level-by-level selects ---
    var selects = el("div", { class: "region-picker__levels" });
    function selectFor(depth, parentCode, selected) {
      while (selects.children.length > depth) selects.removeChild(selects.lastChild);
      if (depth > maxDepth) return Promise.resolve();
      var url = parentCode ? api + "/" + parentCode + "/children" : api;
      return getJSON(url).then(function (data) {
        if (!data.items.length) return;
        var wrap = el("div", { class: "field" });
        var selId = id + "-level-" + depth;
        wrap.appendChild(el("label", { for: selId }, levelLabels[depth] || ""));
        var sel = el("select", { id: selId });
        sel.appendChild(el("option", { value: "" }, root.dataset.labelChoose));
        data.items.forEach(function (r) {
          var opt = el("option", { value: r.code }, r.name);
          if (r.code === selected) opt.selected = true;
          sel.appendChild(opt);
        });
        sel.addEventListener("change", function () {
          if (sel.value) { setValue(sel.value); selectFor(depth + 1, sel.value); }
          else if (depth > 0) { setValue(selects.children[depth - 1].querySelector("select").value); selectFor(depth + 1, null); }
        });
        wrap.appendChild(sel);
        selects.appendChild(wrap);
      });
    }

    function setValue(code) {
      input.value = code;
      input.dispatchEvent(new Event("change", { bubbles: true }));
      getJSON(api + "/" + code).then(function (r) {
        chainOut.textContent = r.ancestor_names.concat([r.name]).join(" › ");
      }).catch(function () {});
    }

    function choose(code) {
      getJSON(api + "/" + code).then(function (r) {
        setValue(code);
        var chain = r.ancestor_codes.concat([r.code]);
        var step = Promise.resolve();
        while (selects.firstChild) selects.removeChild(selects.firstChild);
        chain.forEach(function (c, depth) {
          step = step.then(function () { return selectFor(depth, depth ? chain[depth - 1] : null, c); });
        });
        step.then(function () { if (chain.length <= maxDepth) selectFor(chain.length, code); });
      });
    }

    root.insertBefore(selects, input);
    root.insertBefore(results, selects);
    root.insertBefore(search, results);
    root.insertBefore(searchLabel, search);
    if (input.value) choose(input.value); else selectFor(0, null);
  }

  function init() {
    document.querySelectorAll("[data-region-picker]").forEach(enhance);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
