package content

import (
	"html"
	"regexp"
	"strings"
	"testing"
)

func TestCalloutsTablesAndCode(t *testing.T) {
	s, msgs := load(t, `
-- content/a.md --
+++
title = "A"
+++
> [!TIP]
> Ask, then *listen*.

> [!warning]
> A pattern is not a miss.

> [!NOTE] not alone on its line, so a plain quote

| Rep | Calls |
| --- | --- |
| <Jane> | 5 |

`+"```toml"+`
# the weekly target
"activity.calls" = 40 # "quoted"
[reps.targets]
`+"```"+`

`+"```"+`
plain <code>
`+"```"+`
`, Options{})
	if len(msgs) > 0 {
		t.Fatal(msgs)
	}
	body := string(s.Pages[0].Body)
	for _, want := range []string{
		"<div class=\"callout callout-tip\" role=\"note\"><p class=\"callout-title\">Tip</p>\n<p>Ask, then <em>listen</em>.</p>\n</div>",
		"<div class=\"callout callout-warning\" role=\"note\"><p class=\"callout-title\">Warning</p>\n<p>A pattern is not a miss.</p>\n</div>",
		"<blockquote>\n<p>[!NOTE] not alone on its line, so a plain quote</p>\n</blockquote>",
		`<div class="table-scroll" tabindex="0" role="region" aria-label="Table: Rep, Calls">` + "\n<table>",
		`<pre tabindex="0" role="region" aria-label="Code: toml"><code class="language-toml"><span class="hl-c"># the weekly target</span>` + "\n" +
			`<span class="hl-a">&#34;activity.calls&#34;</span> = <span class="hl-n">40</span> <span class="hl-c"># &#34;quoted&#34;</span>` + "\n" +
			`<span class="hl-a">[reps.targets]</span>`,
		`<pre tabindex="0" role="region" aria-label="Code"><code>plain &lt;code&gt;` + "\n</code></pre>",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks\n%s\n\nbody:\n%s", want, body)
		}
	}
}

func TestHighlight(t *testing.T) {
	for _, c := range []struct{ lang, code, want string }{
		{"go", `if x := "a\"b"; x != "" { return 42 } // done`,
			`<span class="hl-k">if</span> x := <span class="hl-s">&#34;a\&#34;b&#34;</span>; x != <span class="hl-s">&#34;&#34;</span> { <span class="hl-k">return</span> <span class="hl-n">42</span> } <span class="hl-c">// done</span>`},
		{"sql", "SELECT rep FROM deals -- won\nwhere stage = 'Won'",
			`<span class="hl-k">SELECT</span> rep <span class="hl-k">FROM</span> deals <span class="hl-c">-- won</span>` + "\n" + `<span class="hl-k">where</span> stage = <span class="hl-s">&#39;Won&#39;</span>`},
		{"sh", "echo 'unterminated\nnext", `<span class="hl-k">echo</span> <span class="hl-s">&#39;unterminated</span>` + "\nnext"},
		{"brainfuck", "<+>", "&lt;+&gt;"},
		{"js", "/* never closed <", `<span class="hl-c">/* never closed &lt;</span>`},
	} {
		if got := highlight(c.code, c.lang); got != c.want {
			t.Errorf("highlight(%q, %s)\n got %s\nwant %s", c.code, c.lang, got, c.want)
		}
	}
}

// FuzzHighlight: whatever the code and language, the coloured HTML holds
// the code's text exactly, escaped, with nothing but span tags added.
func FuzzHighlight(f *testing.F) {
	for _, seed := range []string{`if x := "a\"b"; x { return 42 } // c`, "SELECT 'x' -- y\n/* z", "[t]\nk = \"v\" # c", "<script>&amp;", "é = 'ü'", "`multi\nline`"} {
		for _, lang := range []string{"go", "sql", "toml", "sh", "", "csv"} {
			f.Add(seed, lang)
		}
	}
	tags := regexp.MustCompile(`<span class="hl-[csnka]">|</span>`)
	f.Fuzz(func(t *testing.T, code, lang string) {
		out := highlight(code, lang)
		if strings.Count(out, "<span") != strings.Count(out, "</span>") {
			t.Fatalf("unbalanced spans: %q", out)
		}
		text := tags.ReplaceAllString(out, "")
		if strings.ContainsAny(text, "<>") {
			t.Fatalf("unescaped markup: %q", out)
		}
		if html.UnescapeString(text) != code {
			t.Fatalf("text changed:\n%q\n%q", code, html.UnescapeString(text))
		}
	})
}
