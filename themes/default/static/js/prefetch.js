// Instant navigation: a page is fetched while the pointer rests on its
// link, a finger touches it or the keyboard focuses it, so the click
// shows it at once. Links stay plain links: without this script, and for
// back, forward and the scroll position, the browser does as it always
// does. Nothing is fetched with Data Saver on, nor files other than pages.

export function prefetchLinks() {
  if (navigator.connection && navigator.connection.saveData) return;
  const fetched = {};
  function prefetch(a) {
    if (!a || a.origin !== location.origin || a.target || a.hasAttribute("download")) return;
    if (a.pathname === location.pathname || !/(\/|\.html)$/.test(a.pathname)) return;
    const url = a.href.split("#")[0];
    if (fetched[url]) return;
    fetched[url] = true;
    const link = document.createElement("link");
    link.rel = "prefetch";
    link.href = url;
    document.head.appendChild(link);
  }
  let hover = null;
  const linkOf = function (e) { return e.target.closest ? e.target.closest("a[href]") : null; };
  document.addEventListener("pointerover", function (e) {
    const a = linkOf(e);
    clearTimeout(hover);
    if (a) hover = setTimeout(function () { prefetch(a); }, 65);
  });
  document.addEventListener("touchstart", function (e) { prefetch(linkOf(e)); }, { passive: true });
  document.addEventListener("focusin", function (e) { prefetch(linkOf(e)); });
}
