package serve

import (
	"bytes"
	"html/template"
	"net/http"
	"strings"

	"github.com/coachbook/coachbook/site/diag"
)

// excerpt is a few lines of a file around a problem.
type excerpt struct {
	Line int
	Text string
	Bad  bool
}

type problem struct {
	diag.Diagnostic
	Path    string // absolute, for the editor
	Lines   []excerpt
	Warning bool
}

type errorData struct {
	Summary  string
	Problems []problem
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
</main>
</body>
</html>
`))

// serveError shows the build's problems in place of every page.
func (s *Server) serveError(w http.ResponseWriter, diags diag.List) {
	data := errorData{Summary: diags.Summary()}
	for _, d := range diags {
		p := problem{Diagnostic: d, Warning: d.Severity == diag.Warning}
		if d.File != "" && !strings.HasPrefix(d.File, "built-in theme") {
			p.Path = s.abs(d.File)
			if d.Line > 0 {
				p.Lines = excerptLines(s.siteFile(d.File), d.Line, 3)
			}
		}
		data.Problems = append(data.Problems, p)
	}
	var buf bytes.Buffer
	if err := errorTmpl.Execute(&buf, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write(inject(buf.Bytes()))
}

// excerptLines returns the lines around line (1-based), context either side.
func excerptLines(src []byte, line, context int) []excerpt {
	if src == nil {
		return nil
	}
	lines := strings.Split(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n")
	var out []excerpt
	for n := max(1, line-context); n <= min(len(lines), line+context); n++ {
		out = append(out, excerpt{Line: n, Text: lines[n-1], Bad: n == line})
	}
	return out
}
