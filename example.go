// Package coachbook holds the example site's guides, embedded in the binary
// so that `coachbook new site` starts a new playbook from them. The engine
// lives under site/, the command under cmd/coachbook.
package coachbook

import "embed"

// Guides is the example's content/ folder: the default coaching guides.
//
//go:embed all:content
var Guides embed.FS
