// What the page's text gets: wide tables that scroll, copy buttons on
// code, and printed links that name their full address.
import { tr } from "./strings.js";

function headingBefore(el) {
  for (let n = el; n && n !== document.body; n = n.parentElement) {
    for (let p = n.previousElementSibling; p; p = p.previousElementSibling) {
      if (/^H[1-6]$/.test(p.tagName)) return p.textContent.trim();
      const h = p.querySelector && p.querySelectorAll("h1,h2,h3,h4,h5,h6");
      if (h && h.length) return h[h.length - 1].textContent.trim();
    }
  }
  return "";
}

// scrollingTables puts every table of the page in a region that scrolls
// sideways, can be reached with the keyboard, is named after its heading,
// and says when columns are hidden.
export function scrollingTables() {
  const scrollers = [];
  document.querySelectorAll("main table").forEach(function (table) {
    if (table.closest(".table-scroll, .agenda")) return;
    const wrap = document.createElement("div");
    wrap.className = "table-scroll";
    table.parentNode.insertBefore(wrap, table);
    wrap.appendChild(table);
  });
  document.querySelectorAll(".table-scroll").forEach(function (wrap) {
    if (!wrap.hasAttribute("tabindex")) wrap.tabIndex = 0;
    if (!wrap.getAttribute("role")) wrap.setAttribute("role", "region");
    if (!wrap.getAttribute("aria-label") && !wrap.getAttribute("aria-labelledby")) {
      const table = wrap.querySelector("table"), caption = table && table.caption;
      const name = caption ? caption.textContent.trim() : headingBefore(wrap);
      wrap.setAttribute("aria-label", name ? tr("search.table_named", name) : tr("search.table"));
    }
    scrollers.push(wrap);
  });
  return scrollers;
}

// copyButtons adds a copy button to every code block.
export function copyButtons() {
  if (!navigator.clipboard) return;
  document.querySelectorAll(".prose pre").forEach(function (pre) {
    const box = document.createElement("div");
    box.className = "code-block";
    pre.parentNode.insertBefore(box, pre);
    box.appendChild(pre);
    const button = document.createElement("button");
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

// watchOverflow marks the scrollers whose table is wider than they are,
// now and whenever the window changes size; a table whose columns are
// periods opens scrolled to the one in progress (its heading has
// data-now), just right of the rows' names.
export function watchOverflow(scrollers) {
  function markOverflow() {
    scrollers.forEach(function (w) { w.classList.toggle("overflows", w.scrollWidth > w.clientWidth + 1); });
  }
  document.querySelectorAll('.table-scroll[data-open-at="now"]').forEach(function (w) {
    var now = w.querySelector("[data-now]"), name = w.querySelector('tbody th[scope="row"]');
    if (now) w.scrollLeft += now.getBoundingClientRect().left - (name || w).getBoundingClientRect()[name ? "right" : "left"];
  });
  if (scrollers.length) {
    markOverflow();
    addEventListener("resize", markOverflow);
  }
}

// printedLinks lets print styles name each link's full address, not a
// path of this site: the address the page was read at over http (the
// site's base URL when it is published), nothing for a page opened from
// disk or a link within it.
export function printedLinks() {
  if (!/^https?:$/.test(location.protocol)) return;
  document.querySelectorAll("main a[href]").forEach(function (a) {
    if (a.getAttribute("href").charAt(0) !== "#") a.setAttribute("data-abs", a.href);
  });
}
