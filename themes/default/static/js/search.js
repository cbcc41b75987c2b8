// Search over the index in search/ (see site/search, whose files this
// reads; site/search/testdata/contract.json pins what both sides agree on):
// every word of every guide, cut at headings, sharded by term so that a
// query fetches only the postings of its words and the text of the guides
// it shows. Words are folded and stemmed, so "forecasting" finds
// "forecast"; a word of five letters or more also finds words one typo
// away (two from eight letters); the last word typed also matches as a
// prefix. Titles weigh most, then headings, then text; every word of the
// query must match in the same part of a guide (or its title).
//
// Nothing here touches the page: search-box.js shows what it finds.
import { words } from "./words.js";

// PAGES_PER_FILE is how many slots a file of the page table names
// (pagesPerFile in site/search).
export const PAGES_PER_FILE = 64;

// A part is numbered slot × PART_SPAN + part in the postings decoded here.
const PART_SPAN = 65536;

// The index's files, relative to the site's root: index.json is JSON,
// the others gzip-compressed JSON.
export const META = "search/index.json";
export function shardFile(key) {
  return "search/s/" + key.replace(/[^a-z0-9]/gu, function (c) { return "_" + c.codePointAt(0).toString(16) + "-"; }) + ".json.gz";
}
export function lengthFile(n) { return "search/w/" + n + ".json.gz"; }
export function pagesFile(n) { return "search/p/" + n + ".json.gz"; }
export function guideFile(name) { return "search/f/" + name + ".json.gz"; }

// readJSON decodes a file of the index: gzip-compressed JSON, or plain
// JSON when it is not compressed (index.json, or a host that sent a .gz
// file with Content-Encoding: gzip, which the browser unpacked).
export function readJSON(bytes) {
  bytes = new Uint8Array(bytes);
  let text;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    text = new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
  } else {
    text = Promise.resolve(new TextDecoder().decode(bytes));
  }
  return text.then(JSON.parse);
}

// editDistance counts the letters to insert, delete, change or swap to
// turn a into b, giving up past max.
export function editDistance(a, b, max) {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2 = [], prev = [], cur = [];
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    prev2 = prev; prev = cur;
  }
  return prev[b.length];
}

