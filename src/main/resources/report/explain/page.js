"use strict";
// Draws the lesson from the embedded numbers (all computed by Reaper); nothing here computes a result.
(function () {
  var D = JSON.parse(document.getElementById("lesson-data").textContent);
  var COLORS = ["#d55e00", "#0072b2", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#f0e442"];
  var tip = document.getElementById("tip");

  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    for (var k in (attrs || {})) {
      if (k === "text") e.textContent = attrs[k]; else if (k === "html") e.innerHTML = attrs[k]; else e.setAttribute(k, attrs[k]);
    }
    (kids || []).forEach(function (c) { if (c) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return e;
  }
  function fmt(x, d) { return x === null || x === undefined ? "–" : Number(x).toFixed(d === undefined ? 4 : d); }
  function pct(x) { return x === null || x === undefined ? "–" : (100 * x).toFixed(2) + " %"; }
  function body(id) { return document.querySelector("#" + id + " .body"); }
  function color(i) { return COLORS[i % COLORS.length]; }
  function table(head, rows) {
    return el("table", {}, [el("tr", {}, head.map(function (h) { return el("th", { text: h }); }))].concat(
      rows.map(function (r) { return el("tr", {}, r.map(function (c) { return el("td", { text: String(c) }); })); })));
  }
  function tiles(layer, srcs, greyed, size, idx) {
    var box = el("div", { "class": "tiles" });
    srcs.forEach(function (src, i) {
      var f = idx ? idx[i] : i;
      var img = el("img", { "class": "tile" + (greyed && greyed.indexOf(f) >= 0 ? " dropped" : ""), src: src, alt: layer + " filter " + f,
        title: layer + " filter " + f, width: size, height: size });
      box.appendChild(img);
    });
    return box;
  }
  function showTip(ev, html) { tip.innerHTML = html; tip.hidden = false; tip.style.left = (ev.clientX + 14) + "px"; tip.style.top = (ev.clientY + 14) + "px"; }
  function hideTip() { tip.hidden = true; }
  function heatColor(v, max) {
    var t = Math.max(-1, Math.min(1, v / max)), fade = Math.round(255 * (1 - Math.abs(t)));
    return t >= 0 ? "rgb(255," + fade + "," + fade + ")" : "rgb(" + fade + "," + fade + ",255)";
  }
  // A matrix as a canvas heatmap; hover calls describe(row, col).
  function heatmap(m, max, cell, describe) {
    var rows = m.length, cols = m[0].length, c = el("canvas", { "class": "heat", width: cols * cell, height: rows * cell });
    var g = c.getContext("2d");
    for (var i = 0; i < rows; i++) for (var j = 0; j < cols; j++) { g.fillStyle = heatColor(m[i][j], max); g.fillRect(j * cell, i * cell, cell, cell); }
    c.addEventListener("mousemove", function (ev) {
      var r = c.getBoundingClientRect(), j = Math.floor((ev.clientX - r.left) / cell), i = Math.floor((ev.clientY - r.top) / cell);
      if (i >= 0 && i < rows && j >= 0 && j < cols) showTip(ev, describe(i, j)); else hideTip();
    });
    c.addEventListener("mouseleave", hideTip);
    return c;
  }
  function tileSize(layer) { return layer.shape[1] === 3 ? 40 : Math.max(40, Math.min(64, 6 * Math.ceil(Math.sqrt(layer.shape[1])) * 2)); }

  function header() {
    document.getElementById("subtitle").textContent = "Run " + D.run + ": model " + D.model + ", " + D.dataset + ". Cycle " + D.cycle +
      (D.hypothetical ? " (hypothetical)" : "") + ", ranked by " + D.lessonCriterion + ", p = " + D.prune + ".";
    if (D.notice) { var n = document.getElementById("notice"); n.textContent = D.notice; n.hidden = false; }
  }

  function section1() {
    var b = body("s1");
    b.appendChild(table(["layer", "weight shape (O, I, k, k)", "filters J", "dimension D of a filter"],
      D.layers.map(function (l) { return [l.name, l.shape.join(" × "), l.filters, l.shape[1] + "·" + l.shape[2] + "·" + l.shape[3] + " = " + l.dim]; })));
    D.layers.forEach(function (l) {
      b.appendChild(el("h3", { text: l.name + ": " + l.filters + " filters of " + l.dim + " numbers" }));
      b.appendChild(tiles(l.name, l.tiles, null, tileSize(l)));
    });
  }

  function section2() {
    var b = body("s2");
    D.layers.forEach(function (l, li) {
      b.appendChild(el("h3", { text: l.name + " (J = " + l.filters + ", D = " + l.dim + ")" }));
      var cell = Math.max(4, Math.floor(320 / l.filters));
      var gram = heatmap(l.gram, 1, cell, function (i, j) {
        return "<img src='" + l.tiles[i] + "'><img src='" + l.tiles[j] + "'><br>filters " + i + " and " + j + ": cos = " + fmt(l.gram[i][j]);
      });
      gram.setAttribute("data-layer", l.name);
      b.appendChild(el("div", { "class": "row" }, [
        el("div", {}, [el("img", { "class": "pix", src: l.normalized_png, alt: "normalised filters of " + l.name,
          style: "width:" + Math.min(520, Math.max(l.dim, 260)) + "px;height:" + (l.filters * 6) + "px" }),
          el("div", { "class": "caption", text: "P: the " + l.filters + " normalised filters as rows (" + l.dim + " columns; red > 0, blue < 0)." })]),
        el("div", {}, [gram, el("div", { "class": "caption", text: "G = P Pᵀ (" + l.filters + " × " + l.filters + "; red = +1, blue = −1). Hover a cell." })])
      ]));
      var w = l.worked, terms = w.row.map(function (v, j) { return j === w.filter ? null : (w.abs_per_element ? Math.abs(v) : v); })
        .filter(function (v) { return v !== null; });
      b.appendChild(el("p", { text: "Worked out for filter " + w.filter + " of " + l.name + " (its highest score): its row of G without the diagonal, " +
        (w.abs_per_element ? "the absolute values, " : "") + "their sum, divided by J:" }));
      b.appendChild(el("div", { "class": "worked" }, [
        el("div", { text: "G[" + w.filter + ", ·] = [" + w.row.map(function (v) { return fmt(v, 3); }).join(", ") + "]" }),
        el("div", { text: (w.abs_per_element ? "|G[" + w.filter + ", j]|, j ≠ " + w.filter : "G[" + w.filter + ", j], j ≠ " + w.filter) +
          " = [" + terms.map(function (v) { return fmt(v, 3); }).join(", ") + "]" }),
        el("div", { text: "sum = " + fmt(w.sum, 6) + ";  O = " + (w.abs_per_element ? "" : "|") + fmt(w.sum, 6) + (w.abs_per_element ? "" : "|") +
          " / " + w.J + " = " + fmt(w.score, 6) + "   (the engine's score: " + fmt(w.engine_score, 6) + ")" })
      ]));
      b.appendChild(scoreBars(l, li));
    });
  }

  function scoreBars(l, li) {
    var W = 640, H = 110, n = l.scores.length, max = Math.max.apply(null, l.scores.concat([1e-9]));
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", W); svg.setAttribute("height", H + 16); svg.setAttribute("class", "bars");
    l.scores.forEach(function (s, f) {
      var r = document.createElementNS(ns, "rect"), h = H * s / max;
      r.setAttribute("x", f * W / n); r.setAttribute("y", H - h); r.setAttribute("width", Math.max(1, W / n - 1)); r.setAttribute("height", h);
      r.setAttribute("fill", color(li));
      var t = document.createElementNS(ns, "title"); t.textContent = l.name + " filter " + f + ": O = " + fmt(s, 5); r.appendChild(t);
      svg.appendChild(r);
    });
    var cap = document.createElementNS(ns, "text"); cap.setAttribute("x", 0); cap.setAttribute("y", H + 13); cap.setAttribute("font-size", "11");
    cap.textContent = "every filter's score O (filter 0 … " + (n - 1) + "; max " + fmt(max, 4) + ", mean " + fmt(l.mean_score, 4) + ")";
    svg.appendChild(cap);
    return svg;
  }

  function section3() {
    var b = body("s3"), all = [], offset = 0, ns = "http://www.w3.org/2000/svg";
    D.layers.forEach(function (l, li) { l.scores.forEach(function (s, f) { all.push({ li: li, f: f, s: s, k: offset + f }); }); offset += l.filters; });
    var order = all.slice().sort(function (a, c) { return c.s - a.s || a.li - c.li || a.f - c.f; });
    var W = 900, H = 180, max = order.length ? order[0].s : 1, bw = W / order.length;
    var svg = document.createElementNS(ns, "svg"); svg.setAttribute("width", W); svg.setAttribute("height", H + 4); svg.setAttribute("id", "ranking");
    var bars = order.map(function (c, i) {
      var r = document.createElementNS(ns, "rect"), h = H * c.s / max;
      r.setAttribute("x", i * bw); r.setAttribute("y", H - h); r.setAttribute("width", Math.max(1, bw - 0.5)); r.setAttribute("height", h);
      r.setAttribute("fill", color(c.li));
      var t = document.createElementNS(ns, "title"); t.textContent = D.layers[c.li].name + " filter " + c.f + ": O = " + fmt(c.s, 5); r.appendChild(t);
      svg.appendChild(r); return r;
    });
    var legend = el("div", { "class": "legend" }, D.layers.map(function (l, li) { return el("span", {}, [el("i", { style: "background:" + color(li) }), l.name]); }));
    var p0 = Math.round(100 * D.prune), slider = el("input", { type: "range", min: 1, max: 99, value: p0, id: "p-slider" });
    var label = el("b", { id: "p-label" }), counts = el("div", { id: "p-counts" });
    function update() {
      var p = +slider.value, bits = D.sweep[p], per = D.layers.map(function () { return 0; }), total = 0;
      bars.forEach(function (r, i) {
        var on = bits.charAt(order[i].k) === "1"; r.setAttribute("opacity", on ? "1" : "0.25");
        if (on) { per[order[i].li]++; total++; }
      });
      label.textContent = "p = " + p + " %" + (p === p0 ? " (this run)" : "");
      counts.textContent = total + " of " + all.length + " filters dropped: " + D.layers.map(function (l, li) { return l.name + " " + per[li] + "/" + l.filters; }).join(", ");
    }
    slider.addEventListener("input", update);
    b.appendChild(legend); b.appendChild(svg);
    b.appendChild(el("p", {}, ["Drop fraction ", slider, " ", label])); b.appendChild(counts);
    update();
    b.appendChild(el("h3", { text: "Why small layers score high" }));
    b.appendChild(el("p", { text: "Two random directions in D dimensions have a mean |cos| of about √(2 / (π D)), so random filters already score " +
      "(J − 1)/J of that. A layer whose filters live in few dimensions therefore scores high without being any more redundant, and a global " +
      "ranking by raw scores takes most of its drops there (the first-layer effect of the README's study; --exclude-first is the usual remedy). " +
      "Compare each layer's mean score with what random filters would score:" }));
    b.appendChild(table(["layer", "D", "filters", "mean |cos| of random filters", "score of random filters", "mean score O", "dropped this cycle"],
      D.layers.map(function (l) { return [l.name, l.dim, l.filters, fmt(l.random_abs_cos), fmt(l.random_score), fmt(l.mean_score), l.dropped.length + " of " + l.filters]; })));
  }

  function section4() {
    var b = body("s4"), total = 0;
    D.layers.forEach(function (l) { total += l.dropped.length; });
    b.appendChild(el("p", { text: total + " filters " + (D.hypothetical ? "would be dropped" : "dropped in cycle " + D.cycle) + " (greyed out below). " +
      "Their output is held at zero while the rest of the network, the sub-network, trains on for S2 epochs." }));
    D.layers.forEach(function (l) {
      b.appendChild(el("h3", { text: l.name + ": " + l.dropped.length + " of " + l.filters + " dropped" + (l.dropped.length ? " (" + l.dropped.join(", ") + ")" : "") }));
      b.appendChild(tiles(l.name, l.tiles, l.dropped, tileSize(l)));
    });
    b.appendChild(el("h3", { text: "What else is reset" }));
    b.appendChild(el("ul", {}, D.reset.map(function (r) { return el("li", { text: r }); })));
    b.appendChild(el("h3", { text: "The sub-network during S2" }));
    if (!D.phases.length) {
      b.appendChild(el("p", { "class": "warn", text: "A hypothetical cycle: no sub-network was trained, so there is no S2 accuracy to show." }));
    } else {
      b.appendChild(table(["epoch", "phase", "train loss", "train acc", "test loss", "test acc", "filters dropped"],
        D.phases.map(function (r) { return [r.epoch, r.phase, fmt(r.train_loss), pct(r.train_acc), fmt(r.test_loss), pct(r.test_acc), r.dropped === undefined ? "–" : r.dropped]; })));
      b.appendChild(el("p", { "class": "caption", text: "The first row is the epoch whose weights were ranked; the last full row is the first epoch after the re-initialisation." }));
    }
  }

  function section5() {
    var b = body("s5");
    b.appendChild(el("p", { text: "Method: " + D.reinit_method + ". Numbers below are recomputed from the weights before the drop and right after the re-initialisation" +
      (D.hypothetical ? " (a hypothetical re-initialisation of the final weights)." : " (" + D.ranked_file + " and its -reinit twin).") }));
    if (!D.reinit.length) b.appendChild(el("p", { text: "No filter was dropped, so nothing was re-initialised." }));
    b.appendChild(table(["layer", "D", "new m", "kept", "rank of kept", "free dims", "fully orthogonal", "max |cos| new·kept", "max |cos| new·old", "mean norm new", "mean norm kept"],
      D.reinit.map(function (r) {
        var nn = r.new_norms.reduce(function (a, c) { return a + c; }, 0) / r.new_norms.length;
        return [r.name, r.dim, r.new.length, r.kept, r.kept_rank, r.free_dims, r.full_orthogonal + " of " + r.new.length,
          r.max_cos_kept.toExponential(1), r.max_cos_old.toExponential(1), fmt(nn), fmt(r.mean_kept_norm)];
      })));
    D.reinit.forEach(function (r) {
      var layer = D.layers.filter(function (l) { return l.name === r.name; })[0];
      b.appendChild(el("h3", { text: r.name + ": " + r.new.length + " new filters in " + r.dim + " dimensions" }));
      var why = r.room_for_all
        ? el("p", { "class": "ok", text: "Room for all: " + r.free_dims + " free dimensions ≥ " + r.new.length + " new filters, so every new filter could be made orthogonal to the kept ones and to its old value." })
        : el("p", { "class": "warn", text: "Not enough room: the " + r.kept + " kept filters and " + r.new.length + " old values span " + (r.dim - r.free_dims) +
            " of the " + r.dim + " dimensions, leaving " + r.free_dims + " free for " + r.new.length + " new filters. RePr then keeps the new filters orthonormal " +
            "among themselves and honours as many constraints as fit (the most overlapping kept filters first), so some |cos| are not 0." });
      b.appendChild(why);
      b.appendChild(tiles(r.name + " new", r.tiles, null, tileSize(layer), r.new));
      var keptIdx = []; for (var f = 0; f < layer.filters; f++) if (r.new.indexOf(f) < 0) keptIdx.push(f);
      var cell = Math.max(5, Math.min(14, Math.floor(420 / Math.max(1, r.kept))));
      var m = r.cos_kept.map(function (row, i) { return row.concat([r.cos_old[i]]); });
      var hm = heatmap(m, 1, cell, function (i, j) {
        var other = j < r.kept ? "kept filter " + keptIdx[j] : "its own old value";
        return "<img src='" + r.tiles[i] + "'>new filter " + r.new[i] + " vs " + other + ": |cos| = " + m[i][j].toExponential(2);
      });
      hm.setAttribute("data-layer", r.name);
      b.appendChild(el("div", {}, [hm, el("div", { "class": "caption", text: "|cos| of each new filter (rows) with each kept filter, and in the last column with its own old value (white = 0, red = 1). Hover a cell." })]));
      if (r.logged) b.appendChild(el("p", { "class": "caption", text: "repr.jsonl logged for this layer: max |cos| kept " + Number(r.logged.max_cos_kept).toExponential(2) +
        ", old " + Number(r.logged.max_cos_old).toExponential(2) + ", fully orthogonal " + r.logged.full_orthogonal + ", constraints used " + r.logged.constraints_used + " of " + r.logged.constraints_wanted + "." }));
    });
  }

  function section6() {
    var b = body("s6"), w = D.whole_run;
    b.appendChild(el("p", { text: "The run trained " + (w.epochs || "?") + " epochs; final test accuracy " + pct(w.final_test_acc) + ". Pruned phases are shaded." }));
    [["curves_png", "Accuracy and loss per epoch"], ["ortho_png", "Sum of all filters' scores per epoch (lower = more orthogonal)"], ["drops_png", "Drops per layer and cycle"]]
      .forEach(function (p) { if (w[p[0]]) { b.appendChild(el("h3", { text: p[1] })); b.appendChild(el("img", { "class": "plot", src: w[p[0]], alt: p[1] })); } });
    if (w.drops.length) {
      var names = D.layers.map(function (l) { return l.name.replace(/\.weight$/, ""); });
      b.appendChild(el("h3", { text: "Filters dropped per layer and cycle (repr.jsonl)" }));
      b.appendChild(table(["cycle", "epoch"].concat(names), w.drops.map(function (d) { return [d.cycle, d.epoch].concat(names.map(function (n) { return d.layers[n] === undefined ? 0 : d.layers[n]; })); })));
    } else {
      b.appendChild(el("p", { text: "This run dropped no filters (no RePr cycle in repr.jsonl)." }));
    }
    if (w.study) {
      b.appendChild(el("h3", { text: "The study this run belongs to: " + w.study }));
      if (w.study_png) b.appendChild(el("img", { "class": "plot", src: w.study_png, alt: "study" }));
      if (w.study_md) b.appendChild(el("pre", { text: w.study_md }));
    }
  }

  function section7() {
    var b = body("s7");
    b.appendChild(el("p", { text: "The commands behind this page (from the project folder):" }));
    b.appendChild(el("pre", { text: D.commands.join("\n") }));
    b.appendChild(el("h3", { text: "Effective RePr options" + (D.config && D.config.schedule === "repr" ? " (config.json)" : " (defaults of the hypothetical cycle)") }));
    var opts = D.config && D.config.schedule === "repr" ? D.config : D.options;
    b.appendChild(table(["option", "value"], Object.keys(opts).map(function (k) { return [k, String(opts[k])]; })));
  }

  header();
  [section1, section2, section3, section4, section5, section6, section7].forEach(function (draw, i) {
    draw();
    document.getElementById("s" + (i + 1)).setAttribute("data-rendered", "yes");
  });
  document.body.setAttribute("data-rendered-ms", String(Math.round(performance.now())));
})();
