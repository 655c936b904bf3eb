/* The evidence record format of the CMS: Markdown with YAML front matter, written so that
 * `coprod-site check` accepts it and a saved record changes only where the editor changed it.
 *
 * Reading keeps, for every field, the exact lines it was written on (with the comments and
 * blank lines above it). Writing puts those lines back for every field whose value is
 * unchanged, in the file's own order, and writes new values in the library's style: ids,
 * dates and years plain, other text in double quotes, term lists as [a, b], findings one per
 * line. Only the YAML the records use is read (plain, quoted and block text, lists in
 * either style, comments); anything else is refused with a message rather than rewritten.
 */
(function (root) {
  "use strict";

  var FENCE = /^---[ \t]*$/;
  var KEY_LINE = /^([A-Za-z0-9_-]+):(?:[ \t]+(.*?))?[ \t]*$/;
  var NULLS = ["", "~", "null", "Null", "NULL"];
  var WORDS = /^(?:true|false|yes|no|on|off|y|n|null|~)$/i;
  var files = new Map();  // title as read -> how each field of that file was written

  function fail(message) {
    throw new Error("This record uses YAML the CMS cannot edit safely: " + message +
      ". Edit the file itself, or ask a maintainer.");
  }

  // --- reading -----------------------------------------------------------------------------

  function splitFile(content) {
    var lines = content.split("\n");
    if (!FENCE.test(lines[0])) fail("the file does not start with '---'");
    for (var i = 1; i < lines.length; i++) {
      if (FENCE.test(lines[i])) {
        return { yaml: lines.slice(1, i), body: lines.slice(i + 1).join("\n") };
      }
    }
    fail("the front matter is never closed with '---'");
  }

  function entries(lines) {
    var found = [], prefix = [], current = null;
    lines.forEach(function (line) {
      var match = KEY_LINE.exec(line);
      if (match && !/^\s/.test(line) && !/^[-#]/.test(line)) {
        current = { key: match[1], rest: match[2] || "", prefix: prefix, lines: [line] };
        found.push(current);
        prefix = [];
      } else if (/^\s*(#.*)?$/.test(line)) {
        prefix.push(line);
      } else if (current && (/^\s/.test(line) || /^-( |$)/.test(line))) {
        current.lines = current.lines.concat(prefix, [line]);
        prefix = [];
      } else {
        fail("the line '" + line + "' is not a 'field: value' line");
      }
    });
    return { entries: found, trailing: prefix };
  }

  function stripComment(text) {
    var match = / #.*$/.exec(text);
    return (match ? text.slice(0, match.index) : text).trim();
  }

  function doubleQuoted(text) {
    var escapes = { "0": "\0", a: "\x07", b: "\b", t: "\t", "\t": "\t", n: "\n", v: "\v", f: "\f",
      r: "\r", e: "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", N: "\x85", _: "\xa0",
      L: "\u2028", P: "\u2029" };
    var out = "", i = 1;
    text = text.replace(/[ \t]*\n[ \t]*/g, "\n");
    for (; i < text.length; i++) {
      var c = text[i];
      if (c === '"') return { value: out, end: i + 1 };
      if (c === "\n") {
        var blank = 0;
        while (text[i + 1] === "\n") { blank++; i++; }
        out += blank ? "\n".repeat(blank) : " ";
      } else if (c === "\\") {
        var next = text[++i], size = { x: 2, u: 4, U: 8 }[next];
        if (size) {
          out += String.fromCodePoint(parseInt(text.substr(i + 1, size), 16));
          i += size;
        } else if (next === "\n") {
          while (text[i + 1] === " " || text[i + 1] === "\t") i++;
        } else if (next in escapes) {
          out += escapes[next];
        } else {
          fail("an unknown escape '\\" + next + "'");
        }
      } else {
        out += c;
      }
    }
    fail("a double quote is never closed");
  }

  function singleQuoted(text) {
    var out = "", i = 1;
    text = text.replace(/[ \t]*\n[ \t]*/g, " ");
    for (; i < text.length; i++) {
      if (text[i] === "'") {
        if (text[i + 1] !== "'") return { value: out, end: i + 1 };
        i++;
      }
      out += text[i];
    }
    fail("a single quote is never closed");
  }

  function scalar(text) {
    text = text.trim();
    var quoted = text[0] === '"' ? doubleQuoted(text) : text[0] === "'" ? singleQuoted(text) : null;
    if (quoted) {
      if (stripComment(" " + text.slice(quoted.end))) fail("text after a closing quote");
      return quoted.value;
    }
    if (/^[\[\]{}&*!|>%@`]/.test(text)) fail("the value '" + text + "'");
    var plain = stripComment(text.replace(/\s*\n\s*/g, " "));
    if (NULLS.indexOf(plain) >= 0) return null;
    if (plain === "true" || plain === "false") return plain === "true";
    return plain;
  }

  function flowList(text) {
    var items = [], rest = stripComment(text.replace(/\s*\n\s*/g, " ")).trim();
    if (rest[rest.length - 1] !== "]") fail("a list in [ ] is never closed");
    rest = rest.slice(1, -1).trim();
    while (rest) {
      var quote = rest[0] === '"' ? doubleQuoted(rest) : rest[0] === "'" ? singleQuoted(rest) : null;
      var end = quote ? quote.end : (rest.indexOf(",") < 0 ? rest.length : rest.indexOf(","));
      var item = quote ? quote.value : rest.slice(0, end).trim();
      if (!quote && /[\[\]{}]/.test(item)) fail("a list inside a list");
      items.push(item);
      rest = rest.slice(end).trim();
      if (rest && rest[0] !== ",") fail("a list item followed by '" + rest + "'");
      rest = rest.slice(1).trim();
    }
    return items;
  }

  function blockList(lines) {
    var items = [];
    lines.forEach(function (line) {
      if (/^\s*(#.*)?$/.test(line)) return;
      var match = /^\s*-(?: (.*)|$)/.exec(line);
      if (match) items.push(match[1] || "");
      else if (items.length) items[items.length - 1] += "\n" + line;
      else fail("the line '" + line + "' in a list");
    });
    return items.map(scalar);
  }

  function blockText(indicator, lines) {
    var text = lines.map(function (line) { return line; });
    var indent = Math.min.apply(null, text.filter(function (line) { return line.trim(); })
      .map(function (line) { return /^ */.exec(line)[0].length; }));
    text = text.map(function (line) { return line.slice(indent); });
    var joined = indicator[0] === ">" ? text.join("\n").replace(/([^\n])\n(?=[^\n ])/g, "$1 ")
      : text.join("\n");
    var bare = joined.replace(/\n+$/, "");
    if (indicator.indexOf("-") >= 0) return bare;
    return indicator.indexOf("+") >= 0 ? joined + "\n" : bare + "\n";
  }

  function value(entry) {
    var rest = entry.rest, more = entry.lines.slice(1);
    if (/^[|>][+-]?(\s+#.*)?$/.test(rest)) return blockText(rest, more);
    if (!stripComment(" " + rest) && more.some(function (line) { return /^\s*-( |$)/.test(line); })) {
      return blockList(more);
    }
    var text = [rest].concat(more).join("\n");
    return rest[0] === "[" ? flowList(text) : scalar(text);
  }

  function fromFile(content) {
    var split = splitFile(content.replace(/\r\n/g, "\n"));
    var parsed = entries(split.yaml), data = {};
    var memory = { entries: new Map(), order: [], trailing: parsed.trailing };
    parsed.entries.forEach(function (entry) {
      if (entry.key in data) fail("the field '" + entry.key + "' twice");
      data[entry.key] = value(entry);
      memory.order.push(entry.key);
      memory.entries.set(memoryKey(entry.key, data[entry.key]), entry);
    });
    files.set(String(data.title), memory);
    data.body = split.body;
    return data;
  }

  // --- writing -----------------------------------------------------------------------------

  function isEmpty(v) {
    return v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);
  }

  function memoryKey(key, v) {
    return key + "\u0000" + JSON.stringify(isEmpty(v) ? null : v);
  }

  function plainSafe(text) {
    return /^[A-Za-z0-9][^\s,\[\]{}#"']*$/.test(text) && !/:$/.test(text) && !WORDS.test(text);
  }

  function text(v) {
    if (typeof v === "boolean" || typeof v === "number") return String(v);
    if (typeof v !== "string") fail("a value that is not text");
    return plainSafe(v) ? v : JSON.stringify(v).replace(/\u2028/g, "\\L").replace(/\u2029/g, "\\P");
  }

  function field(key, v) {
    if (!Array.isArray(v)) return [key + ": " + text(v)];
    var items = v.map(function (item) { return item && typeof item === "object" ? item.item : item; });
    if (items.every(function (item) { return typeof item === "string" && plainSafe(item); })) {
      return [key + ": [" + items.join(", ") + "]"];
    }
    return [key + ":"].concat(items.map(function (item) { return "  - " + text(item); }));
  }

  function keyOrder(data, sortedKeys, known) {
    var keys = known ? known.order.filter(function (key) {
      return key in data || known.entries.has(memoryKey(key, null));
    }) : [];
    var wanted = sortedKeys.concat(Object.keys(data)).filter(function (key, index, all) {
      return key !== "body" && all.indexOf(key) === index;
    });
    wanted.forEach(function (key, index) {
      if (keys.indexOf(key) >= 0 || isEmpty(data[key])) return;
      var before = wanted.slice(0, index).reverse().find(function (k) { return keys.indexOf(k) >= 0; });
      keys.splice(before === undefined ? 0 : keys.indexOf(before) + 1, 0, key);
    });
    return keys;
  }

  function toFile(data, sortedKeys) {
    var known = files.get(String(data.title));
    var lines = ["---"];
    keyOrder(data, sortedKeys || [], known).forEach(function (key) {
      var kept = known && known.entries.get(memoryKey(key, data[key]));
      if (kept) lines = lines.concat(kept.prefix, kept.lines);
      else if (!isEmpty(data[key])) lines = lines.concat(field(key, data[key]));
    });
    lines = lines.concat(known ? known.trailing : [], ["---"]);
    var body = typeof data.body === "string" ? data.body : "";
    return lines.join("\n") + "\n" + body;
  }

  var format = { fromFile: fromFile, toFile: toFile };
  if (typeof module === "object" && module.exports) module.exports = format;
  if (root && root.CMS) root.CMS.registerCustomFormat("coprod-record", "md", format);
})(typeof window === "undefined" ? null : window);
