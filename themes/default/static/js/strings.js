// The words the scripts show, in the site's language: base.html hands
// over the theme's [search] strings as JSON in #cb-strings.
let strs = null;

// tr is the text of key: {0} is filled with n, and key.one is picked for
// a count of 1. A key the strings lack shows as itself.
export function tr(key, n) {
  if (strs === null) {
    try { strs = JSON.parse(document.getElementById("cb-strings").textContent) || {}; } catch (e) { strs = {}; }
  }
  const s = (n === 1 && strs[key + ".one"]) || strs[key] || key;
  return n === undefined ? s : s.replace("{0}", n);
}
