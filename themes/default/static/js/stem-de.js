// The Snowball German stemmer, step by step as StemGerman in site/search
// runs it: the index of a German site is stemmed with it, and the two
// must agree on every word (site/search/testdata/contract.json).

function vowel(c) { return "aeiouyäöü".indexOf(c) >= 0; }
// region is where R1 (from 0) or R2 (from R1's start) begins: after the
// first non-vowel that follows a vowel.
function region(r, from) {
  for (let i = from + 1; i < r.length; i++) if (!vowel(r[i]) && vowel(r[i - 1])) return i + 1;
  return r.length;
}
function longest(r, ends) {
  let best = "";
  ends.forEach(function (e) { if (e.length > best.length && r.slice(-e.length) === e) best = e; });
  return best;
}

function run(w) {
  if (w.indexOf("ß") < 0 && w.length < 3) return w;
  let r = w.replace(/ß/g, "ss").split("");
  for (let j = 0; j + 2 < r.length;) {
    if (vowel(r[j]) && (r[j + 1] === "u" || r[j + 1] === "y") && vowel(r[j + 2])) { r[j + 1] = r[j + 1].toUpperCase(); j += 3; } else j++;
  }
  const raw = region(r, 0), p1 = Math.max(raw, 3), p2 = region(r, raw);
  r = r.join("");
  const at = function (e) { return r.length - e.length; };
  const ends = function (e) { return r.slice(-e.length) === e; };
  // Step 1.
  let e = longest(r, ["em", "ern", "er", "e", "en", "es", "s"]);
  if (e && at(e) >= p1) {
    if (e === "s") { if (at(e) >= 1 && "bdfghklmnrt".indexOf(r[at(e) - 1]) >= 0) r = r.slice(0, -1); }
    else {
      r = r.slice(0, -e.length);
      if ((e === "e" || e === "en" || e === "es") && ends("niss")) r = r.slice(0, -1);
    }
  }
  // Step 2.
  e = longest(r, ["en", "er", "est", "st"]);
  if (e && at(e) >= p1) {
    if (e !== "st") r = r.slice(0, -e.length);
    else if (at(e) - 1 >= 3 && "bdfghklmnt".indexOf(r[at(e) - 1]) >= 0) r = r.slice(0, -2);
  }
  // Step 3: derivational endings in R2.
  e = longest(r, ["end", "ung", "ig", "ik", "isch", "lich", "heit", "keit"]);
  if (e && at(e) >= p2) {
    const before = r.slice(0, at(e));
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

const cache = new Map();

// stemGerman is the Snowball German stem of a folded word.
export function stemGerman(w) {
  let s = cache.get(w);
  if (s === undefined) cache.set(w, (s = run(w)));
  return s;
}
