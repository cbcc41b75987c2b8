package build

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/coachbook/coachbook/site/internal/browsertest"
)

// pageBudget is the tallest a rep's quarter page may be at 1366 px: each
// metric once with its verdict, the details folded. About four screens of
// a laptop; the month page prints on two sheets.
const pageBudget = 4400

// The quarter page reads as one review, not a scroll through every table;
// and on a phone, the manager's cadence table opens on the month in
// progress (its last column), not six months back.
func TestReportPagesFitTheirBudget(t *testing.T) {
	browsertest.Page(t)
	t.Parallel()
	base := serveFiles(t, sharedExample(t))
	ctx := browsertest.Tab(t, 2*time.Minute)

	for _, c := range []struct {
		page   string
		width  int64
		budget int
	}{
		{"reports/reps/jdoe/quarter/2026-Q4/", 1366, pageBudget},
		{"reports/reps/jdoe/month/2026-11/", 1366, pageBudget},
	} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(c.width, 800), chromedp.Navigate(base+c.page), chromedp.WaitReady("body")); err != nil {
			t.Fatal(err)
		}
		h, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollHeight`))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s at %d px: %d px tall", c.page, c.width, h)
		if h > c.budget {
			t.Errorf("%s at %d px is %d px tall, over its budget of %d px", c.page, c.width, h, c.budget)
		}
	}

	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 800), chromedp.Navigate(base+"reports/managers/mgarcia/"), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const w = document.querySelector('.table-scroll[data-open-at="end"]'); return w.scrollLeft + " " + (w.scrollWidth - w.clientWidth); })()`))
	if err != nil {
		t.Fatal(err)
	}
	var left, room int
	if _, err := fmt.Sscan(got, &left, &room); err != nil || room <= 0 || left < room-1 {
		t.Errorf("the manager's table at 390 px opens at %q (scrolled, scrollable): want it scrolled to the month in progress", got)
	}
}
