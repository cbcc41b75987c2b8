package serve

import (
	"bytes"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"github.com/coachbook/coachbook/site/diag"
)

type problem struct {
	diag.Diagnostic
	Path    string // absolute, for the editor
	Lines   []diag.SourceLine
	Warning bool
}

type errorData struct {
	Summary  string
	Problems []problem
	More     int // problems not listed
}

var errorTmpl = template.Must(template.New("error").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed · coachbook</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #fff7f6; color: #1d232b; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.25rem; }
h1 { color: #b3261e; margin: 0 0 .25rem; font-size: 1.6rem; }
.lead { color: #5b6673; margin-top: 0; }
.problem { background: #fff; border: 1px solid #f0c9c5; border-left: 5px solid #b3261e; border-radius: 8px; padding: 1rem 1.25rem; margin: 1rem 0; }
.problem.warning { border-color: #ecd9a8; border-left-color: #8a6416; }
.pos { font: 600 .95rem ui-monospace, Menlo, Consolas, monospace; }
.msg { margin: .35rem 0 .75rem; font-size: 1.05rem; }
pre { margin: 0; background: #f6f7f9; border-radius: 6px; padding: .5rem 0; overflow-x: auto; font: .85rem/1.5 ui-monospace, Menlo, Consolas, monospace; }
pre span { display: block; padding: 0 .75rem; white-space: pre; }
pre .bad { background: #fbe3e0; }
pre b { display: inline-block; width: 3.5em; color: #8a94a0; font-weight: 400; user-select: none; }
.hint { color: #5b6673; font-size: .9rem; }
@media (prefers-color-scheme: dark) {
  body { background: #1b1414; color: #e4e8ed; } .problem { background: #221a1a; border-color: #4a2b29; }
  pre { background: #14181d; } pre .bad { background: #3a1d1b; } h1 { color: #f08b84; }
}
</style>
</head>
<body>
<main>
<h1>The site did not build</h1>
<p class="lead">{{.Summary}}. Fix the file and save it: this page reloads by itself. The last good version of the site is kept until then.</p>
{{range .Problems}}
<section class="problem{{if .Warning}} warning{{end}}">
  <div class="pos">{{.Pos}}{{if .Warning}} · warning{{end}}</div>
  <p class="msg">{{.Msg}}</p>
  {{- if .Lines}}
  <pre>{{range .Lines}}<span{{if .Bad}} class="bad"{{end}}><b>{{.Line}}</b>{{.Text}}</span>{{end}}</pre>
  {{- end}}
  {{- if .Path}}<p class="hint">{{.Path}}</p>{{end}}
</section>
{{end}}
{{- if .More}}<p class="lead">… and {{.More}} more problems: the terminal, and <code>coachbook check</code>, list every one.</p>{{end}}
</main>
</body>
</html>
`))

// maxShown is how many problems the error page lists; the rest are
// counted, and the terminal and `coachbook check` list every one.
const maxShown = 200

// renderError renders the error page of a failed build, once per build:
// at most maxShown problems, errors first, each file read once.
func (s *Server) renderError(diags diag.List) []byte {
	shown := slices.Clone(diags)
	slices.SortStableFunc(shown, func(a, b diag.Diagnostic) int { return int(a.Severity) - int(b.Severity) })
	data := errorData{Summary: diags.Summary()}
	if len(shown) > maxShown {
		data.More = len(shown) - maxShown
		shown = shown[:maxShown]
	}
	files := map[string][]string{}
	for _, d := range shown {
		p := problem{Diagnostic: d, Warning: d.Severity == diag.Warning}
		if d.File != "" && !strings.HasPrefix(d.File, "built-in theme") {
			p.Path = s.abs(d.File)
			if d.Line > 0 && d.Sheet == "" { // not a cell of a workbook
				lines, ok := files[d.File]
				if !ok {
					lines = diag.SplitLines(s.siteFile(d.File))
					files[d.File] = lines
				}
				p.Lines = diag.Around(lines, d.Line, 3)
			}
		}
		data.Problems = append(data.Problems, p)
	}
	var buf bytes.Buffer
	if err := errorTmpl.Execute(&buf, data); err != nil {
		return []byte(template.HTMLEscapeString(err.Error()))
	}
	return inject(buf.Bytes())
}

// serveError shows the failed build's error page in place of every page.
func serveError(w http.ResponseWriter, page []byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write(page)
}
