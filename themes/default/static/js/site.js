// coachbook default theme: the phone menu, the light/dark switch, search
// over search.json, and highlighting the current section in "On this page".
// Every page works without it; it only adds convenience.
(function () {
  "use strict";
  var doc = document.documentElement;
  var base = document.body.getAttribute("data-base") || "/";

  // Phone menu.
  var menu = document.querySelector(".menu-button");
  if (menu) {
    menu.addEventListener("click", function () {
      var open = document.body.classList.toggle("nav-open");
      menu.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && document.body.classList.contains("nav-open")) {
        document.body.classList.remove("nav-open");
        menu.setAttribute("aria-expanded", "false");
        menu.focus();
      }
    });
  }

  // Light / dark switch: remembers an explicit choice, else follows the system.
  // The button is a toggle for dark mode: aria-pressed says whether it is on.
  var themeButton = document.querySelector(".theme-button");
  function isDark() {
    return doc.dataset.theme ? doc.dataset.theme === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
  }
  if (themeButton) {
    themeButton.setAttribute("aria-pressed", String(isDark()));
    themeButton.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      doc.dataset.theme = next;
      themeButton.setAttribute("aria-pressed", String(next === "dark"));
      try { localStorage.setItem("coachbook-theme", next); } catch (e) {}
    });
  }

  // Wide tables: every table of the page sits in a region that scrolls
  // sideways, can be reached with the keyboard, is named after its heading,
  // and says when columns are hidden.
  function headingBefore(el) {
    for (var n = el; n && n !== document.body; n = n.parentElement) {
      for (var p = n.previousElementSibling; p; p = p.previousElementSibling) {
        if (/^H[1-6]$/.test(p.tagName)) return p.textContent.trim();
        var h = p.querySelector && p.querySelectorAll("h1,h2,h3,h4,h5,h6");
        if (h && h.length) return h[h.length - 1].textContent.trim();
      }
    }
    return "";
  }
  var scrollers = [];
  document.querySelectorAll("main table").forEach(function (table) {
    if (table.closest(".table-scroll, .agenda")) return;
    var wrap = document.createElement("div");
    wrap.className = "table-scroll";
    table.parentNode.insertBefore(wrap, table);
    wrap.appendChild(table);
  });
  document.querySelectorAll(".table-scroll").forEach(function (wrap) {
    if (!wrap.hasAttribute("tabindex")) wrap.tabIndex = 0;
    if (!wrap.getAttribute("role")) wrap.setAttribute("role", "region");
    if (!wrap.getAttribute("aria-label") && !wrap.getAttribute("aria-labelledby")) {
      var table = wrap.querySelector("table"), caption = table && table.caption;
      var name = caption ? caption.textContent.trim() : headingBefore(wrap);
      wrap.setAttribute("aria-label", name ? "Table: " + name : "Table");
    }
    scrollers.push(wrap);
  });
  // A copy button on every code block.
  if (navigator.clipboard) {
    document.querySelectorAll(".prose pre").forEach(function (pre) {
      var box = document.createElement("div");
      box.className = "code-block";
      pre.parentNode.insertBefore(box, pre);
      box.appendChild(pre);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-code";
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy the code");
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(pre.textContent).then(function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = "Copy"; }, 1500);
        });
      });
      box.appendChild(button);
    });
  }

  function markOverflow() {
    scrollers.forEach(function (w) { w.classList.toggle("overflows", w.scrollWidth > w.clientWidth + 1); });
  }
  if (scrollers.length) {
    markOverflow();
    addEventListener("resize", markOverflow);
  }

  // Search.
  var input = document.getElementById("search-input");
  var results = document.getElementById("search-results");
  var index = null, loading = null, selected = -1;

  function load() {
    if (!loading) {
      loading = fetch(base + "search.json").then(function (r) { return r.json(); })
        .then(function (data) { index = data; return data; })
        .catch(function () { index = []; return index; });
    }
    return loading;
  }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function mark(text, terms) {
    var out = esc(text);
    terms.forEach(function (t) {
      if (t.length < 2) return;
      out = out.replace(new RegExp("(" + t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + ")", "ig"), "<mark>$1</mark>");
    });
    return out;
  }
  function snippet(text, term) {
    var i = text.toLowerCase().indexOf(term);
    if (i < 0) return "";
    var start = Math.max(0, i - 60);
    return (start > 0 ? "…" : "") + text.slice(start, i + 100) + "…";
  }
  // score ranks a guide: every term must appear somewhere; title hits weigh
  // most, then headings, summary and body text.
  function score(entry, terms) {
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var t = terms[i], s = 0;
      if (entry.t.toLowerCase().indexOf(t) >= 0) s += 10;
      var hs = entry.h || [];
      for (var j = 0; j < hs.length; j++) if (hs[j].toLowerCase().indexOf(t) >= 0) { s += 5; break; }
      if ((entry.d || "").toLowerCase().indexOf(t) >= 0) s += 3;
      if ((entry.x || "").toLowerCase().indexOf(t) >= 0) s += 1;
      if (!s) return 0;
      total += s;
    }
    return total;
  }
  function show(q) {
    var terms = q.toLowerCase().split(/\s+/).filter(Boolean);
    if (!terms.length) { results.hidden = true; return; }
    var hits = index.map(function (e) { return { e: e, s: score(e, terms) }; })
      .filter(function (h) { return h.s > 0; })
      .sort(function (a, b) { return b.s - a.s; }).slice(0, 12);
    selected = -1;
    if (!hits.length) {
      results.innerHTML = '<li class="empty">No guide mentions “' + esc(q) + '”.</li>';
    } else {
      results.innerHTML = hits.map(function (h) {
        var e = h.e, url = e.u, where = e.s || "";
        var hs = e.h || [];
        for (var j = 0; j < hs.length; j++) {
          if (hs[j].toLowerCase().indexOf(terms[0]) >= 0) { url += "#" + e.a[j]; where = (where ? where + " › " : "") + hs[j]; break; }
        }
        var text = snippet(e.x || "", terms[0]) || e.d || "";
        return '<li><a href="' + esc(url) + '"><span class="r-title">' + mark(e.t, terms) + "</span> " +
          (where ? '<span class="r-where">' + esc(where) + "</span>" : "") +
          '<span class="r-text">' + mark(text, terms) + "</span></a></li>";
      }).join("");
    }
    results.hidden = false;
  }
  function move(delta) {
    var links = results.querySelectorAll("a");
    if (!links.length) return;
    if (selected >= 0) links[selected].removeAttribute("aria-selected");
    selected = (selected + delta + links.length) % links.length;
    links[selected].setAttribute("aria-selected", "true");
    links[selected].scrollIntoView({ block: "nearest" });
  }
  if (input && results) {
    input.addEventListener("focus", load);
    input.addEventListener("input", function () {
      var q = input.value.trim();
      if (index) show(q); else load().then(function () { show(input.value.trim()); });
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); move(1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
      else if (e.key === "Enter") {
        var links = results.querySelectorAll("a");
        var target = links[selected >= 0 ? selected : 0];
        if (target) { e.preventDefault(); location.href = target.href; }
      } else if (e.key === "Escape") { results.hidden = true; input.blur(); }
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "/" && document.activeElement !== input && !/INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName)) {
        e.preventDefault(); input.focus();
      }
    });
    document.addEventListener("click", function (e) {
      if (!e.target.closest(".search")) results.hidden = true;
    });
  }

  // "On this page": mark the section being read.
  var tocLinks = document.querySelectorAll(".toc a");
  if (tocLinks.length && "IntersectionObserver" in window) {
    var byId = {};
    tocLinks.forEach(function (a) { byId[decodeURIComponent(a.hash.slice(1))] = a; });
    var visible = {};
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (en) { visible[en.target.id] = en.isIntersecting; });
      var first = null;
      Object.keys(byId).some(function (id) { if (visible[id]) { first = id; return true; } return false; });
      if (first) {
        tocLinks.forEach(function (a) { a.classList.remove("active"); });
        byId[first].classList.add("active");
      }
    }, { rootMargin: "-64px 0px -60% 0px" });
    Object.keys(byId).forEach(function (id) {
      var el = document.getElementById(id);
      if (el) observer.observe(el);
    });
  }
})();
