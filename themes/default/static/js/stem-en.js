// Porter's stemmer (1980), rule by rule, with the regular expressions
// Stem in site/search runs: the index of an English site is stemmed with
// it, and the two must agree on every word (site/search/testdata/contract.json).

const C = "[^aeiou][^aeiouy]*", V = "[aeiouy][aeiou]*";
const mGt0 = new RegExp("^(" + C + ")?" + V + C);
const mEq1 = new RegExp("^(" + C + ")?" + V + C + "(" + V + ")?$");
const mGt1 = new RegExp("^(" + C + ")?" + V + C + V + C);
const hasV = new RegExp("^(" + C + ")?" + V);
const cvc = new RegExp("^" + C + "[aeiouy][^aeiouwxy]$");
const step2 = { ational: "ate", tional: "tion", enci: "ence", anci: "ance", izer: "ize", bli: "ble", alli: "al", entli: "ent", eli: "e", ousli: "ous",
  ization: "ize", ation: "ate", ator: "ate", alism: "al", iveness: "ive", fulness: "ful", ousness: "ous", aliti: "al", iviti: "ive", biliti: "ble", logi: "log" };
const step3 = { icate: "ic", ative: "", alize: "al", iciti: "ic", ical: "ic", ful: "", ness: "" };
const step2re = /(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)$/;
const step3re = /(icate|ative|alize|iciti|ical|ful|ness)$/;
const step4re = /(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$/;

function run(w) {
  if (w.length < 3) return w;
  const yFirst = w[0] === "y";
  if (yFirst) w = "Y" + w.slice(1);
  let m, base;
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

const cache = new Map();

// stemEnglish is the Porter stem of a folded word.
export function stemEnglish(w) {
  let s = cache.get(w);
  if (s === undefined) cache.set(w, (s = run(w)));
  return s;
}
