package config

// Pipeline history is optional and comes two ways, each mapped like the
// other data files:
//
//	[data.history]                     # a change log: one row per change of a deal
//	path = "data/history.csv"
//	preset = ""                        # salesforce (Opportunity History) | hubspot (property history)
//	[data.history.columns]             # id, date, rep, stage, amount, close_date,
//	                                   # forecast_category, created; or property + value
//
//	[data.snapshots]                   # whole pipeline exports taken over time
//	path = "data/snapshots"            # a folder of files named by their date
//	                                   # (2026-11-16.csv), or one file with a
//	                                   # snapshot_date column
//	                                   # preset, columns and stages default to [data.opportunities]'s
//
// Neither file is required; without both the reports show the pipeline as
// it stands in the current export only.

// HistoryKinds are the optional pipeline-history sources, read after the
// CSV files of DataKinds.
var HistoryKinds = []string{"history", "snapshots"}

// historyPaths gives the history sources their default paths, before the
// defaults every data file gets. The snapshots take the opportunities'
// mapping where they set none, since a snapshot is an opportunities export
// taken on an earlier day; the change log takes its stage labels.
func (c *Config) historyPaths() {
	opp := c.Data["opportunities"]
	if opp == nil {
		opp = &Source{}
	}
	for _, k := range HistoryKinds {
		if c.Data[k] == nil {
			c.Data[k] = &Source{}
		}
	}
	if s := c.Data["history"]; s.Path == "" {
		s.Path = "data/history.csv"
	}
	s := c.Data["snapshots"]
	if s.Path == "" {
		s.Path = "data/snapshots"
		s.Paths = []string{s.Path}
	}
	if s.Preset == "" {
		s.Preset = opp.Preset
	}
	if s.Columns == nil {
		s.Columns, s.Fallbacks = opp.Columns, opp.Fallbacks
	}
	if s.DateFormat == "" {
		s.DateFormat = opp.DateFormat
	}
	if s.Decimal == "" {
		s.Decimal = opp.Decimal
	}
	if s.Encoding == "" {
		s.Encoding = opp.Encoding
	}
	for _, k := range HistoryKinds {
		if c.Data[k].Stages == nil {
			c.Data[k].Stages = opp.Stages
		}
	}
}
