// coachbook default theme: the phone menu, the light/dark switch, search
// over the index in search/, highlighting the current section in "On this
// page", scrolling tables, copy buttons on code, and fetching a page
// before its link is clicked. Every page works without it; it only adds
// convenience.
//
// The scripts are ES modules, served as they are: base.html loads this
// one, and its import map gives each module the address with its version,
// so a browser never runs a new module with an old one from its cache.
import { phoneMenu, darkSwitch } from "./menu.js";
import { scrollingTables, copyButtons, watchOverflow, printedLinks } from "./prose.js";
import { language } from "./words.js";
import { createSearch } from "./search.js";
import { searchBox } from "./search-box.js";
import { markSearched } from "./highlight.js";
import { prefetchLinks } from "./prefetch.js";
import { followToc } from "./toc.js";

// start runs the scripts on the document, once: at load, and again
// from unlock.js on a report page it has decrypted into the same window,
// where the browser does not run a module a second time.
export function start() {
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start, { once: true });
    return;
  }
  const root = document.documentElement;
  if (root.coachbookStarted) return;
  root.coachbookStarted = true;

  const menu = document.querySelector(".menu-button");
  if (menu) phoneMenu(menu);
  const themeButton = document.querySelector(".theme-button");
  if (themeButton) darkSwitch(themeButton);

  const scrollers = scrollingTables();
  copyButtons();
  printedLinks();
  watchOverflow(scrollers);

  // The words of a query are read as the index read the guides': in the
  // page's language.
  const lang = language(document.documentElement.lang);
  const base = document.body.getAttribute("data-base") || "/";
  function fetchFile(path, stamp) {
    const fresh = stamp === undefined;
    return fetch(base + path + (fresh ? "" : "?v=" + stamp), fresh ? { cache: "no-cache" } : undefined)
      .then(function (r) { return r.ok ? r.arrayBuffer() : null; });
  }
  const input = document.getElementById("search-input");
  const results = document.getElementById("search-results");
  if (input && results) {
    searchBox(input, results, document.getElementById("search-status"), createSearch(fetchFile, lang.stem, lang.stop), lang.stem);
  }

  const wanted = new URLSearchParams(location.search).get("h");
  const article = document.querySelector("main .guide") || document.querySelector("main");
  if (wanted && article) markSearched(article, wanted, lang.stem);

  prefetchLinks();
  followToc(document.querySelectorAll(".toc a"));
}

start();
