package orggen

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// guideWords are the words the generated guides are made of: the
// vocabulary of a coaching playbook, so search and markdown see text like
// the real thing.
var guideWords = strings.Fields(`rep manager pipeline deal meeting coaching forecast quota
activity prospect account discovery proposal negotiation close commit stage week month quarter
territory plan lever gap target call follow-up next step buyer champion decision budget timeline
risk review agenda question evidence behaviour habit ride-along observe listen ask agree action
owner date result trend pattern miss expectation accountability rhythm calendar prepare notes
value objection competitor renewal expansion executive sponsor mutual plan signature legal
procurement pricing discount margin cycle velocity conversion coverage health hygiene data`)

// GenerateGuides writes n markdown guides of 600 to 900 words into the
// content folder out, in sections of 100 with an _index.md each. Every
// guide has front matter (cadence, duration, weight, preparation, an
// agenda, a [[coaches]] entry), four to six sections with paragraphs,
// questions as lists, a table, and links to its neighbours. The same n and
// seed always write the same files.
func GenerateGuides(out string, n int, seed uint64) error {
	r := rand.New(rand.NewPCG(seed, 0x9d1de5))
	cadences := []string{"weekly", "monthly", "quarterly", "as-needed"}
	metrics := []string{"activity.calls", "activity.meetings_set", "win_rate", "pipeline.coverage", "deal_size", "cycle_days"}
	sentence := func(min, max int) string {
		k := min + r.IntN(max-min+1)
		w := make([]string, k)
		for i := range w {
			w[i] = guideWords[r.IntN(len(guideWords))]
		}
		w[0] = strings.ToUpper(w[0][:1]) + w[0][1:]
		return strings.Join(w, " ") + "."
	}
	for i := range n {
		sec := i / 100
		dir := filepath.Join(out, fmt.Sprintf("section-%03d", sec))
		if i%100 == 0 {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			idx := fmt.Sprintf("+++\ntitle = \"Section %d\"\nweight = %d\n+++\n%s\n", sec, sec+1, sentence(12, 20))
			if err := os.WriteFile(filepath.Join(dir, "_index.md"), []byte(idx), 0o644); err != nil {
				return err
			}
		}
		var b strings.Builder
		heads := 4 + r.IntN(3)
		slug := func(h int) string { return fmt.Sprintf("part-%d", h+1) }
		fmt.Fprintf(&b, "+++\ntitle = \"Guide %d: %s\"\ncadence = %q\nduration = \"30m\"\nweight = %d\n", i, strings.TrimSuffix(sentence(3, 5), "."), cadences[i%len(cadences)], i%100+1)
		fmt.Fprintf(&b, "summary = %q\nprepare = [%q, %q]\n", sentence(10, 16), sentence(4, 7), sentence(4, 7))
		b.WriteString("[[agenda]]\nitem = \"Numbers\"\nminutes = 10\n[[agenda]]\nitem = \"Plan\"\nminutes = 20\n")
		fmt.Fprintf(&b, "[[coaches]]\nmetric = %q\nsection = %q\n+++\n\n", metrics[i%len(metrics)], slug(0))
		words := 0
		target := 600 + r.IntN(301)
		for h := range heads {
			fmt.Fprintf(&b, "## Part %d\n\n", h+1)
			per := (target - words) / (heads - h)
			for words < target && per > 0 {
				para := []string{}
				for range 3 + r.IntN(3) {
					s := sentence(8, 16)
					para = append(para, s)
					words += strings.Count(s, " ") + 1
					per -= strings.Count(s, " ") + 1
				}
				b.WriteString(strings.Join(para, " ") + "\n\n")
				if per < 40 {
					break
				}
			}
			switch h {
			case 1:
				for range 4 {
					q := strings.TrimSuffix(sentence(6, 10), ".") + "?"
					fmt.Fprintf(&b, "- %s\n", q)
					words += strings.Count(q, " ") + 1
				}
				b.WriteString("\n")
			case 2:
				b.WriteString("| Signal | What to ask |\n|---|---|\n")
				for range 3 {
					fmt.Fprintf(&b, "| %s | %s |\n", strings.TrimSuffix(sentence(2, 3), "."), sentence(5, 8))
					words += 10
				}
				b.WriteString("\n")
			}
		}
		if i > 0 {
			fmt.Fprintf(&b, "See [the previous guide](/section-%03d/guide-%05d.md#%s).\n", (i-1)/100, i-1, slug(1))
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("guide-%05d.md", i)), []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	return nil
}
