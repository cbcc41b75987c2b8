// coachbook: opens encrypted report pages in the browser. A locked page
// holds its ciphertext (AES-256-GCM, bound to the page's address) and its
// unit's id, sealed under the build's route key. A passphrase is
// stretched with PBKDF2-SHA256 (each audience has its own salt) into a key
// that opens one entry of reports/keyring.json: the key and address of the
// audience's bundle file, which holds the keys of every unit the audience
// may read. A sign-in link carries that stretched key in its fragment
// (#k=…), which never reaches the host.
//
// What is kept, always under the site's own path (several sites may share
// one origin, as project sites on org.github.io do):
// - sessionStorage: the opened bundle and the stretched key (never the
//   passphrase), so the next page opens without asking and a rebuilt site
//   opens again;
// - other tabs of this site are asked over a BroadcastChannel, so a page
//   opened in a new tab is unlocked when another tab is;
// - with "Remember on this device", IndexedDB keeps the stretched key as a
//   non-extractable CryptoKey.
// tr("lock") forgets all three, in every tab.
(function () {
  "use strict";
  var me = document.currentScript || document.querySelector("script[data-keyring]");
  var ringURL = me && me.getAttribute("data-keyring");
  if (!ringURL || !window.crypto || !crypto.subtle) return;
  var ringPath = new URL(ringURL, location.href).pathname;
  var BASE = ringPath.slice(0, ringPath.length - "reports/keyring.json".length);
  var STORE = "coachbook-keys:" + BASE;
  var sealedEl = document.getElementById("cb-sealed");
  var sealed = sealedEl ? JSON.parse(sealedEl.textContent) : null;
  var channel = window.BroadcastChannel ? new BroadcastChannel("coachbook:" + BASE) : null;
  var enc = new TextEncoder();
  // The words shown, in the site's language (the theme's [unlock] strings,
  // handed over by base.html).
  var strs = {};
  try { strs = JSON.parse(document.getElementById("cb-strings").textContent) || {}; } catch (e) { /* none: keys show */ }
  function tr(key) { return strs["unlock." + key] || key; }

  function loadKeys() {
    try { return JSON.parse(sessionStorage.getItem(STORE) || "null"); } catch (e) { return null; }
  }
  function keep(keys) {
    try { sessionStorage.setItem(STORE, JSON.stringify(keys)); } catch (e) { /* kept for this page only */ }
  }
  function b64(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    var bin = atob(s + "===".slice((s.length + 3) % 4)), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function b64url(buf) {
    var bin = "", a = new Uint8Array(buf);
    for (var i = 0; i < a.length; i++) bin += String.fromCharCode(a[i]);
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function hex(buf) {
    return Array.prototype.map.call(new Uint8Array(buf), function (x) { return (x < 16 ? "0" : "") + x.toString(16); }).join("");
  }
  function aesKey(raw) {
    return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["decrypt"]);
  }
  function decrypt(key, iv, data, aad) {
    return crypto.subtle.decrypt({ name: "AES-GCM", iv: iv, additionalData: enc.encode(aad) }, key, data);
  }
  function inflate(buf) {
    var stream = new Blob([buf]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Response(stream).text();
  }
  // The path a file is published at under the site, which its ciphertext
  // is bound to: a file copied to another address does not open.
  function pathOf(url) {
    var p = decodeURIComponent(new URL(url, location.href).pathname).slice(BASE.length);
    return p === "" || p.charAt(p.length - 1) === "/" ? p + "index.html" : p;
  }
  // Open a sealed file published at path with the bundle's keys.
  function openSealed(keys, s, path) {
    if (!keys || keys.b !== s.b) return Promise.reject(new Error("keys of another build"));
    return aesKey(b64(keys.route)).then(function (route) {
      return decrypt(route, b64(s.n), b64(s.r), path).then(null, function () {
        var e = new Error("sealed for another address");
        e.moved = true; // altered, or copied from another page
        throw e;
      });
    }).then(function (id) {
      var k = keys.keys[hex(id)];
      if (!k) throw new Error("not in this audience's scope");
      return aesKey(b64(k));
    }).then(function (key) {
      return decrypt(key, b64(s.n), b64(s.c), path);
    }).then(inflate);
  }
  // For the theme's own scripts: fetch a sealed JSON file and open it.
  window.coachbookOpen = function (url) {
    return fetch(url).then(function (r) { return r.json(); }).then(function (s) {
      return openSealed(loadKeys(), s, pathOf(url));
    });
  };

  // Remembered keys: one non-extractable CryptoKey per site, in IndexedDB.
  function idb(mode, act) {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) { resolve(null); return; }
      var rq = indexedDB.open("coachbook", 1);
      rq.onupgradeneeded = function () { rq.result.createObjectStore("keys"); };
      rq.onerror = function () { reject(rq.error); };
      rq.onsuccess = function () {
        var db = rq.result, tx = db.transaction("keys", mode), r = act(tx.objectStore("keys"));
        tx.oncomplete = function () { db.close(); resolve(r.result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      };
    });
  }
  function remembered() {
    return idb("readonly", function (st) { return st.get(BASE); }).catch(function () { return null; });
  }

  function forgetSession() {
    try { sessionStorage.removeItem(STORE); } catch (e) { /* storage off: nothing kept */ }
  }
  function forget() {
    forgetSession();
    return idb("readwrite", function (st) { return st.delete(BASE); }).catch(function () { return null; });
  }
  function lockAll() {
    forget().then(function () {
      if (channel) channel.postMessage({ type: "lock" });
      location.reload();
    });
  }

  // Tabs of this site answer each other: a new tab asks for the keys, an
  // unlocked tab gives them; a lock in one tab locks them all. One
  // listener per tab, though this script runs again in an opened page.
  if (channel && !window.coachbookListening) {
    window.coachbookListening = true;
    channel.onmessage = function (ev) {
      var m = ev.data || {};
      if (m.type === "ask") {
        var kept = loadKeys();
        if (kept) channel.postMessage({ type: "keys", keys: kept });
      } else if (m.type === "lock") {
        forgetSession();
        location.reload();
      }
    };
  }
  function askOtherTabs() {
    if (!channel) return Promise.resolve(null);
    return new Promise(function (resolve) {
      var ask = new BroadcastChannel("coachbook:" + BASE);
      var done = function (v) { ask.close(); resolve(v); };
      var timer = setTimeout(function () { done(null); }, 400);
      ask.onmessage = function (ev) {
        if (ev.data && ev.data.type === "keys") { clearTimeout(timer); done(ev.data.keys); }
      };
      ask.postMessage({ type: "ask" });
    });
  }

  // A sign-in link's key, taken out of the address bar at once.
  // "" for a link cut short.
  function takeLinkKey() {
    if (!/^#k=/.test(location.hash)) return null;
    var m = /^#k=([A-Za-z0-9_-]{43})$/.exec(location.hash);
    history.replaceState(history.state, "", location.pathname + location.search);
    return m ? m[1] : "";
  }

  // An opened page, or a page of the playbook: offer to lock, and pass a
  // sign-in link on to the reports.
  if (!sealed) {
    if (/^#k=/.test(location.hash)) {
      location.replace(BASE + "reports/" + location.hash);
      return;
    }
    // The lock button goes on opened reports, not on the playbook's home.
    if (!loadKeys() || location.pathname.indexOf(BASE + "reports/") !== 0) return;
    var main = document.getElementById("main");
    if (!main) return;
    var bar = document.createElement("div");
    bar.className = "unlocked-bar";
    var lock = document.createElement("button");
    lock.type = "button";
    lock.className = "lock-button";
    lock.textContent = tr("lock");
    lock.addEventListener("click", lockAll);
    bar.appendChild(lock);
    main.insertBefore(bar, main.firstChild);
    return;
  }

  var box = document.getElementById("locked");
  var form = document.getElementById("unlock-form");
  var input = document.getElementById("unlock-pass");
  var rememberBox = document.getElementById("unlock-remember");
  var status = document.getElementById("unlock-status");
  var pages = document.getElementById("unlock-pages");
  var list = document.getElementById("unlock-list");
  var here = pathOf(location.href);

  function say(msg, isError) {
    status.textContent = msg;
    status.classList.toggle("is-error", !!isError);
  }

  if (!window.DecompressionStream) {
    form.hidden = true;
    var p = document.createElement("p");
    p.className = "locked-note";
    p.textContent = tr("no_crypto");
    box.appendChild(p);
    return;
  }

  // Replace the locked page by the decrypted one: scripts, styles and
  // links all come back as if the page had been served in the clear.
  function show(html) {
    document.open();
    document.write(html);
    document.close();
    // A window runs a module once: the theme's scripts (js/site.js),
    // which ran on the locked page, are started again on this one.
    var main = document.querySelector('script[type="module"][src]');
    if (main) {
      import(main.src).then(function (m) { if (m.start) m.start(); }, function () { /* the page works without them */ });
    }
  }

  // true when the page opened, "moved" when its ciphertext does not
  // belong at this address, false when the keys do not cover it.
  function tryPage(keys) {
    return openSealed(keys, sealed, here).then(function (html) {
      show(html);
      return true;
    }, function (e) { return e && e.moved ? "moved" : false; });
  }

  function listPages(keys) {
    list.textContent = "";
    var group = null, ul = null;
    keys.pages.forEach(function (e) {
      if (e.g !== group) {
        group = e.g;
        var h = document.createElement("h3");
        h.textContent = group;
        ul = document.createElement("ul");
        list.appendChild(h);
        list.appendChild(ul);
      }
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = e.u;
      a.textContent = e.t;
      li.appendChild(a);
      ul.appendChild(li);
    });
    pages.hidden = keys.pages.length === 0;
  }

  function refuse(keys) {
    // On the reports index, an audience that may not read it goes to its
    // own: the at-a-glance table of its scope.
    if (sealed.i && keys.home && keys.home !== location.pathname) {
      location.replace(keys.home);
      return;
    }
    listPages(keys);
    form.hidden = false;
    if (sealed.i) {
      say(tr("opens_below"));
      return;
    }
    say(tr("other_team"), true);
  }

  function fetchRing() {
    return fetch(ringURL, { cache: "no-cache" }).then(function (r) {
      if (!r.ok) throw new Error("keyring " + r.status);
      return r.json();
    });
  }

  // Open the key file's entry that kek opens, then the bundle file it
  // names; null when kek opens no entry.
  function openBundle(ring, kek) {
    var aad = "coachbook keyring\u0000" + ring.b;
    return Promise.all(ring.bundles.map(function (w) {
      return decrypt(kek, b64(w.n), b64(w.c), aad).then(null, function () { return null; });
    })).then(function (opened) {
      var entry = opened.filter(Boolean)[0];
      if (!entry) return null;
      var path = "reports/" + hex(entry.slice(32)) + ".json";
      return fetch(BASE + path).then(function (r) {
        if (!r.ok) throw new Error("bundle " + r.status);
        return r.json();
      }).then(function (s) {
        return aesKey(entry.slice(0, 32)).then(function (k) { return decrypt(k, b64(s.n), b64(s.c), path); });
      }).then(function (framed) {
        var n = new DataView(framed).getUint32(0);
        return inflate(framed.slice(4, 4 + n));
      }).then(function (text) {
        var b = JSON.parse(text);
        return { b: ring.b, keys: b.keys, route: b.route, pages: b.pages || [], home: b.home || "" };
      });
    });
  }

  // Unlock with a stretched key (raw bytes, from a link or an earlier
  // unlock this session); keepRaw keeps it for this session. ring is the
  // key file when it was just fetched.
  function unlockRaw(raw, keepRaw, ring) {
    return (ring ? Promise.resolve(ring) : fetchRing()).then(function (ring) {
      return aesKey(raw).then(function (kek) { return openBundle(ring, kek); });
    }).then(function (keys) {
      if (keys && keepRaw) keys.k = b64url(raw);
      if (keys) keep(keys);
      return keys;
    });
  }

  // The entries a passphrase made by `coachbook keys new` is meant for
  // come first: their hint is a hash of the salt and the passphrase's
  // first group (see HintOf in site/access).
  function hintedFirst(ring, pass) {
    var m = /^([a-z2-7]{5})-[a-z2-7]{5}-[a-z2-7]{5}-[a-z2-7]{5}-[a-z2-7]{6}$/.exec(pass);
    if (!m) return Promise.resolve(ring.bundles);
    return Promise.all(ring.bundles.map(function (w) {
      var salt = b64(w.s), head = enc.encode("coachbook hint\u0000"), group = enc.encode(m[1]);
      var msg = new Uint8Array(head.length + salt.length + group.length);
      msg.set(head, 0);
      msg.set(salt, head.length);
      msg.set(group, head.length + salt.length);
      return crypto.subtle.digest("SHA-256", msg).then(function (d) { return hex(d.slice(0, 4)) === w.h; });
    })).then(function (match) {
      return ring.bundles.filter(function (w, i) { return match[i]; }).concat(ring.bundles.filter(function (w, i) { return !match[i]; }));
    });
  }

  // Unlock with a passphrase: stretch it with each audience's salt in
  // turn until a key opens an entry. One at a time: the browser runs
  // WebCrypto's work in one queue, and the first success ends the search.
  function unlock(pass, remember) {
    say(tr("opening"));
    var ring;
    return fetchRing().then(function (r) {
      ring = r;
      return hintedFirst(ring, pass);
    }).then(function (entries) {
      var aad = "coachbook keyring\u0000" + ring.b;
      var base = crypto.subtle.importKey("raw", enc.encode(pass), "PBKDF2", false, ["deriveBits"]);
      function attempt(i) {
        if (i >= entries.length) return Promise.resolve(null);
        var w = entries[i], raw;
        return base.then(function (k) {
          return crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: b64(w.s), iterations: ring.iter }, k, 256);
        }).then(function (bits) {
          raw = bits;
          return aesKey(raw);
        }).then(function (kek) {
          return decrypt(kek, b64(w.n), b64(w.c), aad).then(function () { return raw; }, function () { return attempt(i + 1); });
        });
      }
      return attempt(0).then(function (raw) {
        if (!raw) return null;
        if (!remember) return unlockRaw(raw, true, ring);
        return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["decrypt"]).then(function (kek) {
          return idb("readwrite", function (st) { return st.put(kek, BASE); }).then(function () {
            return openBundle(ring, kek);
          });
        }).then(function (keys) {
          if (keys) keep(keys);
          return keys;
        });
      });
    });
  }

  function opened(keys) {
    return tryPage(keys).then(function (ok) {
      if (ok === "moved") {
        listPages(keys);
        say(tr("altered"), true);
      } else if (!ok) {
        refuse(keys);
      }
      return true;
    });
  }

  function askForPassphrase(msg) {
    form.hidden = false;
    if (msg) say(msg, true);
    if (document.activeElement === document.body) input.focus();
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var pass = input.value;
    if (!pass) { say(tr("enter"), true); input.focus(); return; }
    var button = form.querySelector("button");
    button.disabled = true;
    unlock(pass, rememberBox && rememberBox.checked).then(function (keys) {
      button.disabled = false;
      if (!keys) {
        say(tr("wrong"), true);
        input.select();
        input.focus();
        return;
      }
      input.value = "";
      return opened(keys);
    }).catch(function () {
      button.disabled = false;
      say(tr("no_keyring"), true);
    });
  });

  document.getElementById("unlock-forget").addEventListener("click", lockAll);

  // Where the keys may come from, in order: a sign-in link, this tab's
  // session, the device, another tab of this site; else ask.
  var link = takeLinkKey();
  var kept = loadKeys();
  var note = null; // why the passphrase is asked for
  var start;
  if (link === "") {
    start = Promise.resolve(false);
    note = tr("link_incomplete");
  } else if (link) {
    start = unlockRaw(b64(link), true).then(function (keys) {
      if (keys) return opened(keys);
      askForPassphrase(tr("link_stale"));
      return true;
    });
  } else if (kept && kept.b === sealed.b) {
    start = opened(kept);
  } else {
    start = (kept && kept.k ? unlockRaw(b64(kept.k), true) : Promise.resolve(null)).then(function (keys) {
      if (keys) return keys;
      if (kept) forgetSession(); // keys of an older build open nothing here
      return remembered().then(function (kek) {
        if (!kek) return null;
        return fetchRing().then(function (ring) { return openBundle(ring, kek); }).then(function (keys) {
          if (keys) {
            keep(keys);
            return keys;
          }
          forget(); // its passphrase was changed
          note = tr("remembered_stale");
          return null;
        });
      });
    }).then(function (keys) {
      return keys || askOtherTabs().then(function (keys) {
        if (!keys) return null;
        if (keys.b === sealed.b) { keep(keys); return keys; }
        return keys.k ? unlockRaw(b64(keys.k), true) : null;
      });
    }).then(function (keys) {
      if (keys) return opened(keys);
      return false;
    });
  }
  start.then(function (done) {
    if (!done) askForPassphrase(note);
  }, function () {
    askForPassphrase(tr("no_keyring_reload"));
  });
})();
