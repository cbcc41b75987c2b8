// The phone menu and the light / dark switch.

// phoneMenu opens and closes the sidebar from the menu button; Escape
// closes it and gives the button the focus back.
export function phoneMenu(menu) {
  menu.addEventListener("click", function () {
    const open = document.body.classList.toggle("nav-open");
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

// darkSwitch remembers an explicit choice, else follows the system. The
// button is a toggle for dark mode: aria-pressed says whether it is on.
export function darkSwitch(button) {
  const doc = document.documentElement;
  function isDark() {
    return doc.dataset.theme ? doc.dataset.theme === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
  }
  button.setAttribute("aria-pressed", String(isDark()));
  button.addEventListener("click", function () {
    const next = isDark() ? "light" : "dark";
    doc.dataset.theme = next;
    button.setAttribute("aria-pressed", String(next === "dark"));
    try { localStorage.setItem("coachbook-theme", next); } catch (e) { /* private mode: not remembered */ }
  });
}
