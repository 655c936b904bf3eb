/* The CMS's preview of an evidence record: the record page's own markup and classes (styled by
 * the site's stylesheet, which admin/index.html registers), with term names instead of ids. */
(function (CMS, h, createClass) {
  "use strict";

  function termNames(field, ids) {
    var names = {};
    (field.get("options") || []).forEach(function (option) {
      names[option.get("value")] = option.get("label");
    });
    return (ids || []).map(function (id) { return names[id] || id; });
  }

  function list(items, className) {
    return h("ul", { className: className }, items.map(function (item, index) {
      return h("li", { key: index }, String(item));
    }));
  }

  function details(entry, fields) {
    var rows = [h("dt", { key: "year" }, "Year"), h("dd", { key: "year-value" },
      [entry.year, entry.published ? " (published " + entry.published + ")" : ""].join(""))];
    if (entry.authors && entry.authors.length) {
      rows.push(h("dt", { key: "authors" }, "Authors"), h("dd", { key: "authors-value" }, entry.authors.join(", ")));
    }
    fields.filter(function (field) { return field.get("widget") === "select"; }).forEach(function (field) {
      var name = field.get("name");
      rows.push(h("dt", { key: name }, field.get("label")),
        h("dd", { key: name + "-value" }, list(termNames(field, entry[name]), "tags")));
    });
    return h("dl", { className: "details" }, rows);
  }

  var RecordPreview = createClass({
    render: function () {
      var entry = this.props.entry.get("data").toJS();
      var fields = this.props.collection.get("fields");
      return h("main", { className: "wrap" }, h("article", { className: "record" },
        h("p", { className: "kicker" }, "Evidence record"),
        h("h1", {}, entry.title || "Untitled record"),
        h("p", { className: "summary" }, entry.summary || ""),
        h("section", {}, h("h2", {}, "Key findings"), list(entry.findings || [], "findings")),
        h("section", {}, h("h2", {}, "About this evidence"), details(entry, fields)),
        h("div", { className: "prose" }, this.props.widgetFor("body"))));
    }
  });

  CMS.registerPreviewTemplate("evidence", RecordPreview);
})(window.CMS, window.h, window.createClass);
