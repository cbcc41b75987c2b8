package data

import (
	"testing"
	"testing/fstest"

	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/internal/sitetest"
)

// FuzzHistoryLog reads change logs of any shape: every row is used or
// left out with a reason, and every deal's states come out in date order,
// one per day.
func FuzzHistoryLog(f *testing.F) {
	f.Add("id,date,stage,amount,close_date,forecast_category\nd1,2026-10-01,Proposal,100,2026-10-20,Commit\nd1,2026-10-05,,200,,\nd2,2026-09-01,Won,,2026-09-01,\n")
	f.Add("id,date,rep,stage\nd9,10/3/2026,jdoe,Discovery\nd9,10/2/2026,nobody,Proposal\n,2026-10-01,jdoe,x\n")
	f.Add("Record ID,Property,Value,Timestamp\nd1,closedate,1796860800000,2026-09-01T10:00:00Z\nd1,dealstage,closedwon,2026-09-02\nd1,amount,abc,2026-09-03\nd1,owner,x,2026-09-04\n")
	f.Fuzz(func(t *testing.T, log string) {
		fsys := sitetest.FS("-- data/team.toml --\n" + team)
		fsys["data/opportunities.csv"] = &fstest.MapFile{Data: []byte("id,rep,stage,amount,created,close_date\nd1,jdoe,Proposal,200,2026-09-20,2026-10-20\nd2,jdoe,Closed Won,50,2026-08-01,2026-09-01\n")}
		fsys["data/history.csv"] = &fstest.MapFile{Data: []byte(log)}
		d, _ := Load(fsys, config.Default())
		for _, st := range d.Files {
			if st.Kind == "history" && st.Used+st.Rejected != st.Rows {
				t.Fatalf("history: rows %d, used %d, rejected %d", st.Rows, st.Used, st.Rejected)
			}
		}
		if d.History == nil {
			return
		}
		for _, tl := range d.History.Deals {
			for i := 1; i < len(tl.States); i++ {
				if tl.States[i].From <= tl.States[i-1].From {
					t.Fatalf("deal %q: states out of order: %v", tl.ID, tl.States)
				}
			}
		}
	})
}
