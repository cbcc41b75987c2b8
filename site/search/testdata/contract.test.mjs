// The theme's scripts against contract.json, the contract site/search
// keeps (see contract_test.go): run by `node --test` from Go's
// TestScriptsKeepContract, without a browser. Only modules that do not
// touch the page are loaded here.
import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const js = "../../../themes/default/static/js/";
const { words, language } = await import(js + "words.js");
const { stemEnglish } = await import(js + "stem-en.js");
const { stemGerman } = await import(js + "stem-de.js");
const search = await import(js + "search.js");

const contract = JSON.parse(readFileSync(new URL("contract.json", import.meta.url), "utf8"));

test("words are read and folded as site/search reads them", () => {
  for (const c of contract.words) {
    assert.deepEqual(words(c.text).map((t) => t.w), c.words, c.text.slice(0, 60));
  }
});

for (const [lang, stem] of [["en", stemEnglish], ["de", stemGerman]]) {
  test(`the ${lang} stemmer agrees with site/search`, () => {
    const stems = contract.stems[lang];
    assert.ok(Object.keys(stems).length > 500, "too few stems in the contract");
    const wrong = Object.keys(stems).filter((w) => stem(w) !== stems[w]).map((w) => `${w}: ${stem(w)}, site/search ${stems[w]}`);
    assert.deepEqual(wrong, []);
    assert.equal(language(lang).stem, stem, `a page in ${lang} stems with it`);
  });
}

test("the index's files are named as site/search names them", () => {
  assert.equal(search.PAGES_PER_FILE, contract.pagesPerFile);
  const p = contract.paths;
  assert.equal(search.META, p["meta"]);
  for (const k of ["ab", "fü", "日本", "o'c"]) assert.equal(search.shardFile(k), p["shard " + k]);
  assert.equal(search.lengthFile(7), p["lengths 7"]);
  assert.equal(search.pagesFile(1), p["pages 1"]);
});

test("queries find the sample index's guides", async () => {
  const files = contract.sample.files, packed = new Set(contract.sample.packed);
  assert.ok(packed.size > 70, "the sample's guides, shards and page tables are compressed");
  const asked = [];
  // The files as site/search writes them: gzip-compressed where it says.
  const fetchFile = (path, stamp) => {
    asked.push(path);
    if (path !== search.META) assert.equal(stamp, files[search.META].v, `${path} is asked with the index's stamp`);
    if (files[path] === undefined) return Promise.resolve(null);
    const json = Buffer.from(JSON.stringify(files[path]));
    return Promise.resolve(packed.has(path) ? gzipSync(json) : json);
  };
  const en = language("en");
  for (const c of contract.sample.queries) {
    const s = search.createSearch(fetchFile, en.stem, en.stop);
    const res = await s.query(c.q);
    const guides = await s.guidesOf(res.hits);
    const got = res.hits.map((h, i) => {
      assert.ok(guides[i], `query ${JSON.stringify(c.q)}: no file for slot ${h.slot}`);
      const d = guides[i].d[h.part];
      return guides[i].u + (d.a ? "#" + d.a : "");
    });
    assert.deepEqual(got, c.hits || [], `query ${JSON.stringify(c.q)}`);
  }
  const missing = asked.filter((p) => files[p] === undefined && !p.startsWith("search/s/") && !p.startsWith("search/w/"));
  assert.deepEqual(missing, [], "files the sample index does not have");
});

test("a file the host sent unpacked is read too", async () => {
  assert.deepEqual(await search.readJSON(Buffer.from('{"t":"Café"}')), { t: "Café" });
  assert.deepEqual(await search.readJSON(gzipSync(Buffer.from('["ab"]'))), ["ab"]);
});
