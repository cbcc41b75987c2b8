package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"

	"github.com/coachbook/coachbook/site/build"
	"github.com/coachbook/coachbook/site/serve"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("serve", stderr)
	src := fs.String("s", ".", "site `DIR` to serve")
	addr := fs.String("addr", "127.0.0.1:1313", "`host:port` to listen on; the next free port is used when it is taken")
	drafts := fs.Bool("drafts", false, "include guides marked draft = true")
	noReports := fs.Bool("no-reports", false, "preview the playbook only")
	if help, ok := parse(fs, args); !ok {
		return usageStatus(help)
	}
	if !isDir(*src, stderr) {
		return 1
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	l, err := serve.Listen(*addr, log)
	if err != nil {
		fmt.Fprintf(stderr, "coachbook serve: %v\n", err)
		return 1
	}
	s := serve.New(*src, build.Options{Drafts: *drafts, NoReports: *noReports, Version: getVersion(), Env: os.Getenv, History: gitHistory(*src)}, log)
	s.Out = stderr
	if host, _, err := net.SplitHostPort(*addr); err == nil && host != "" {
		s.Hosts = []string{host}
	}
	s.Ready = func(url string) { fmt.Fprintf(stdout, "coachbook serve: %s (Ctrl-C to stop)\n", url) }
	if err := s.Serve(ctx, l); err != nil {
		fmt.Fprintf(stderr, "coachbook serve: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, "coachbook serve: stopped")
	return 0
}
