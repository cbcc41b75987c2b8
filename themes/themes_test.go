package themes

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

func TestOverlayFileByFile(t *testing.T) {
	site := fstest.MapFS{
		"themes/default/layouts/guide.html": {Data: []byte("mine")},
		"themes/default/static/extra.css":   {Data: []byte("x")},
	}
	th, err := Resolve(site, "default")
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := fs.ReadFile(th, "layouts/guide.html"); string(b) != "mine" {
		t.Errorf("the site's file must win, got %q", b)
	}
	if b, _ := fs.ReadFile(th, "layouts/base.html"); !strings.Contains(string(b), "<!DOCTYPE html>") {
		t.Error("files the site does not have come from the built-in theme")
	}
	var static []string
	fs.WalkDir(th, "static", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			static = append(static, p)
		}
		return err
	})
	joined := strings.Join(static, " ")
	if !strings.Contains(joined, "static/extra.css") || !strings.Contains(joined, "static/css/style.css") {
		t.Errorf("static folders are merged: %v", static)
	}
	if got := Origin(site, "default", "layouts/guide.html"); got != "themes/default/layouts/guide.html" {
		t.Errorf("origin %q", got)
	}
	if got := Origin(site, "default", "layouts/base.html"); got != "built-in theme: layouts/base.html" {
		t.Errorf("origin %q", got)
	}
}

func TestMissingTheme(t *testing.T) {
	if _, err := Resolve(fstest.MapFS{}, "fancy"); err == nil || !strings.Contains(err.Error(), `theme "fancy" not found`) {
		t.Errorf("got %v", err)
	}
	if _, err := Resolve(fstest.MapFS{}, "default"); err != nil {
		t.Errorf("the default theme needs no folder: %v", err)
	}
}
