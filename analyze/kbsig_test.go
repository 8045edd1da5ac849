package analyze

import (
	"fmt"
	"strings"
	"testing"

	"bitsdiag/parse"
)

// sigEvent builds a record that one knowledge-base signature describes.
func sigEvent(en *Entry, sig EventSig) *parse.Event {
	e := &parse.Event{Source: parse.Source{File: "sig.evtx"}, RecordID: 1, TimeCreated: t0, Computer: "PC1",
		Provider: sig.Provider, EventID: sig.EventID, Channel: opChannel}
	scm := strings.EqualFold(sig.Provider, ProviderSCM)
	if scm || isBITSSystemEvent(sig.EventID) {
		e.Channel = "System"
	}
	if scm {
		key := "BITS"
		if sig.EventID == 7036 {
			key = "BITS/1"
		}
		e.Binary = u16(key)
		e.Data = append(e.Data, parse.Field{Name: "param1", Value: bitsDisplayName})
		if sig.EventID == 7040 {
			e.Data = append(e.Data, parse.Field{Name: "param4", Value: "BITS"})
		}
	}
	for k, v := range sig.Match {
		e.Data = append(e.Data, parse.Field{Name: k, Value: v})
	}
	if sig.CodeField != "" && len(en.CodeValues()) > 0 {
		c := en.CodeValues()[0]
		v := fmt.Sprint(c)
		if scm {
			v = fmt.Sprintf("%%%%%d", int32(c))
			if c>>16 == 0x8007 {
				v = fmt.Sprintf("%%%%%d", c&0xFFFF)
			}
		}
		e.Data = append(e.Data, parse.Field{Name: sig.CodeField, Value: v})
	}
	return e
}

// TestEveryKBSignature checks that each signature of each knowledge-base
// entry, given a record it describes, yields exactly that entry's finding:
// new entries work without code changes.
func TestEveryKBSignature(t *testing.T) {
	kb, err := LoadKB()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, en := range kb.Entries {
		for i, sig := range en.Events {
			n++
			t.Run(fmt.Sprintf("%s/%d-%s-%d", en.ID, i, strings.Fields(sig.Provider)[0], sig.EventID), func(t *testing.T) {
				e := sigEvent(en, sig)
				if !defaultSel.Relevant(e) {
					t.Fatalf("record not relevant: %+v", e)
				}
				r := analyse(t, Options{KB: kb}, e)
				if got := kbIDs(r); len(got) != 1 || got[0] != en.ID {
					t.Errorf("findings %v, want [%s] (record %+v)", got, en.ID, e.Data)
				}
			})
		}
	}
	if n == 0 {
		t.Skip("knowledge base has no signatures yet")
	}
}
