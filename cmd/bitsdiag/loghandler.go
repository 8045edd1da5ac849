package main

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"

	"bitsdiag/termtext"
)

// lineHandler writes log records for a person at a terminal, one line each:
//
//	bitsdiag: warning: input not read (file=x.evtx reason="not EVTX")
//
// Levels below warning carry no level word; attributes follow in brackets,
// quoted when they hold spaces, and escaped (termtext) so that names from
// the evidence cannot drive the terminal.
type lineHandler struct {
	w     io.Writer
	mu    *sync.Mutex
	level slog.Leveler
	attrs []slog.Attr
	group string
}

func newLineHandler(w io.Writer, level slog.Leveler) *lineHandler {
	return &lineHandler{w: w, mu: new(sync.Mutex), level: level}
}

// Enabled reports whether records at level are written.
func (h *lineHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level.Level() }

// Handle writes one record as a line.
func (h *lineHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString("bitsdiag: ")
	switch {
	case r.Level >= slog.LevelError:
		b.WriteString("error: ")
	case r.Level >= slog.LevelWarn:
		b.WriteString("warning: ")
	case r.Level < slog.LevelInfo:
		b.WriteString("debug: ")
	}
	b.WriteString(termtext.Escape(r.Message))
	var kv []string
	qualify := false // attrs from WithAttrs carry their group already
	add := func(a slog.Attr) bool {
		if a.Equal(slog.Attr{}) {
			return true
		}
		key := a.Key
		if qualify && h.group != "" {
			key = h.group + "." + key
		}
		v := a.Value.Resolve().String()
		if v == "" || strings.ContainsAny(v, " \"=") || !termtext.Safe(v) {
			v = termtext.Quote(v) // untrusted names: no raw escapes or newlines
		}
		kv = append(kv, key+"="+v)
		return true
	}
	for _, a := range h.attrs {
		add(a)
	}
	qualify = true
	r.Attrs(add)
	if len(kv) > 0 {
		b.WriteString(" (" + strings.Join(kv, " ") + ")")
	}
	b.WriteByte('\n')
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := io.WriteString(h.w, b.String())
	return err
}

// WithAttrs returns a handler that adds attrs to every record.
func (h *lineHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	c.attrs = append([]slog.Attr(nil), h.attrs...)
	for _, a := range attrs {
		if h.group != "" {
			a.Key = h.group + "." + a.Key
		}
		c.attrs = append(c.attrs, a)
	}
	return &c
}

// WithGroup returns a handler that qualifies later attribute keys with name.
func (h *lineHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	c := *h
	if c.group != "" {
		name = c.group + "." + name
	}
	c.group = name
	return &c
}
