// The search box in the top bar: a combobox listing the guides a query
// finds (search.js), with the matched words marked; a result opens the
// matching section with them marked there too (?h=…, see highlight.js).
import { words } from "./words.js";
import { tr } from "./strings.js";

function esc(s) {
  return String(s).replace(/[&<>"']/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
  });
}

// searchBox runs the box whose parts are given: input, results (the
// list) and status (read to screen readers). search is createSearch's.
export function searchBox(input, results, status, search, stem) {
  let selected = -1, asked = 0;

  // marked escapes text and marks the words whose stem was matched.
  function marked(text, stems) {
    let out = "", last = 0;
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
    let first = -1;
    words(text).some(function (t) {
      if (stems[stem(t.w)] || stems[t.w]) { first = t.at; return true; }
      return false;
    });
    if (first < 0) return text.length > 160 ? text.slice(0, 160) + "…" : text;
    const start = Math.max(0, text.lastIndexOf(" ", Math.max(0, first - 50)));
    const end = text.indexOf(" ", first + 110);
    return (start > 0 ? "…" : "") + text.slice(start, end < 0 ? text.length : end).trim() + (end < 0 ? "" : "…");
  }

  function setOpen(open) {
    results.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
    if (!open) { input.removeAttribute("aria-activedescendant"); selected = -1; }
  }
  // show runs a query and lists its results, unless a later query was
  // asked meanwhile; the list is aria-busy until then.
  function show(q) {
    const mine = ++asked;
    if (!q.trim()) { results.removeAttribute("aria-busy"); setOpen(false); if (status) status.textContent = ""; return; }
    results.setAttribute("aria-busy", "true");
    search.load().then(function () { return search.query(q); }).then(function (res) {
      return search.guidesOf(res.hits).then(function (guides) { if (mine === asked) list(q, res, guides); });
    }).catch(function () { if (mine === asked) list(q, { hits: [], stems: [] }, []); });
  }
  function list(q, res, guides) {
    const stems = Object.create(null);
    res.stems.forEach(function (s) { stems[s] = true; });
    const h = encodeURIComponent(res.stems.join(" "));
    const hits = res.hits.filter(function (r, i) { return guides[i] && guides[i].d[r.part]; });
    selected = -1;
    input.removeAttribute("aria-activedescendant");
    if (!hits.length) {
      results.innerHTML = '<li class="empty" role="option" aria-disabled="true" aria-selected="false">' + esc(tr("search.no_match", q.trim())) + "</li>";
    } else {
      results.innerHTML = hits.map(function (r, i) {
        const page = guides[res.hits.indexOf(r)], d = page.d[r.part];
        const url = page.u + "?h=" + h + (d.a ? "#" + encodeURIComponent(d.a) : "");
        const where = [page.s, d.h].filter(Boolean).join(" › ");
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
    const links = results.querySelectorAll("a");
    if (!links.length) return;
    if (results.hidden) setOpen(true);
    if (selected >= 0) links[selected].setAttribute("aria-selected", "false");
    selected = (selected + delta + links.length) % links.length;
    links[selected].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", links[selected].id);
    links[selected].scrollIntoView({ block: "nearest" });
  }

  input.addEventListener("focus", search.load);
  input.addEventListener("input", function () {
    show(input.value);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { e.preventDefault(); move(1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
    else if (e.key === "Enter") {
      const links = results.querySelectorAll("a");
      const target = links[selected >= 0 ? selected : 0];
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
