package main

import (
	"bytes"
	"log/slog"
	"testing"
)

func TestLineHandler(t *testing.T) {
	tests := []struct {
		name  string
		level slog.Level
		log   func(l *slog.Logger)
		want  string
	}{
		{"warning with attrs", slog.LevelWarn, func(l *slog.Logger) {
			l.Warn("input not read", "file", "a b.evtx", "n", 3)
		}, "bitsdiag: warning: input not read (file=\"a b.evtx\" n=3)\n"},
		{"hostile name escaped", slog.LevelWarn, func(l *slog.Logger) {
			l.Warn("input not read", "file", "x\x1b]0;owned\x07\u202e.evtx", "reason", "bad\nline")
		}, "bitsdiag: warning: input not read (file=\"x\\x1b]0;owned\\x07\\u202e.evtx\" reason=\"bad\\nline\")\n"},
		{"info hidden at warn", slog.LevelWarn, func(l *slog.Logger) { l.Info("reading") }, ""},
		{"info shown at info", slog.LevelInfo, func(l *slog.Logger) { l.Info("reading", "file", "x") }, "bitsdiag: reading (file=x)\n"},
		{"error", slog.LevelError, func(l *slog.Logger) { l.Error("bad", "err", "") }, "bitsdiag: error: bad (err=\"\")\n"},
		{"debug, attrs and group", slog.LevelDebug, func(l *slog.Logger) {
			l.With("file", "y").WithGroup("chunk").Debug("skipped", "n", 2)
		}, "bitsdiag: debug: skipped (file=y chunk.n=2)\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			tc.log(slog.New(newLineHandler(&b, tc.level)))
			if b.String() != tc.want {
				t.Errorf("got %q, want %q", b.String(), tc.want)
			}
		})
	}
}
