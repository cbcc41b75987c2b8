package build

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var (
	attrRE = regexp.MustCompile(`\s(href|src)="([^"]*)"`)
	idRE   = regexp.MustCompile(`\sid="([^"]*)"`)
)

// checkLinks verifies that every internal href and src of every HTML page
// in files resolves to a file, and every #fragment to an id in that file,
// when the site is published under base.
func checkLinks(t *testing.T, files map[string][]byte, base string) (checked int) {
	t.Helper()
	ids := map[string]map[string]bool{}
	idsOf := func(file string) map[string]bool {
		if m, ok := ids[file]; ok {
			return m
		}
		m := map[string]bool{}
		for _, match := range idRE.FindAllStringSubmatch(string(files[file]), -1) {
			m[html.UnescapeString(match[1])] = true
		}
		ids[file] = m
		return m
	}
	for name, data := range files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		for _, m := range attrRE.FindAllStringSubmatch(string(data), -1) {
			raw := html.UnescapeString(m[2])
			u, err := url.Parse(raw)
			if err != nil {
				t.Errorf("%s: unparsable %s %q", name, m[1], raw)
				continue
			}
			if u.Scheme != "" || u.Host != "" {
				continue
			}
			target := name
			if u.Path != "" {
				if !strings.HasPrefix(u.Path, base) {
					t.Errorf("%s: link %q is not under the base path %s", name, raw, base)
					continue
				}
				target = strings.TrimPrefix(u.Path, base)
				if target == "" || strings.HasSuffix(target, "/") {
					target += "index.html"
				}
				if _, ok := files[target]; !ok {
					t.Errorf("%s: broken link %q: no file %s", name, raw, target)
					continue
				}
			}
			if u.Fragment != "" && !idsOf(target)[u.Fragment] {
				t.Errorf("%s: broken fragment %q: no id %q in %s", name, raw, u.Fragment, target)
			}
			checked++
		}
	}
	return checked
}
