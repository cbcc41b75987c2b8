// "On this page": the link of the section being read is marked active.

export function followToc(tocLinks) {
  if (!tocLinks.length || !("IntersectionObserver" in window)) return;
  const byId = {};
  tocLinks.forEach(function (a) { byId[decodeURIComponent(a.hash.slice(1))] = a; });
  const visible = {};
  const observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (en) { visible[en.target.id] = en.isIntersecting; });
    let first = null;
    Object.keys(byId).some(function (id) { if (visible[id]) { first = id; return true; } return false; });
    if (first) {
      tocLinks.forEach(function (a) { a.classList.remove("active"); });
      byId[first].classList.add("active");
    }
  }, { rootMargin: "-64px 0px -60% 0px" });
  Object.keys(byId).forEach(function (id) {
    const el = document.getElementById(id);
    if (el) observer.observe(el);
  });
}