// createSearch reads an index. fetchFile(path, stamp) resolves to the
// bytes of a file of it, or null when there is none: stamp is undefined
// for index.json, which names the others and must not come from a cache,
// and the index's stamp for the others. stem and stop are the language's
// (language in words.js).
export function createSearch(fetchFile, stem, stop) {
  let meta = null, loading = null;
  const shardOf = Object.create(null), lensOf = Object.create(null);
  const files = Object.create(null), decoded = Object.create(null), shards = Object.create(null);

  function fetchJSON(p, stamp) {
    return Promise.resolve(fetchFile(p, stamp)).then(function (b) { return b ? readJSON(b) : null; });
  }
  function getJSON(p) {
    if (!files[p]) files[p] = fetchJSON(p, meta.v).catch(function () { return null; });
    return files[p];
  }
  // load reads index.json, once.
  function load() {
    if (!loading) {
      loading = fetchJSON(META).catch(function () { return null; }).then(function (m) {
        meta = m && Array.isArray(m.shards) ? m : { v: "", n: 0, shards: [], lens: [] };
        meta.shards.forEach(function (k) { shardOf[k] = true; });
        meta.lens.forEach(function (n) { lensOf[n] = true; });
      });
    }
    return loading;
  }
  // keyFor is the shard a term lives in: the longest key it begins with.
  function keyFor(t) {
    const cps = Array.from(t);
    for (let n = cps.length; n >= 1; n--) {
      const k = cps.slice(0, n).join("");
      if (shardOf[k]) return k;
    }
    return null;
  }
  // prefixKeys are the shards holding the terms a word being typed begins:
  // none when there are too many to fetch for one keystroke.
  function prefixKeys(w) {
    const keys = meta.shards.filter(function (k) { return k.lastIndexOf(w, 0) === 0; });
    const own = keyFor(w);
    if (own) keys.push(own);
    return keys.length > 8 ? [] : keys;
  }
  function loadShards(keys) {
    return Promise.all(keys.map(function (k) {
      return getJSON(shardFile(k)).then(function (s) { shards[k] = s || {}; });
    }));
  }
  // postings are a term's parts (slot × PART_SPAN + part) and weights, or
  // null when the guides do not have it. A shard holds, for each term,
  // groups of: the step from the previous group's slot, the count of
  // parts, then part and weight of each.
  function postings(t) {
    if (decoded[t]) return decoded[t];
    const k = keyFor(t), list = k && shards[k] && shards[k][t];
    if (!list || !Array.isArray(list)) return null;
    const docs = [], weights = [];
    let slot = 0, i = 0;
    while (i < list.length) {
      slot += list[i++];
      for (let c = list[i++]; c > 0; c--) { docs.push(slot * PART_SPAN + list[i++]); weights.push(list[i++]); }
    }
    return (decoded[t] = { docs: docs, weights: weights });
  }

  // expand lists the stems a query word matches, each with how much a
  // match counts: the word itself, a word it begins (while typing), and,
  // when the guides do not have the word, words one typo away (two from
  // eight letters). vocab holds the candidates from the loaded shards and
  // vocabulary lists.
  function expand(word, typing, vocab) {
    const s = stem(word), found = Object.create(null);
    if (postings(s)) found[s] = 1;
    if (postings(word)) found[word] = 1;
    // Typos are forgiven only for a word the guides do not have.
    const typos = found[s] ? 0 : s.length >= 8 ? 2 : s.length >= 5 ? 1 : 0;
    vocab.forEach(function (v) {
      if (found[v] || !postings(v)) return;
      if (typing && word.length >= 2 && v.lastIndexOf(word, 0) === 0) found[v] = 0.7;
      else if (typos && Math.abs(v.length - s.length) <= typos && editDistance(s, v, typos) <= typos) found[v] = 0.5;
    });
    return found;
  }

  // query fetches what a query needs and ranks the guides: at most 12
  // hits ({slot, part, rank}), best first, and the stems matched.
  function query(q) {
    const typing = !/\s$/.test(q);
    let qw = words(q).map(function (t) { return t.w; }).filter(Boolean);
    const content = qw.filter(function (w) { return !stop[w]; });
    if (content.length) qw = content;
    if (!qw.length) return Promise.resolve({ hits: [], stems: [] });
    const last = qw.length - 1, need = Object.create(null);
    const vocab = [];
    return load().then(function () {
      qw.forEach(function (w, k) {
        [stem(w), w].forEach(function (t) { const key = keyFor(t); if (key) need[key] = true; });
        if (typing && k === last && w.length >= 2) prefixKeys(w).forEach(function (key) { need[key] = true; });
      });
      return loadShards(Object.keys(need));
    }).then(function () {
      if (typing && qw[last].length >= 2) {
        prefixKeys(qw[last]).forEach(function (k) {
          Object.keys(shards[k] || {}).forEach(function (t) { if (t.lastIndexOf(qw[last], 0) === 0) vocab.push(t); });
        });
      }
      // Words the guides do not have: the vocabulary of the lengths one or
      // two typos away, then the shards of the words found there.
      const lens = Object.create(null), mistyped = [];
      qw.forEach(function (w) {
        const s = stem(w);
        if (postings(s) || s.length < 5) return;
        mistyped.push(s);
        const t = s.length >= 8 ? 2 : 1;
        for (let n = s.length - t; n <= s.length + t; n++) if (lensOf[n]) lens[n] = true;
      });
      if (!mistyped.length) return;
      return Promise.all(Object.keys(lens).map(function (n) { return getJSON(lengthFile(n)); })).then(function (lists) {
        const more = Object.create(null);
        lists.forEach(function (list) {
          (list || []).forEach(function (v) {
            if (mistyped.some(function (s) { const t = s.length >= 8 ? 2 : 1; return Math.abs(v.length - s.length) <= t && editDistance(s, v, t) <= t; })) {
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
    let scores = null;
    const matched = Object.create(null);
    qw.forEach(function (w, k) {
      const found = expand(w, typing && k === qw.length - 1, vocab), these = Object.create(null);
      for (const s in found) {
        const list = postings(s), idf = Math.log(1 + meta.n / list.docs.length);
        for (let i = 0; i < list.docs.length; i++) {
          const v = found[s] * list.weights[i] * idf, d = list.docs[i];
          if (!these[d] || these[d] < v) these[d] = v;
        }
        matched[s] = true;
      }
      if (scores === null) {
        scores = these;
      } else {
        for (const d in scores) {
          if (these[d]) scores[d] += these[d]; else delete scores[d];
        }
      }
    });
    // One result per guide: its best part, with the guide's other matching
    // parts counted in a little.
    const bySlot = Object.create(null);
    for (const di in scores) {
      const slot = Math.floor(di / PART_SPAN), part = di % PART_SPAN, r = bySlot[slot];
      if (!r) bySlot[slot] = { slot: slot, part: part, score: scores[di], total: scores[di] };
      else {
        r.total += scores[di];
        if (scores[di] > r.score || (scores[di] === r.score && part < r.part)) { r.part = part; r.score = scores[di]; }
      }
    }
    const hits = Object.keys(bySlot).map(function (p) {
      const r = bySlot[p];
      r.rank = r.score + 0.1 * (r.total - r.score);
      return r;
    }).sort(function (a, b) { return b.rank - a.rank || a.slot - b.slot; });
    return { hits: hits.slice(0, 12), stems: Object.keys(matched) };
  }

  // guidesOf fetches the files of the guides in the slots of some hits,
  // named in the page table: the guide's file for each hit, or null.
  function guidesOf(hits) {
    const tables = Object.create(null);
    hits.forEach(function (r) { tables[Math.floor(r.slot / PAGES_PER_FILE)] = true; });
    return Promise.all(Object.keys(tables).map(function (n) {
      return getJSON(pagesFile(n)).then(function (names) { tables[n] = names || []; });
    })).then(function () {
      return Promise.all(hits.map(function (r) {
        const name = tables[Math.floor(r.slot / PAGES_PER_FILE)][r.slot % PAGES_PER_FILE];
        return name ? getJSON(guideFile(name)) : null;
      }));
    });
  }

  return { load: load, query: query, guidesOf: guidesOf };
}
