package render

import (
	"bytes"
	"html"
	"html/template"
	"io/fs"
	"path"

	"github.com/coachbook/coachbook/site/content"
	"github.com/coachbook/coachbook/themes"
)

// LockedPage is the data of locked.html, the shell an encrypted report
// page is published in: a generic title and the unlock form. It names no
// rep, team or period; the page's ciphertext is spliced in after rendering.
type LockedPage struct {
	Base
	Keyring string // URL of the key file
}

// Locked renders the shell of encrypted report pages once per build, and
// returns it with the script tag that loads the unlock script (added to
// every page before encryption, for its lock button). The layout must hold
// the sealed-data slot that access.Slot names.
func (r *Renderer) Locked(s *content.Site, keyring string) ([]byte, string, error) {
	if r.navByDir == nil {
		if err := r.buildNav(s); err != nil {
			return nil, "", err
		}
	}
	partials, err := fs.Glob(r.theme, "layouts/partials/*.html")
	if err != nil {
		return nil, "", err
	}
	t := template.New("base.html").Funcs(r.funcs()).Funcs(r.reportFuncs()).Funcs(r.flowFuncs())
	for i, f := range append([]string{"layouts/base.html", "layouts/locked.html"}, partials...) {
		src, err := fs.ReadFile(r.theme, f)
		if err != nil {
			return nil, "", err
		}
		target := t
		if i > 0 {
			target = t.New(path.Base(f))
		}
		if _, err := target.Parse(string(src)); err != nil {
			d := r.templateDiag(err)
			d.File = themes.Origin(r.site, r.cfg.Theme, "layouts/locked.html")
			return nil, "", d
		}
	}
	data := LockedPage{Base: r.base("locked", s.Root, r.tr("unlock.page_title"), "/reports/"), Keyring: r.url(keyring)}
	data.NoIndex = true
	data.Crumbs = nil
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "base.html", data); err != nil {
		return nil, "", r.templateDiag(err)
	}
	src, ok := r.assets["js/unlock.js"]
	if !ok {
		src = r.url("js/unlock.js")
	}
	return buf.Bytes(), `<script src="` + html.EscapeString(src) + `" data-keyring="` + html.EscapeString(data.Keyring) + `" defer></script>`, nil
}
