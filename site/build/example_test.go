package build

import (
	"maps"
	"sync"
	"testing"

	"github.com/coachbook/coachbook/site/diag"
)

// exampleBuilt is one build of the repository's example site into memory.
type exampleBuilt struct {
	files map[string][]byte
	res   *Result
	diags diag.List
}

// onceBuild makes a build the first time a test asks for it; every test
// after gets the same build. Tests that only read a build share it this
// way, so the package's tests build the example a few times, not once per
// test.
type onceBuild struct {
	once  sync.Once
	build func() exampleBuilt
	got   exampleBuilt
}

// get returns the build: its files are a copy of the map (the bytes are
// shared: do not change them), so a test may add or drop files.
func (o *onceBuild) get() exampleBuilt {
	o.once.Do(func() { o.got = o.build() })
	b := o.got
	b.files = maps.Clone(b.files)
	return b
}

func runExample(opts Options) func() exampleBuilt {
	return func() exampleBuilt {
		sink := &MemSink{}
		res, diags := Run(exampleFS(), opts, sink)
		return exampleBuilt{sink.Files, res, diags}
	}
}

var examples = struct {
	clear, pages, sealed *onceBuild
}{
	// The example as `coachbook build` makes it, for a local address.
	clear: &onceBuild{build: runExample(Options{Today: testDay})},
	// The example as a public GitHub Pages project site, in the clear.
	pages: &onceBuild{build: runExample(Options{BaseURL: "https://acme.github.io/playbook/", Today: testDay})},
	// The same site with the reports sealed with the test passphrases.
	sealed: &onceBuild{build: runExample(Options{BaseURL: "https://acme.github.io/playbook/", Today: testDay, Keys: lookup(testKeys)})},
}

// clearExample is the example built in the clear with the defaults
// (Options{Today: testDay}), shared by the tests that only read it. It
// has no errors.
func clearExample(t *testing.T) map[string][]byte {
	t.Helper()
	b := examples.clear.get()
	if b.diags.HasErrors() {
		t.Fatal(b.diags.Err())
	}
	return b.files
}
