// Words as the search index reads them (Fold and Words in site/search):
// runs of letters and digits, with apostrophes inside a word followed by
// letters ("rep's", "don't"), folded to lower case without accents.
import { stemEnglish } from "./stem-en.js";
import { stemGerman } from "./stem-de.js";

const wordRE = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

// fold is a word as the index keeps it: lower case, Latin letters without
// their accents, a final "'s" dropped and other apostrophes removed.
export function fold(w) {
  return w.toLowerCase().replace(/[\u00c0-\u024f]/g, function (c) { return c.normalize("NFD"); })
    .replace(/[\u0300-\u036f]/g, "").replace(/['’]s$/, "").replace(/['’]/g, "");
}

// words lists the words of text, folded (w), with where each begins in
// the text (at) and its length there (len).
export function words(text) {
  const out = [];
  let m;
  wordRE.lastIndex = 0;
  while ((m = wordRE.exec(text))) out.push({ w: fold(m[0]), at: m.index, len: m[0].length });
  return out;
}

// language is how a page in lang reads a query: its stemmer (the one
// site/search picks by the site's language) and the words a query leaves
// out.
export function language(lang) {
  const german = /^de(-|$)/i.test(lang);
  const stop = Object.create(null);
  (german ? "aber als am an auch auf aus bei bin bis da dann das dass dem den der des die du durch ein eine einem einen einer eines er es fur hat hatte ich ihr im in ist ja kann man mit nach nicht noch nur oder sich sie sind so uber um und uns vom von vor war was wie wir wird zu zum zur"
    : "a an and are as at be but by can do does did for from had has have how i if in into is it its me my no not of on or our so " +
    "than that the their them then there these they this to us was we were what when where which who whom why will with would you your")
    .split(" ").forEach(function (w) { stop[w] = true; });
  return { stem: german ? stemGerman : stemEnglish, stop: stop };
}
