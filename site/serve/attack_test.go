package serve

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// request sends a GET to url with the given headers.
func request(t *testing.T, url string, header map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for k, v := range header {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp.StatusCode, b.String()
}

// Issue 23, case 7: the dev server answers only to its own host names
// (DNS rebinding), and gives report data to no other site's page.
func TestOwnHostsAndOriginOnly(t *testing.T) {
	_, base := startServer(t, map[string]string{
		"content/a.md":        guide,
		"data/team.toml":      "[[reps]]\nid = \"jdoe\"\nname = \"Jane Doe\"\n",
		"data/activities.csv": "date,rep,type\n2026-11-16,jdoe,calls\n",
	})
	metrics := base + "reports/reps/jdoe/week/2026-W47/metrics.json"
	for _, tt := range []struct {
		name   string
		url    string
		header map[string]string
		code   int
	}{
		{"plain", metrics, nil, 200},
		{"localhost", metrics, map[string]string{"Host": "localhost:1313"}, 200},
		{"ipv6", metrics, map[string]string{"Host": "[::1]:1313"}, 200},
		{"rebound name", metrics, map[string]string{"Host": "attacker.example"}, 421},
		{"rebound page", base, map[string]string{"Host": "attacker.example:1313"}, 421},
		{"cross-site fetch", metrics, map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "cors"}, 403},
		{"cross-site script", base + "reports/", map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"}, 403},
		{"foreign origin", metrics, map[string]string{"Origin": "http://attacker.example"}, 403},
		{"dev script", origin(t, base) + Prefix + "reload.js", map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"}, 403},
		{"link followed", base + "reports/", map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}, 200},
		{"own page's fetch", metrics, map[string]string{"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "cors"}, 200},
	} {
		code, body := request(t, tt.url, tt.header)
		if code != tt.code {
			t.Errorf("%s: %d, want %d", tt.name, code, tt.code)
		}
		if code != 200 && strings.Contains(body, "jdoe") {
			t.Errorf("%s: refused but showed the data", tt.name)
		}
	}
}

// origin is the scheme and host of a URL.
func origin(t *testing.T, u string) string {
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	return p.Scheme + "://" + p.Host
}
