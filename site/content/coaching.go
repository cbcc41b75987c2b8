package content

import (
	"fmt"
	"strings"

	"github.com/coachbook/coachbook/site/diag"
)

// indexCoaching indexes which guide sections coach which metric, in
// reading order, with the problems of [[coaches]] entries whose section is
// not a heading of their guide.
func (s *Site) indexCoaching() diag.List {
	var diags diag.List
	s.Coaching = map[string][]Coaching{}
	for _, p := range s.Pages {
		for i, c := range p.Coaches {
			h, ok := p.heading(c.Section)
			if !ok {
				diags.Errorf(p.File, p.coachLines[i], "%s", p.missingHeading(c.Section))
				continue
			}
			if c.Def.ID != "" {
				s.Coaching[c.Def.ID] = append(s.Coaching[c.Def.ID], Coaching{Page: p, Section: h.ID, Heading: h.Text, Cadence: c.Cadence, Pattern: c.Pattern})
			}
		}
	}
	return diags
}

// MeetingGuidesShown is how many guides a report page names for its meeting.
const MeetingGuidesShown = 3

// MeetingGuides lists, in reading order, the first MeetingGuidesShown
// guides written for a report cadence's meeting ("week": guides with
// cadence weekly, and so on).
func (s *Site) MeetingGuides(want string) []*Page {
	var out []*Page
	for _, p := range s.Pages {
		if c, _ := reportCadence(p.Cadence); c == want && c != "" {
			out = append(out, p)
			if len(out) == MeetingGuidesShown {
				break
			}
		}
	}
	return out
}

func (p *Page) heading(id string) (Heading, bool) {
	for _, h := range p.Headings {
		if h.ID == id {
			return h, true
		}
	}
	return Heading{}, false
}

// missingHeading explains a [[coaches]] section or #fragment that is not a
// heading id of the page, suggesting the id when the text of a heading was
// written instead.
func (p *Page) missingHeading(id string) string {
	for _, h := range p.Headings {
		if strings.EqualFold(h.Text, id) || strings.EqualFold(slugPath(h.Text), slugPath(id)) {
			return fmt.Sprintf("section %q is not a heading id of %s; the heading %q has id %q", id, p.File, h.Text, h.ID)
		}
	}
	ids := make([]string, 0, len(p.Headings))
	for _, h := range p.Headings {
		if h.Level > 1 {
			ids = append(ids, h.ID)
		}
	}
	if len(ids) == 0 {
		return fmt.Sprintf("section %q is not a heading of %s, which has no headings; add a \"## \" heading for it", id, p.File)
	}
	return fmt.Sprintf("section %q is not a heading of %s; its heading ids are %s", id, p.File, strings.Join(ids, ", "))
}
