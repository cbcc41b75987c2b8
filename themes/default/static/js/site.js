// coachbook default theme: the phone menu, the light/dark switch, search
// over the index in search/, highlighting the current section in "On this page",
// scrolling tables, copy buttons on code, and fetching a page before its
// link is clicked.
// Every page works without it; it only adds convenience.
(function () {
  "use strict";
  var doc = document.documentElement;
  var base = document.body.getAttribute("data-base") || "/";
  // The words shown, in the site's language: base.html hands over the
  // theme's [search] strings. tr fills {0} and picks key.one for a count of 1.
  var strs = {};
  try { strs = JSON.parse(document.getElementById("cb-strings").textContent) || {}; } catch (e) { /* none: keys show */ }
  function tr(key, n) {
    var s = (n === 1 && strs[key + ".one"]) || strs[key] || key;
    return n === undefined ? s : s.replace("{0}", n);
  }

  // Phone menu.
  var menu = document.querySelector(".menu-button");
  if (menu) {
    menu.addEventListener("click", function () {
      var open = document.body.classList.toggle("nav-open");
      menu.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && document.body.classList.contains("nav-open")) {
        document.body.classList.remove("nav-open");
        menu.setAttribute("aria-expanded", "false");
        menu.focus();
      }
    });
  }

  // Light / dark switch: remembers an explicit choice, else follows the system.
  // The button is a toggle for dark mode: aria-pressed says whether it is on.
  var themeButton = document.querySelector(".theme-button");
  function isDark() {
    return doc.dataset.theme ? doc.dataset.theme === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
  }
  if (themeButton) {
    themeButton.setAttribute("aria-pressed", String(isDark()));
    themeButton.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      doc.dataset.theme = next;
      themeButton.setAttribute("aria-pressed", String(next === "dark"));
      try { localStorage.setItem("coachbook-theme", next); } catch (e) {}
    });
  }

  // Wide tables: every table of the page sits in a region that scrolls
  // sideways, can be reached with the keyboard, is named after its heading,
  // and says when columns are hidden.
  function headingBefore(el) {
    for (var n = el; n && n !== document.body; n = n.parentElement) {
      for (var p = n.previousElementSibling; p; p = p.previousElementSibling) {
        if (/^H[1-6]$/.test(p.tagName)) return p.textContent.trim();
        var h = p.querySelector && p.querySelectorAll("h1,h2,h3,h4,h5,h6");
        if (h && h.length) return h[h.length - 1].textContent.trim();
      }
    }
    return "";
  }
  var scrollers = [];
  document.querySelectorAll("main table").forEach(function (table) {
    if (table.closest(".table-scroll, .agenda")) return;
    var wrap = document.createElement("div");
    wrap.className = "table-scroll";
    table.parentNode.insertBefore(wrap, table);
    wrap.appendChild(table);
  });
  document.querySelectorAll(".table-scroll").forEach(function (wrap) {
    if (!wrap.hasAttribute("tabindex")) wrap.tabIndex = 0;
    if (!wrap.getAttribute("role")) wrap.setAttribute("role", "region");
    if (!wrap.getAttribute("aria-label") && !wrap.getAttribute("aria-labelledby")) {
      var table = wrap.querySelector("table"), caption = table && table.caption;
      var name = caption ? caption.textContent.trim() : headingBefore(wrap);
      wrap.setAttribute("aria-label", name ? tr("search.table_named", name) : tr("search.table"));
    }
    scrollers.push(wrap);
  });
  // A copy button on every code block.
  if (navigator.clipboard) {
    document.querySelectorAll(".prose pre").forEach(function (pre) {
      var box = document.createElement("div");
      box.className = "code-block";
      pre.parentNode.insertBefore(box, pre);
      box.appendChild(pre);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-code";
      button.textContent = tr("search.copy");
      button.setAttribute("aria-label", tr("search.copy_label"));
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(pre.textContent).then(function () {
          button.textContent = tr("search.copied");
          setTimeout(function () { button.textContent = tr("search.copy"); }, 1500);
        });
      });
      box.appendChild(button);
    });
  }

  function markOverflow() {
    scrollers.forEach(function (w) { w.classList.toggle("overflows", w.scrollWidth > w.clientWidth + 1); });
  }
  // A table whose columns are periods opens scrolled to the one in
  // progress (its heading has data-now), just right of the rows' names.
  document.querySelectorAll('.table-scroll[data-open-at="now"]').forEach(function (w) {
    var now = w.querySelector("[data-now]"), name = w.querySelector('tbody th[scope="row"]');
    if (now) w.scrollLeft += now.getBoundingClientRect().left - (name || w).getBoundingClientRect()[name ? "right" : "left"];
  });
  // Printed links name their full address, not a path of this site: the
  // address the page was read at over http (the site's base URL when it is
  // published), nothing for a page opened from disk or a link within it.
  if (/^https?:$/.test(location.protocol)) document.querySelectorAll("main a[href]").forEach(function (a) {
    if (a.getAttribute("href").charAt(0) !== "#") a.setAttribute("data-abs", a.href);
  });
  if (scrollers.length) {
    markOverflow();
    addEventListener("resize", markOverflow);
  }

  // Search over the index in search/: every word of every guide, cut at
  // headings, sharded by term so that a query fetches only the postings of
  // its words and the text of the guides it shows. Words are folded to
  // lower case without accents and stemmed (Porter's algorithm), so
  // "forecasting" finds "forecast"; a word of five letters or more also
  // finds words one typo away (two from eight letters); the last word
  // typed also matches as a prefix. Titles weigh most, then headings,
  // then text; every word of the query must match in the same part of a
  // guide (or its title). A result opens the matching section with the
  // matched words marked (?h=…), as on the page it lands on.

  // Porter's stemmer (1980), rule by rule.
  var stem = (function () {
    var C = "[^aeiou][^aeiouy]*", V = "[aeiouy][aeiou]*";
    var mGt0 = new RegExp("^(" + C + ")?" + V + C);
    var mEq1 = new RegExp("^(" + C + ")?" + V + C + "(" + V + ")?$");
    var mGt1 = new RegExp("^(" + C + ")?" + V + C + V + C);
    var hasV = new RegExp("^(" + C + ")?" + V);
    var cvc = new RegExp("^" + C + "[aeiouy][^aeiouwxy]$");
    var step2 = { ational: "ate", tional: "tion", enci: "ence", anci: "ance", izer: "ize", bli: "ble", alli: "al", entli: "ent", eli: "e", ousli: "ous",
      ization: "ize", ation: "ate", ator: "ate", alism: "al", iveness: "ive", fulness: "ful", ousness: "ous", aliti: "al", iviti: "ive", biliti: "ble", logi: "log" };
    var step3 = { icate: "ic", ative: "", alize: "al", iciti: "ic", ical: "ic", ful: "", ness: "" };
    var step2re = /(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)$/;
    var step3re = /(icate|ative|alize|iciti|ical|ful|ness)$/;
    var step4re = /(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$/;
    var cache = Object.create(null);
    function run(w) {
      if (w.length < 3) return w;
      var yFirst = w[0] === "y";
      if (yFirst) w = "Y" + w.slice(1);
      var m, base;
      // 1a: plurals.
      if (/sses$/.test(w) || /ies$/.test(w)) w = w.slice(0, -2);
      else if (/[^s]s$/.test(w)) w = w.slice(0, -1);
      // 1b: -eed, -ed, -ing.
      if ((m = /^(.+?)eed$/.exec(w))) {
        if (mGt0.test(m[1])) w = w.slice(0, -1);
      } else if ((m = /^(.+?)(ed|ing)$/.exec(w)) && hasV.test(m[1])) {
        w = m[1];
        if (/(at|bl|iz)$/.test(w)) w += "e";
        else if (/([^aeiouylsz])\1$/.test(w)) w = w.slice(0, -1);
        else if (cvc.test(w) && mEq1.test(w)) w += "e";
      }
      // 1c: a final y after a vowel-bearing stem becomes i.
      if ((m = /^(.+?)y$/.exec(w)) && hasV.test(m[1])) w = m[1] + "i";
      // 2, 3: double suffixes to single ones.
      if ((m = step2re.exec(w)) && mGt0.test(base = w.slice(0, -m[1].length))) w = base + step2[m[1]];
      if ((m = step3re.exec(w)) && mGt0.test(base = w.slice(0, -m[1].length))) w = base + step3[m[1]];
      // 4: drop a suffix from a long enough stem.
      if ((m = step4re.exec(w))) {
        base = w.slice(0, -m[1].length);
        if (mGt1.test(base)) w = base;
      } else if ((m = /^(.+?)(s|t)(ion)$/.exec(w)) && mGt1.test(m[1] + m[2])) {
        w = m[1] + m[2];
      }
      // 5: a final e, and a final ll.
      if ((m = /^(.+?)e$/.exec(w))) {
        base = m[1];
        if (mGt1.test(base) || (mEq1.test(base) && !cvc.test(base))) w = base;
      }
      if (/ll$/.test(w) && mGt1.test(w)) w = w.slice(0, -1);
      if (yFirst) w = "y" + w.slice(1);
      return w;
    }
    return function (w) {
      return cache[w] || (cache[w] = run(w));
    };
  })();

  // The Snowball German stemmer, as StemGerman in site/search, step by
  // step: the index of a German site is stemmed with it.
  var stemGerman = (function () {
    var cache = Object.create(null);
    function vowel(c) { return "aeiouyäöü".indexOf(c) >= 0; }
    function region(r, from) {
      for (var i = from + 1; i < r.length; i++) if (!vowel(r[i]) && vowel(r[i - 1])) return i + 1;
      return r.length;
    }
    function longest(r, ends) {
      var best = "";
      ends.forEach(function (e) { if (e.length > best.length && r.slice(-e.length) === e) best = e; });
      return best;
    }
    function run(w) {
      if (w.indexOf("ß") < 0 && w.length < 3) return w;
      var r = w.replace(/ß/g, "ss").split("");
      for (var j = 0; j + 2 < r.length;) {
        if (vowel(r[j]) && (r[j + 1] === "u" || r[j + 1] === "y") && vowel(r[j + 2])) { r[j + 1] = r[j + 1].toUpperCase(); j += 3; } else j++;
      }
      var raw = region(r, 0), p1 = Math.max(raw, 3), p2 = region(r, raw);
      r = r.join("");
      var at = function (e) { return r.length - e.length; };
      var ends = function (e) { return r.slice(-e.length) === e; };
      var e = longest(r, ["em", "ern", "er", "e", "en", "es", "s"]);
      if (e && at(e) >= p1) {
        if (e === "s") { if (at(e) >= 1 && "bdfghklmnrt".indexOf(r[at(e) - 1]) >= 0) r = r.slice(0, -1); }
        else {
          r = r.slice(0, -e.length);
          if ((e === "e" || e === "en" || e === "es") && ends("niss")) r = r.slice(0, -1);
        }
      }
      e = longest(r, ["en", "er", "est", "st"]);
      if (e && at(e) >= p1) {
        if (e !== "st") r = r.slice(0, -e.length);
        else if (at(e) - 1 >= 3 && "bdfghklmnt".indexOf(r[at(e) - 1]) >= 0) r = r.slice(0, -2);
      }
      e = longest(r, ["end", "ung", "ig", "ik", "isch", "lich", "heit", "keit"]);
      if (e && at(e) >= p2) {
        var before = r.slice(0, at(e));
        if (e === "end" || e === "ung") {
          r = before;
          if (ends("ig") && at("ig") >= p2 && r.slice(0, at("ig")).slice(-1) !== "e") r = r.slice(0, -2);
        } else if (e === "ig" || e === "ik" || e === "isch") {
          if (before.slice(-1) !== "e") r = before;
        } else if (e === "lich" || e === "heit") {
          r = before;
          if ((ends("er") || ends("en")) && at("er") >= p1) r = r.slice(0, -2);
        } else {
          r = before;
          if (ends("lich") && at("lich") >= p2) r = r.slice(0, -4);
          else if (ends("ig") && at("ig") >= p2) r = r.slice(0, -2);
        }
      }
      return r.replace(/U/g, "u").replace(/Y/g, "y").replace(/ä/g, "a").replace(/ö/g, "o").replace(/ü/g, "u");
    }
    return function (w) {
      return cache[w] || (cache[w] = run(w));
    };
  })();

  // Words a query leaves out, in the page's language.
  var stop = {};
  var german = /^de(-|$)/i.test(doc.lang);
  if (german) stem = stemGerman;
  (german ? "aber als am an auch auf aus bei bin bis da dann das dass dem den der des die du durch ein eine einem einen einer eines er es fur hat hatte ich ihr im in ist ja kann man mit nach nicht noch nur oder sich sie sind so uber um und uns vom von vor war was wie wir wird zu zum zur"
    : "a an and are as at be but by can do does did for from had has have how i if in into is it its me my no not of on or our so " +
    "than that the their them then there these they this to us was we were what when where which who whom why will with would you your")
    .split(" ").forEach(function (w) { stop[w] = true; });

  // words splits text into folded words with their places in it.
  var wordRE = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
  function fold(w) {
    // As Fold in site/search: Latin letters lose their accents.
    return w.toLowerCase().replace(/[\u00c0-\u024f]/g, function (c) { return c.normalize("NFD"); })
      .replace(/[\u0300-\u036f]/g, "").replace(/['’]s$/, "").replace(/['’]/g, "");
  }
  function words(text) {
    var out = [], m;
    wordRE.lastIndex = 0;
    while ((m = wordRE.exec(text))) out.push({ w: fold(m[0]), at: m.index, len: m[0].length });
    return out;
  }

  // editDistance counts the letters to insert, delete, change or swap to
  // turn a into b, giving up past max.
  function editDistance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = [], prev = [], cur = [];
    for (var j = 0; j <= b.length; j++) prev[j] = j;
    for (var i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        cur[j] = v;
        if (v < best) best = v;
      }
      if (best > max) return max + 1;
      prev2 = prev; prev = cur;
    }
    return prev[b.length];
  }

  var FIELD_TITLE = 10, FIELD_TITLE_OF_SECTION = 2, FIELD_HEADING = 6, FIELD_TEXT = 1;

  // The index's files (see site/search): index.json names the shards; a
  // query fetches the shards of its words, the vocabulary of the lengths
  // a mistyped word may have, then the page table and the files of the
  // guides it shows.
  var meta = null, shardOf = Object.create(null), lensOf = Object.create(null);
  var files = Object.create(null), decoded = Object.create(null);
  function getJSON(p) {
    if (!files[p]) {
      files[p] = fetch(base + p + "?v=" + meta.v).then(function (r) { return r.ok ? r.json() : null; })
        .catch(function () { return null; });
    }
    return files[p];
  }
  function shardFile(key) {
    return "search/s/" + key.replace(/[^a-z0-9]/gu, function (c) { return "_" + c.codePointAt(0).toString(16) + "-"; }) + ".json";
  }
  // keyFor is the shard a term lives in: the longest key it begins with.
  function keyFor(t) {
    var cps = Array.from(t);
    for (var n = cps.length; n >= 1; n--) {
      var k = cps.slice(0, n).join("");
      if (shardOf[k]) return k;
    }
    return null;
  }
  // prefixKeys are the shards holding the terms a word being typed begins:
  // none when there are too many to fetch for one keystroke.
  function prefixKeys(w) {
    var keys = meta.shards.filter(function (k) { return k.lastIndexOf(w, 0) === 0; });
    var own = keyFor(w);
    if (own) keys.push(own);
    return keys.length > 8 ? [] : keys;
  }
  var shards = Object.create(null);
  function loadShards(keys) {
    return Promise.all(keys.map(function (k) {
      return getJSON(shardFile(k)).then(function (s) { shards[k] = s || {}; });
    }));
  }
  // postings are a term's parts (slot × 65536 + part) and weights, or null
  // when the guides do not have it.
  function postings(t) {
    if (decoded[t]) return decoded[t];
    var k = keyFor(t), list = k && shards[k] && shards[k][t];
    if (!list || !Array.isArray(list)) return null;
    var docs = [], weights = [], slot = 0, i = 0;
    while (i < list.length) {
      slot += list[i++];
      for (var c = list[i++]; c > 0; c--) { docs.push(slot * 65536 + list[i++]); weights.push(list[i++]); }
    }
    return (decoded[t] = { docs: docs, weights: weights });
  }

  // expand lists the stems a query word matches, each with how much a
  // match counts: the word itself, a word it begins (while typing), and,
  // when the guides do not have the word, words one typo away (two from
  // eight letters). vocab holds the candidates from the loaded shards and
  // vocabulary lists.
  function expand(word, typing, vocab) {
    var s = stem(word), found = Object.create(null);
    if (postings(s)) found[s] = 1;
    if (postings(word)) found[word] = 1;
    // Typos are forgiven only for a word the guides do not have.
    var typos = found[s] ? 0 : s.length >= 8 ? 2 : s.length >= 5 ? 1 : 0;
    vocab.forEach(function (v) {
      if (found[v] || !postings(v)) return;
      if (typing && word.length >= 2 && v.lastIndexOf(word, 0) === 0) found[v] = 0.7;
      else if (typos && Math.abs(v.length - s.length) <= typos && editDistance(s, v, typos) <= typos) found[v] = 0.5;
    });
    return found;
  }

  // query fetches what a query needs and ranks the guides: titles weigh
  // most, then headings, then text; every word must match in the same part
  // of a guide (or its title).
  function query(q) {
    var typing = !/\s$/.test(q);
    var qw = words(q).map(function (t) { return t.w; }).filter(Boolean);
    var content = qw.filter(function (w) { return !stop[w]; });
    if (content.length) qw = content;
    if (!qw.length) return Promise.resolve({ hits: [], stems: [] });
    var last = qw.length - 1, need = Object.create(null);
    qw.forEach(function (w, k) {
      [stem(w), w].forEach(function (t) { var key = keyFor(t); if (key) need[key] = true; });
      if (typing && k === last && w.length >= 2) prefixKeys(w).forEach(function (key) { need[key] = true; });
    });
    var vocab = [];
    return loadShards(Object.keys(need)).then(function () {
      if (typing && qw[last].length >= 2) {
        prefixKeys(qw[last]).forEach(function (k) {
          Object.keys(shards[k] || {}).forEach(function (t) { if (t.lastIndexOf(qw[last], 0) === 0) vocab.push(t); });
        });
      }
      // Words the guides do not have: the vocabulary of the lengths one or
      // two typos away, then the shards of the words found there.
      var lens = Object.create(null), mistyped = [];
      qw.forEach(function (w) {
        var s = stem(w);
        if (postings(s) || s.length < 5) return;
        mistyped.push(s);
        var t = s.length >= 8 ? 2 : 1;
        for (var n = s.length - t; n <= s.length + t; n++) if (lensOf[n]) lens[n] = true;
      });
      if (!mistyped.length) return;
      return Promise.all(Object.keys(lens).map(function (n) { return getJSON("search/w/" + n + ".json"); })).then(function (lists) {
        var more = Object.create(null);
        lists.forEach(function (list) {
          (list || []).forEach(function (v) {
            if (mistyped.some(function (s) { var t = s.length >= 8 ? 2 : 1; return Math.abs(v.length - s.length) <= t && editDistance(s, v, t) <= t; })) {
              vocab.push(v);
              more[keyFor(v)] = true;
            }
          });
        });
        return loadShards(Object.keys(more));
      });
    }).then(function () { return rank(qw, typing, vocab); });
  }

  function rank(qw, typing, vocab) {
    var scores = null, matched = Object.create(null);
    qw.forEach(function (w, k) {
      var found = expand(w, typing && k === qw.length - 1, vocab), these = Object.create(null);
      for (var s in found) {
        var list = postings(s), idf = Math.log(1 + meta.n / list.docs.length);
        for (var i = 0; i < list.docs.length; i++) {
          var v = found[s] * list.weights[i] * idf, d = list.docs[i];
          if (!these[d] || these[d] < v) these[d] = v;
        }
        matched[s] = true;
      }
      if (scores === null) {
        scores = these;
      } else {
        for (var d2 in scores) {
          if (these[d2]) scores[d2] += these[d2]; else delete scores[d2];
        }
      }
    });
    // One result per guide: its best part, with the guide's other matching
    // parts counted in a little.
    var bySlot = Object.create(null);
    for (var di in scores) {
      var slot = Math.floor(di / 65536), part = di % 65536, r = bySlot[slot];
      if (!r) bySlot[slot] = { slot: slot, part: part, score: scores[di], total: scores[di] };
      else {
        r.total += scores[di];
        if (scores[di] > r.score || (scores[di] === r.score && part < r.part)) { r.part = part; r.score = scores[di]; }
      }
    }
    var hits = Object.keys(bySlot).map(function (p) {
      var r = bySlot[p];
      r.rank = r.score + 0.1 * (r.total - r.score);
      return r;
    }).sort(function (a, b) { return b.rank - a.rank || a.slot - b.slot; });
    return { hits: hits.slice(0, 12), stems: Object.keys(matched) };
  }

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  // marked escapes text and marks the words whose stem was matched.
  function marked(text, stems) {
    var out = "", last = 0;
    words(text).forEach(function (t) {
      if (stems[stem(t.w)] || stems[t.w]) {
        out += esc(text.slice(last, t.at)) + "<mark>" + esc(text.slice(t.at, t.at + t.len)) + "</mark>";
        last = t.at + t.len;
      }
    });
    return out + esc(text.slice(last));
  }
  // snippet cuts the text around its first matched word.
  function snippet(text, stems) {
    var first = -1;
    words(text).some(function (t) {
      if (stems[stem(t.w)] || stems[t.w]) { first = t.at; return true; }
      return false;
    });
    if (first < 0) return text.length > 160 ? text.slice(0, 160) + "…" : text;
    var start = Math.max(0, text.lastIndexOf(" ", Math.max(0, first - 50)));
    var end = text.indexOf(" ", first + 110);
    return (start > 0 ? "…" : "") + text.slice(start, end < 0 ? text.length : end).trim() + (end < 0 ? "" : "…");
  }

  var input = document.getElementById("search-input");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var loading = null, selected = -1, asked = 0;

  function load() {
    if (!loading) {
      loading = fetch(base + "search/index.json", { cache: "no-cache" }).then(function (r) { return r.json(); })
        .catch(function () { return { v: "", n: 0, shards: [], lens: [] }; })
        .then(function (m) {
          meta = m;
          m.shards.forEach(function (k) { shardOf[k] = true; });
          m.lens.forEach(function (n) { lensOf[n] = true; });
        });
    }
    return loading;
  }
  function setOpen(open) {
    results.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
    if (!open) { input.removeAttribute("aria-activedescendant"); selected = -1; }
  }
  // show runs a query and lists its results, unless a later query was
  // asked meanwhile; the list is aria-busy until then.
  function show(q) {
    var mine = ++asked;
    if (!q.trim()) { results.removeAttribute("aria-busy"); setOpen(false); if (status) status.textContent = ""; return; }
    results.setAttribute("aria-busy", "true");
    load().then(function () { return query(q); }).then(function (res) {
      return guidesOf(res.hits).then(function (guides) { if (mine === asked) list(q, res, guides); });
    }).catch(function () { if (mine === asked) list(q, { hits: [], stems: [] }, []); });
  }
  // guidesOf fetches the files of the guides in the slots of some hits,
  // named in the page table (64 slots a file).
  function guidesOf(hits) {
    var tables = Object.create(null);
    hits.forEach(function (r) { tables[Math.floor(r.slot / 64)] = true; });
    return Promise.all(Object.keys(tables).map(function (n) {
      return getJSON("search/p/" + n + ".json").then(function (names) { tables[n] = names || []; });
    })).then(function () {
      return Promise.all(hits.map(function (r) {
        var name = tables[Math.floor(r.slot / 64)][r.slot % 64];
        return name ? getJSON("search/f/" + name + ".json") : null;
      }));
    });
  }
  function list(q, res, guides) {
    var stems = Object.create(null);
    res.stems.forEach(function (s) { stems[s] = true; });
    var h = encodeURIComponent(res.stems.join(" "));
    var hits = res.hits.filter(function (r, i) { return guides[i] && guides[i].d[r.part]; });
    selected = -1;
    input.removeAttribute("aria-activedescendant");
    if (!hits.length) {
      results.innerHTML = '<li class="empty" role="option" aria-disabled="true" aria-selected="false">' + esc(tr("search.no_match", q.trim())) + "</li>";
    } else {
      results.innerHTML = hits.map(function (r, i) {
        var page = guides[res.hits.indexOf(r)], d = page.d[r.part];
        var url = page.u + "?h=" + h + (d.a ? "#" + encodeURIComponent(d.a) : "");
        var where = [page.s, d.h].filter(Boolean).join(" › ");
        return '<li role="none"><a role="option" tabindex="-1" aria-selected="false" id="search-hit-' + i + '" href="' + esc(url) + '">' +
          '<span class="r-title">' + marked(page.t, stems) + "</span> " +
          (where ? '<span class="r-where">' + marked(where, stems) + "</span>" : "") +
          '<span class="r-text">' + marked(snippet(d.x, stems), stems) + "</span></a></li>";
      }).join("");
    }
    if (status) status.textContent = hits.length ? tr("search.found", hits.length) : tr("search.none");
    results.removeAttribute("aria-busy");
    setOpen(true);
  }
  function move(delta) {
    var links = results.querySelectorAll("a");
    if (!links.length) return;
    if (results.hidden) setOpen(true);
    if (selected >= 0) links[selected].setAttribute("aria-selected", "false");
    selected = (selected + delta + links.length) % links.length;
    links[selected].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", links[selected].id);
    links[selected].scrollIntoView({ block: "nearest" });
  }
  if (input && results) {
    input.addEventListener("focus", load);
    input.addEventListener("input", function () {
      show(input.value);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); move(1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
      else if (e.key === "Enter") {
        var links = results.querySelectorAll("a");
        var target = links[selected >= 0 ? selected : 0];
        if (target) { e.preventDefault(); target.click(); }
      } else if (e.key === "Escape") { setOpen(false); input.blur(); }
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "/" && document.activeElement !== input && !/INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName)) {
        e.preventDefault(); input.focus();
      }
    });
    document.addEventListener("click", function (e) {
      if (!e.target.closest(".search")) setOpen(false);
    });
  }

  // A page opened from a search result marks the words searched for.
  var wanted = new URLSearchParams(location.search).get("h");
  var article = document.querySelector("main .guide") || document.querySelector("main");
  if (wanted && article) {
    var want = Object.create(null);
    wanted.split(/\s+/).filter(Boolean).forEach(function (s) { want[s] = true; });
    var walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        return n.parentElement.closest("script, style, mark, .anchor, .visually-hidden") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var texts = [];
    while (walker.nextNode()) texts.push(walker.currentNode);
    texts.forEach(function (node) {
      var text = node.nodeValue, hits = words(text).filter(function (t) { return want[stem(t.w)] || want[t.w]; });
      if (!hits.length) return;
      var frag = document.createDocumentFragment(), last = 0;
      hits.forEach(function (t) {
        frag.appendChild(document.createTextNode(text.slice(last, t.at)));
        var m = document.createElement("mark");
        m.className = "search-hit";
        m.textContent = text.slice(t.at, t.at + t.len);
        frag.appendChild(m);
        last = t.at + t.len;
      });
      frag.appendChild(document.createTextNode(text.slice(last)));
      node.parentNode.replaceChild(frag, node);
    });
  }

  // Instant navigation: a page is fetched while the pointer rests on its
  // link, a finger touches it or the keyboard focuses it, so the click
  // shows it at once. Links stay plain links: without this script, and for
  // back, forward and the scroll position, the browser does as it always
  // does. Nothing is fetched with Data Saver on, nor files other than pages.
  var fetched = {};
  function prefetch(a) {
    if (!a || a.origin !== location.origin || a.target || a.hasAttribute("download")) return;
    if (a.pathname === location.pathname || !/(\/|\.html)$/.test(a.pathname)) return;
    var url = a.href.split("#")[0];
    if (fetched[url]) return;
    fetched[url] = true;
    var link = document.createElement("link");
    link.rel = "prefetch";
    link.href = url;
    document.head.appendChild(link);
  }
  var saveData = navigator.connection && navigator.connection.saveData;
  if (!saveData) {
    var hover = null;
    var linkOf = function (e) { return e.target.closest ? e.target.closest("a[href]") : null; };
    document.addEventListener("pointerover", function (e) {
      var a = linkOf(e);
      clearTimeout(hover);
      if (a) hover = setTimeout(function () { prefetch(a); }, 65);
    });
    document.addEventListener("touchstart", function (e) { prefetch(linkOf(e)); }, { passive: true });
    document.addEventListener("focusin", function (e) { prefetch(linkOf(e)); });
  }

  // "On this page": mark the section being read.
  var tocLinks = document.querySelectorAll(".toc a");
  if (tocLinks.length && "IntersectionObserver" in window) {
    var byId = {};
    tocLinks.forEach(function (a) { byId[decodeURIComponent(a.hash.slice(1))] = a; });
    var visible = {};
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (en) { visible[en.target.id] = en.isIntersecting; });
      var first = null;
      Object.keys(byId).some(function (id) { if (visible[id]) { first = id; return true; } return false; });
      if (first) {
        tocLinks.forEach(function (a) { a.classList.remove("active"); });
        byId[first].classList.add("active");
      }
    }, { rootMargin: "-64px 0px -60% 0px" });
    Object.keys(byId).forEach(function (id) {
      var el = document.getElementById(id);
      if (el) observer.observe(el);
    });
  }
})();
