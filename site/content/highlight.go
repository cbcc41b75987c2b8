package content

import (
	"html"
	"strings"
	"unicode"
)

// A small syntax colourer for the code a playbook shows: commands, config
// files, queries and short scripts. It knows comments, strings, numbers,
// keywords and the keys of config files; that is what helps a reader, and
// it needs no dependency. Unknown languages are shown plain.

// lang describes how one language writes its tokens.
type lang struct {
	line       []string // line comment starts
	blockOpen  string
	blockClose string
	quotes     string // characters that open a string
	keywords   map[string]bool
	foldCase   bool // keywords match in any case (SQL)
	keys       bool // "key = value" and "key: value" lines (TOML, YAML, INI)
}

func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

var (
	cLike  = lang{line: []string{"//"}, blockOpen: "/*", blockClose: "*/", quotes: "\"'`"}
	goLang = withKeywords(cLike, "break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var nil true false iota")
	jsLang = withKeywords(cLike, "async await break case catch class const continue default delete do else export extends false finally for from function if import in instanceof let new null return static super switch this throw true try typeof undefined var void while yield")
	pyLang = lang{line: []string{"#"}, quotes: "\"'", keywords: words("and as assert async await break class continue def del elif else except False finally for from global if import in is lambda None nonlocal not or pass raise return True try while with yield")}
	shLang = lang{line: []string{"#"}, quotes: "\"'", keywords: words("if then else elif fi for in do done while until case esac function return export local set cd echo exit")}
	sqlLng = lang{line: []string{"--"}, blockOpen: "/*", blockClose: "*/", quotes: "'\"", foldCase: true, keywords: words("select from where and or not group by order having limit join left right inner outer on as insert into values update set delete create table with case when then else end null is in between like count sum avg min max distinct union all desc asc")}
	cfgLng = lang{line: []string{"#", ";"}, quotes: "\"'", keys: true, keywords: words("true false null yes no")}
	csvLng = lang{quotes: "\""}
)

func withKeywords(l lang, kw string) lang {
	l.keywords = words(kw)
	return l
}

// languages maps a fence's info word to its language.
var languages = map[string]*lang{
	"go": &goLang, "golang": &goLang,
	"js": &jsLang, "javascript": &jsLang, "ts": &jsLang, "typescript": &jsLang, "json": &jsLang,
	"py": &pyLang, "python": &pyLang,
	"sh": &shLang, "bash": &shLang, "shell": &shLang, "console": &shLang, "zsh": &shLang,
	"sql":  &sqlLng,
	"toml": &cfgLng, "yaml": &cfgLng, "yml": &cfgLng, "ini": &cfgLng,
	"csv": &csvLng,
}

// highlight returns code as escaped HTML with spans around its tokens:
// hl-c comments, hl-s strings, hl-n numbers, hl-k keywords, hl-a keys.
func highlight(code, name string) string {
	l := languages[name]
	if l == nil {
		return html.EscapeString(code)
	}
	var b strings.Builder
	span := func(class, s string) {
		b.WriteString(`<span class="` + class + `">` + html.EscapeString(s) + `</span>`)
	}
	lineStart := true
	for i := 0; i < len(code); {
		rest := code[i:]
		c := code[i]
		if lineStart && l.keys {
			if n := keyLength(rest); n > 0 {
				span("hl-a", rest[:n])
				i += n
				lineStart = false
				continue
			}
		}
		switch {
		case c == '\n':
			b.WriteByte('\n')
			i++
			lineStart = true
			continue
		case c == ' ' || c == '\t':
			b.WriteByte(c)
			i++
			continue
		}
		lineStart = false
		if n := commentLength(rest, l); n > 0 {
			span("hl-c", rest[:n])
			i += n
			continue
		}
		if strings.IndexByte(l.quotes, c) >= 0 {
			n := stringLength(rest)
			span("hl-s", rest[:n])
			i += n
			continue
		}
		if isDigit(c) {
			n := 1
			for n < len(rest) && (isWord(rest[n]) || rest[n] == '.') {
				n++
			}
			span("hl-n", rest[:n])
			i += n
			continue
		}
		if isWord(c) {
			n := 1
			for n < len(rest) && isWord(rest[n]) {
				n++
			}
			w := rest[:n]
			if l.foldCase {
				w = strings.ToLower(w)
			}
			if l.keywords[w] {
				span("hl-k", rest[:n])
			} else {
				b.WriteString(html.EscapeString(rest[:n]))
			}
			i += n
			continue
		}
		b.WriteString(html.EscapeString(string(c)))
		i++
	}
	return b.String()
}

func commentLength(s string, l *lang) int {
	for _, p := range l.line {
		if strings.HasPrefix(s, p) {
			if n := strings.IndexByte(s, '\n'); n >= 0 {
				return n
			}
			return len(s)
		}
	}
	if l.blockOpen != "" && strings.HasPrefix(s, l.blockOpen) {
		if n := strings.Index(s[len(l.blockOpen):], l.blockClose); n >= 0 {
			return len(l.blockOpen) + n + len(l.blockClose)
		}
		return len(s)
	}
	return 0
}

// stringLength measures a string from its opening quote to the closing one,
// skipping escaped quotes; only a backquote string spans lines.
func stringLength(s string) int {
	q := s[0]
	for i := 1; i < len(s); i++ {
		switch {
		case s[i] == '\\' && q != '`':
			i++
		case s[i] == q:
			return i + 1
		case s[i] == '\n' && q != '`':
			return i
		}
	}
	return len(s)
}

// keyLength measures the key at the start of a config line: a [table]
// header, or a (quoted or dotted) name followed by = or :.
func keyLength(s string) int {
	line := s
	if n := strings.IndexByte(s, '\n'); n >= 0 {
		line = s[:n]
	}
	if strings.HasPrefix(line, "[") {
		if n := strings.IndexByte(line, ']'); n > 0 {
			for n+1 < len(line) && line[n+1] == ']' {
				n++
			}
			return n + 1
		}
		return 0
	}
	n := 0
	for n < len(line) && (isWord(line[n]) || strings.IndexByte(".-\"", line[n]) >= 0) {
		n++
	}
	if n == 0 {
		return 0
	}
	after := strings.TrimLeft(line[n:], " \t")
	if strings.HasPrefix(after, "=") || strings.HasPrefix(after, ":") {
		return n
	}
	return 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isWord(c byte) bool {
	return c == '_' || c == '$' || isDigit(c) || c >= 0x80 || unicode.IsLetter(rune(c))
}
