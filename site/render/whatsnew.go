package render

import (
	"cmp"
	"slices"
	"time"

	"github.com/coachbook/coachbook/site/changes"
	"github.com/coachbook/coachbook/site/content"
)

// WhatsNewURL is the address of the page that lists the guides changed
// lately.
const WhatsNewURL = "/whats-new/"

// WhatsNewDays is how far back the "what's new" page looks, counted from
// the build's day.
const WhatsNewDays = 90

// WhatsNewPage is the data of whats-new.html: the guides added or changed
// in the last WhatsNewDays days, latest first. Only guides are listed,
// never report pages.
type WhatsNewPage struct {
	Base
	Since   time.Time
	Days    int
	Entries []WhatsNew
}

// WhatsNew is one guide of the "what's new" page.
type WhatsNew struct {
	Guide *content.Page
	changes.Change
	// New marks a guide first committed within the period.
	New bool
}

// changeOf is the last change of a guide, zero when unknown.
func (r *Renderer) changeOf(p *content.Page) changes.Change {
	if p == nil {
		return changes.Change{}
	}
	return r.changes[p.File]
}

// whatsNew lists the guides changed since WhatsNewDays before the build's
// day, latest first (by day, then by commit), then by title.
func (r *Renderer) whatsNew(s *content.Site) (since time.Time, out []WhatsNew) {
	since = changes.Day(r.today).AddDate(0, 0, -WhatsNewDays)
	for _, p := range s.Pages {
		c := r.changeOf(p)
		if c.Date.IsZero() || c.Date.Before(since) {
			continue
		}
		out = append(out, WhatsNew{Guide: p, Change: c, New: !c.Added.IsZero() && !c.Added.Before(since)})
	}
	slices.SortStableFunc(out, func(a, b WhatsNew) int {
		if c := b.Date.Compare(a.Date); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Seq, b.Seq); c != 0 {
			return c // the later commit of the day first
		}
		return cmp.Compare(a.Guide.Title, b.Guide.Title)
	})
	return since, out
}

func (r *Renderer) renderWhatsNew(s *content.Site, sink Sink) error {
	data := WhatsNewPage{Base: r.base("whats-new", s.Root, r.tr("whats_new.title"), WhatsNewURL), Days: WhatsNewDays}
	data.Since, data.Entries = r.whatsNew(s)
	data.Crumbs = append(data.Crumbs, Crumb{Title: data.Title})
	b, err := r.execute("whats-new", data)
	if err != nil {
		return err
	}
	return sink.Write(outPath(WhatsNewURL), b)
}
