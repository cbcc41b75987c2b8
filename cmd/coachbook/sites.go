package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/coachbook/coachbook/site/config"
)

// siteJob is one entry of the matrix `coachbook sites` prints: what a
// workflow job needs to build and publish one part of the org.
type siteJob struct {
	Part       string `json:"part"`
	Title      string `json:"title"`
	BaseURL    string `json:"base_url"`
	Repository string `json:"repository,omitempty"`
	// KeyEnvs are the environment variables of the part's audiences: the
	// secrets its job needs, and no other part's.
	KeyEnvs []string `json:"key_envs"`
}

// runSites prints the [[sites]] as a GitHub Actions matrix,
// {"include": [...]}: one job per part; an empty list without [[sites]].
func runSites(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("sites", stderr)
	src := fs.String("s", ".", "site `DIR`")
	if help, ok := parse(fs, args); !ok {
		return usageStatus(help)
	}
	if !isDir(*src, stderr) {
		return 1
	}
	cfg, diags := config.Load(os.DirFS(*src))
	if diags.HasErrors() {
		printDiags(stderr, diags)
		return 1
	}
	envOf := map[string]string{}
	for _, a := range cfg.Access.Audience {
		envOf[a.Name] = a.KeyEnv
	}
	jobs := []siteJob{}
	for _, s := range cfg.Sites {
		j := siteJob{Part: s.Name, Title: s.Title, BaseURL: s.BaseURL, Repository: s.Repository, KeyEnvs: []string{}}
		for _, a := range s.Audiences {
			j.KeyEnvs = append(j.KeyEnvs, envOf[a])
		}
		jobs = append(jobs, j)
	}
	b, err := json.Marshal(map[string][]siteJob{"include": jobs})
	if err != nil {
		fmt.Fprintf(stderr, "coachbook sites: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s\n", b)
	return 0
}
