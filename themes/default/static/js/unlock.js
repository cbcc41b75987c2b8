// coachbook: opens encrypted report pages in the browser. A locked page
// holds its ciphertext (AES-256-GCM) and the id of its unit's key. The
// passphrase is stretched with PBKDF2-SHA256 into a key that opens one
// audience's bundle in reports/keyring.json: the keys of every unit the
// audience may read. Those keys (never the passphrase) are kept in
// sessionStorage, so the next page opens without asking; tr("lock")
// forgets them. On an opened page this script only adds the lock button.
(function () {
  "use strict";
  var STORE = "coachbook-report-keys";
  var sealedEl = document.getElementById("cb-sealed");
  var sealed = sealedEl ? JSON.parse(sealedEl.textContent) : null;
  // The words shown, in the site's language (the theme's [unlock] strings,
  // handed over by base.html).
  var strs = {};
  try { strs = JSON.parse(document.getElementById("cb-strings").textContent) || {}; } catch (e) { /* none: keys show */ }
  function tr(key) { return strs["unlock." + key] || key; }

  function loadKeys() {
    try { return JSON.parse(sessionStorage.getItem(STORE) || "null"); } catch (e) { return null; }
  }
  function forget() {
    try { sessionStorage.removeItem(STORE); } catch (e) { /* storage off: nothing kept */ }
  }
  function b64(s) {
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function aesKey(raw) {
    return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["decrypt"]);
  }
  // Decrypt, then inflate: the plaintext was compressed (raw DEFLATE).
  function open(key, s) {
    return crypto.subtle.decrypt({ name: "AES-GCM", iv: b64(s.n) }, key, b64(s.c)).then(function (buf) {
      var stream = new Blob([buf]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
      return new Response(stream).text();
    });
  }

  // An opened page: offer to lock.
  if (!sealed) {
    if (!loadKeys()) return;
    var main = document.getElementById("main");
    if (!main) return;
    var bar = document.createElement("div");
    bar.className = "unlocked-bar";
    var lock = document.createElement("button");
    lock.type = "button";
    lock.className = "lock-button";
    lock.textContent = tr("lock");
    lock.addEventListener("click", function () { forget(); location.reload(); });
    bar.appendChild(lock);
    main.insertBefore(bar, main.firstChild);
    return;
  }

  var box = document.getElementById("locked");
  var form = document.getElementById("unlock-form");
  var input = document.getElementById("unlock-pass");
  var status = document.getElementById("unlock-status");
  var pages = document.getElementById("unlock-pages");
  var list = document.getElementById("unlock-list");

  function say(msg, isError) {
    status.textContent = msg;
    status.classList.toggle("is-error", !!isError);
  }

  if (!window.crypto || !crypto.subtle || !window.DecompressionStream) {
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
  }

  function tryPage(keys) {
    var k = keys.keys[sealed.u];
    if (keys.b !== sealed.b || !k) return Promise.resolve(false);
    return aesKey(b64(k)).then(function (key) { return open(key, sealed); }).then(function (html) {
      show(html);
      return true;
    }, function () { return false; });
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
    listPages(keys);
    form.hidden = false;
    if (sealed.i) {
      say(tr("opens_below"));
      return;
    }
    say(tr("other_team"), true);
  }

  function unlock(pass) {
    say(tr("opening"));
    return fetch(box.getAttribute("data-keyring"), { cache: "no-cache" }).then(function (r) {
      if (!r.ok) throw new Error("keyring " + r.status);
      return r.json();
    }).then(function (ring) {
      return crypto.subtle.importKey("raw", new TextEncoder().encode(pass), "PBKDF2", false, ["deriveBits"]).then(function (base) {
        return crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: b64(ring.salt), iterations: ring.iter }, base, 256);
      }).then(aesKey).then(function (kek) {
        // Each bundle belongs to one audience; the passphrase opens at most one.
        var tries = ring.bundles.map(function (s) {
          return open(kek, s).then(JSON.parse, function () { return null; });
        });
        return Promise.all(tries);
      }).then(function (opened) {
        var bundle = opened.filter(Boolean)[0];
        if (!bundle) return null;
        var keys = { b: ring.b, keys: bundle.keys, pages: bundle.pages || [] };
        try { sessionStorage.setItem(STORE, JSON.stringify(keys)); } catch (e) { /* kept for this page only */ }
        return keys;
      });
    });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var pass = input.value;
    if (!pass) { say(tr("enter"), true); input.focus(); return; }
    var button = form.querySelector("button");
    button.disabled = true;
    unlock(pass).then(function (keys) {
      button.disabled = false;
      if (!keys) {
        say(tr("wrong"), true);
        input.select();
        input.focus();
        return;
      }
      input.value = "";
      return tryPage(keys).then(function (ok) { if (!ok) refuse(keys); });
    }).catch(function () {
      button.disabled = false;
      say(tr("no_keyring"), true);
    });
  });

  document.getElementById("unlock-forget").addEventListener("click", function () {
    forget();
    location.reload();
  });

  var kept = loadKeys();
  if (kept && kept.b === sealed.b) {
    tryPage(kept).then(function (ok) {
      if (!ok) refuse(kept);
    });
  } else {
    if (kept) forget(); // keys of an older build open nothing here
    form.hidden = false;
    if (document.activeElement === document.body) input.focus();
  }
})();
