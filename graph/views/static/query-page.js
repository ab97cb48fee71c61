// The query page: YASGUI on this endpoint, the catalogue as examples, entity links with labels,
// and a bar chart of numeric results. Everything it loads comes from this server.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("query-data").textContent);
  var endpoint = new URL("sparql", location.href).href.split("?")[0];
  var NUMERIC = /#(integer|decimal|double|float|int|long|short|byte|nonNegativeInteger|positiveInteger|nonPositiveInteger|negativeInteger|unsignedInt|unsignedLong)$/;

  function numericVariables(variables, bindings) {
    return variables.filter(function (name) {
      var seen = 0;
      for (var i = 0; i < bindings.length; i++) {
        var value = bindings[i][name];
        if (!value) { continue; }
        if (value.type !== "literal" || !NUMERIC.test(value.datatype || "")) { return false; }
        seen++;
      }
      return seen > 0;
    });
  }

  // A Yasr plugin: one horizontal bar per row, for results with a numeric column.
  function ChartPlugin(yasr) {
    this.yasr = yasr;
    this.priority = 5;
    this.label = "图表 Chart";
  }
  ChartPlugin.prototype.columns = function () {
    var results = this.yasr.results;
    if (!results || results.getType() !== "json" || !results.getVariables) { return null; }
    var variables = results.getVariables(), bindings = results.getBindings() || [];
    var numbers = numericVariables(variables, bindings);
    if (!bindings.length || !numbers.length) { return null; }
    var labels = variables.filter(function (name) { return numbers.indexOf(name) < 0; });
    var preferred = labels.filter(function (name) { return /Zh$/.test(name); })[0] ||
      labels.filter(function (name) { return bindings[0][name] && bindings[0][name].type === "literal"; })[0] || labels[0];
    return {bindings: bindings, numbers: numbers, label: preferred};
  };
  ChartPlugin.prototype.canHandleResults = function () { return this.columns() !== null; };
  ChartPlugin.prototype.getIcon = function () {
    var icon = document.createElement("span");
    icon.textContent = "▤";
    return icon;
  };
  ChartPlugin.prototype.svg = function (columns, number) {
    var ns = "http://www.w3.org/2000/svg", rows = columns.bindings.slice(0, data.chartRows);
    var values = rows.map(function (row) { return row[number] ? Number(row[number].value) : 0; });
    var high = Math.max.apply(null, values.concat([0])), low = Math.min.apply(null, values.concat([0]));
    var labelWidth = 260, width = 820, barHeight = 18, plot = width - labelWidth - 90;
    var scale = high - low > 0 ? plot / (high - low) : 0, zero = labelWidth + (-low) * scale;
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "vetkg-chart");
    svg.setAttribute("viewBox", "0 0 " + width + " " + (rows.length * barHeight + 30));
    svg.setAttribute("width", "100%");
    function add(name, attributes, text) {
      var element = document.createElementNS(ns, name);
      Object.keys(attributes).forEach(function (key) { element.setAttribute(key, attributes[key]); });
      if (text !== undefined) { element.textContent = text; }
      return svg.appendChild(element);
    }
    rows.forEach(function (row, i) {
      var y = i * barHeight + 4, value = values[i], cell = columns.label && row[columns.label];
      var name = cell ? (cell.type === "uri" ? (labelCache[cell.value] || cell.value.split(/[/#]/).pop()) : cell.value) : String(i + 1);
      add("text", {x: labelWidth - 6, y: y + 13, "text-anchor": "end"}, name.length > 34 ? name.slice(0, 33) + "…" : name);
      var x = value < 0 ? zero + value * scale : zero;
      add("rect", {x: x, y: y, width: Math.max(Math.abs(value) * scale, 1), height: barHeight - 5, fill: "#3182bd"});
      add("text", {x: Math.max(x + Math.abs(value) * scale, zero) + 4, y: y + 13}, Number(value).toLocaleString("zh-CN"));
    });
    add("line", {x1: zero, x2: zero, y1: 0, y2: rows.length * barHeight + 4, stroke: "#5f6368"});
    add("text", {x: labelWidth, y: rows.length * barHeight + 24, fill: "#5f6368"},
      number + (columns.bindings.length > rows.length ? " · first " + rows.length + " of " + columns.bindings.length + " rows" : ""));
    return svg;
  };
  ChartPlugin.prototype.draw = function () {
    var columns = this.columns(), plugin = this, element = this.yasr.resultsEl;
    element.textContent = "";
    if (!columns) { return; }
    var choose = element.appendChild(document.createElement("select"));
    columns.numbers.forEach(function (name) { choose.appendChild(document.createElement("option")).textContent = name; });
    var holder = element.appendChild(document.createElement("div"));
    function redraw() {
      holder.textContent = "";
      plugin.drawn = plugin.svg(columns, choose.value);
      holder.appendChild(plugin.drawn);
    }
    choose.addEventListener("change", redraw);
    redraw();
  };
  ChartPlugin.prototype.download = function () {
    var plugin = this;
    if (!this.drawn) { return undefined; }
    return {contentType: "image/svg+xml", filename: "vetkg-chart.svg", title: "Download SVG",
      getData: function () { return new XMLSerializer().serializeToString(plugin.drawn); }};
  };
  Yasgui.Yasr.registerPlugin("chart", ChartPlugin);

  // Entity IRIs in the results link to this server's pages and show their labels.
  var labelCache = {}, pending = {}, timer = null;
  function relabel(link) {
    var label = labelCache[link.getAttribute("data-iri")];
    if (label) { link.textContent = label; }
  }
  function fetchLabels() {
    timer = null;
    var iris = Object.keys(pending).slice(0, data.rowCap);
    pending = {};
    if (!iris.length) { return; }
    var query = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nSELECT ?s ?label WHERE { VALUES ?s { " +
      iris.map(function (iri) { return "<" + iri + ">"; }).join(" ") + " } ?s skos:prefLabel ?label " +
      "FILTER(LANG(?label) = \"" + data.lang + "\") }";
    fetch(endpoint, {method: "POST", headers: {"Content-Type": "application/x-www-form-urlencoded",
      "Accept": "application/sparql-results+json"}, body: "query=" + encodeURIComponent(query)})
      .then(function (response) { return response.ok ? response.json() : {results: {bindings: []}}; })
      .then(function (answer) {
        answer.results.bindings.forEach(function (row) { labelCache[row.s.value] = row.label.value; });
        document.querySelectorAll("a[data-iri]").forEach(relabel);
      })
      .catch(function () { /* The IRIs stay as they are. */ });
  }
  function localise(root) {
    root.querySelectorAll("a.iri:not([data-iri])").forEach(function (link) {
      var iri = link.getAttribute("href") || "";
      if (iri.indexOf(data.entities) !== 0) { return; }
      link.setAttribute("data-iri", iri);
      link.setAttribute("title", iri);
      link.setAttribute("href", new URL("id/" + iri.slice(data.entities.length), endpoint).href);
      link.removeAttribute("target");
      if (labelCache[iri]) { relabel(link); } else { pending[iri] = true; }
    });
    if (Object.keys(pending).length && timer === null) { timer = setTimeout(fetchLabels, 30); }
  }

  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    persistenceId: null,
    // This page runs a permalink's query itself, below; YASGUI would run it a second time,
    // aborting the first, whose "aborted" error could show in place of the answer.
    populateFromUrl: false,
    copyEndpointOnNewTab: true,
    requestConfig: {endpoint: endpoint, method: "POST"},
    yasqe: {value: data.start, prefixCcApi: "data:application/json," + encodeURIComponent(JSON.stringify(data.prefixes))},
    yasr: {prefixes: data.prefixes, pluginOrder: ["table", "chart", "response"], defaultPlugin: "table"}
  });
  window.vetkgQuery = yasgui;
  new MutationObserver(function () { localise(document.getElementById("yasgui")); })
    .observe(document.getElementById("yasgui"), {childList: true, subtree: true});

  // Plain values by default (126, not "126"^^xsd:integer); the table's "Simple view" switch
  // shows the raw terms. A notice says when the answer was cut at the row cap, and an answer
  // of figures by province opens on the map.
  var notice = document.getElementById("answer-notice");
  function watch(tab) {
    var yasr = tab.getYasr();
    if (!yasr || yasr.vetkgWatched) { return; }
    yasr.vetkgWatched = true;
    var table = yasr.plugins && yasr.plugins.table;
    if (table && table.persistentConfig.compact === undefined) { table.persistentConfig.compact = true; }
    yasr.on("drawn", function () { describeAnswer(tab, yasr); });
  }
  function describeAnswer(tab, yasr) {
    notice.textContent = "";
    var results = yasr.results, bindings = results && results.getBindings ? results.getBindings() : null;
    if (!bindings) { return; }
    if (bindings.length >= data.rowCap) {
      notice.appendChild(document.createElement("strong")).textContent = "答案在 " + data.rowCap.toLocaleString() +
        " 行处截断 The answer was cut at the cap of " + data.rowCap.toLocaleString() + " rows";
      notice.appendChild(document.createTextNode(": add LIMIT and OFFSET to page through it, or download the dumps. "));
    }
    var variables = results.getVariables(), provinces = data.entities + "CN-";
    var place = variables.filter(function (name) {
      return bindings.length && bindings.every(function (row) { return !row[name] || row[name].value.indexOf(provinces) === 0; });
    })[0];
    if (place && numericVariables(variables, bindings).length) {
      var link = notice.appendChild(document.createElement("a"));
      link.href = new URL("map", endpoint).href + "#query=" + encodeURIComponent(tab.getQuery());
      link.textContent = "在地图上查看 Open on the map";
    }
  }
  yasgui.on("tabChange", function () { watch(yasgui.getTab()); });
  yasgui.on("tabSelect", function () { watch(yasgui.getTab()); });
  watch(yasgui.getTab());

  // A query with VALUES blocks gets a small form: one field per block, its values as written.
  var form = document.getElementById("values-form");
  var VALUES = /VALUES\s+\?(\w+)\s*\{([^{}]*)\}/gi;
  function valuesForm() {
    var text = yasgui.getTab().getQuery(), blocks = [], match;
    VALUES.lastIndex = 0;
    while ((match = VALUES.exec(text)) !== null) { blocks.push({name: match[1], values: match[2].trim()}); }
    form.textContent = "";
    form.hidden = !blocks.length;
    blocks.forEach(function (block, i) {
      var label = form.appendChild(document.createElement("label"));
      label.appendChild(document.createTextNode("?" + block.name + " "));
      var input = label.appendChild(document.createElement("input"));
      input.name = "values-" + i; input.value = block.values; input.size = 60;
    });
    if (blocks.length) { form.appendChild(document.createElement("button")).textContent = "运行 Run with these values"; }
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var i = 0, fields = form.querySelectorAll("input");
    var text = yasgui.getTab().getQuery().replace(VALUES, function (whole, name) {
      var field = fields[i++];
      return field ? "VALUES ?" + name + " { " + field.value.trim() + " }" : whole;
    });
    run(text);
  });

  function run(text) {
    var tab = yasgui.getTab();
    tab.setQuery(text);
    valuesForm();
    tab.getYasqe().query();
  }

  // The catalogue as examples: filtered by words and by tags.
  var wanted = {}, filter = document.getElementById("example-filter"), list = document.getElementById("example-list");
  var tags = {};
  data.examples.forEach(function (example) { example.tags.forEach(function (tag) { tags[tag] = (tags[tag] || 0) + 1; }); });
  // Tags that group two examples or more; the filter box finds the rest by any word.
  Object.keys(tags).filter(function (tag) { return tags[tag] > 1; }).sort(function (a, b) {
    return tags[b] - tags[a] || (a < b ? -1 : 1);
  }).forEach(function (tag) {
    var button = document.getElementById("tags").appendChild(document.createElement("button"));
    button.type = "button";
    button.textContent = tag + " " + tags[tag];
    button.addEventListener("click", function () {
      if (wanted[tag]) { delete wanted[tag]; } else { wanted[tag] = true; }
      button.classList.toggle("on", !!wanted[tag]);
      show();
    });
  });
  function show() {
    var words = filter.value.trim().toLowerCase(), chosen = Object.keys(wanted);
    list.textContent = "";
    data.examples.forEach(function (example) {
      var text = (example.zh + " " + example.en + " " + example.name + " " + example.tags.join(" ")).toLowerCase();
      if (words && text.indexOf(words) < 0) { return; }
      if (chosen.some(function (tag) { return example.tags.indexOf(tag) < 0; })) { return; }
      var item = list.appendChild(document.createElement("li"));
      item.setAttribute("data-name", example.name);
      item.appendChild(document.createElement("div")).textContent = example.zh;
      var english = item.appendChild(document.createElement("div"));
      english.className = "en";
      english.textContent = example.en;
      item.addEventListener("click", function () { run(example.text); });
    });
  }
  filter.addEventListener("input", show);
  show();

  // A permalink (/sparql?query=…) opens with its query run.
  var asked = new URLSearchParams(location.search).get("query");
  if (asked) { run(asked); }
})();
