// A page opened from a search result marks the words searched for: the
// result's address carries their stems (?h=…).
import { words } from "./words.js";

// markSearched marks, in article, every word whose stem (or itself) is
// one of wanted's space-separated stems.
export function markSearched(article, wanted, stem) {
  const want = Object.create(null);
  wanted.split(/\s+/).filter(Boolean).forEach(function (s) { want[s] = true; });
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
    acceptNode: function (n) {
      return n.parentElement.closest("script, style, mark, .anchor, .visually-hidden") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
    }
  });
  const texts = [];
  while (walker.nextNode()) texts.push(walker.currentNode);
  texts.forEach(function (node) {
    const text = node.nodeValue, hits = words(text).filter(function (t) { return want[stem(t.w)] || want[t.w]; });
    if (!hits.length) return;
    const frag = document.createDocumentFragment();
    let last = 0;
    hits.forEach(function (t) {
      frag.appendChild(document.createTextNode(text.slice(last, t.at)));
      const m = document.createElement("mark");
      m.className = "search-hit";
      m.textContent = text.slice(t.at, t.at + t.len);
      frag.appendChild(m);
      last = t.at + t.len;
    });
    frag.appendChild(document.createTextNode(text.slice(last)));
    node.parentNode.replaceChild(frag, node);
  });
}
