package campaign

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"bitsdiag/parse"
)

var (
	enabled   = flag("campaign", false, "run the mutation campaign")
	nRandom   = intFlag("campaign.random", 1000, "random mutations")
	nTemplate = intFlag("campaign.templates", 400, "template-byte mutations")
	timeout   = durFlag("campaign.timeout", 30*time.Second, "a run longer than this is a hang")
)

const corpusDir = "../../shared/evtx-corpus"

// truncated are the corpus files cut at every 4 KiB.
var truncated = []string{
	"bits/tugix456_randaodcxjj_Bits-Client-Operational.evtx",
	"system/tugix456_randaodcxjj_System.evtx",
	"wu/tugix456_randaodcxjj_WindowsUpdateClient-Operational.evtx",
	"bits/yamato_hayabusa-sample_T1197_BitsClient.evtx",
}

// mutated are the corpus files the random mutations damage.
var mutated = []string{
	"bits/tugix456_randaodcxjj_Bits-Client-Operational.evtx",
	"bits/museum_RathbunVM-Win11_Bits-Client-Operational.evtx",
	"system/tugix456_randaodcxjj_System.evtx",
	"system/museum_RathbunVM-Win11_System.evtx",
	"malformed/deepbluecli_eventlog-dac_bits_in_slack.evtx",
}

// templateSample is the generated log whose template bytes are mutated.
const templateSample = "../samples/job-http-404/Bits-Client-Operational.evtx"

// figures are the campaign's counts.
type figures struct {
	mu                                sync.Mutex
	mutations, panics, hangs, failed  int
	invariant, vanished, outsideRange int
	vanishedUndecodable               int // findings gone, but records_undecodable > 0 says so
	vanishedSilent                    int // findings gone with no damage entry at all
	rawEscapes                        int
	maxRSS                            int64 // KiB
	examples                          []string
}

func (f *figures) note(format string, args ...any) {
	if len(f.examples) < 20 {
		f.examples = append(f.examples, fmt.Sprintf(format, args...))
	}
}

// baseline is what the intact file gives.
type baseline struct {
	findings     map[string]bool // kb_id
	minID, maxID uint64          // live record ids
}

// mutation is one damaged input.
type mutation struct {
	cut  bool // a truncation: records past the cut are gone, findings may go with them
	what string
	data []byte
	base *baseline
	name string // file name to use (hostile names); "" for a plain one
}

func TestCampaign(t *testing.T) {
	if !*enabled {
		t.Skip("run with -campaign")
	}
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skip("corpus not present")
	}
	dir := t.TempDir()
	bin := buildCLI(t, dir)
	start := time.Now()
	var fig figures
	bases := map[string]*baseline{}
	load := func(path string) ([]byte, *baseline) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if b, ok := bases[path]; ok {
			return data, b
		}
		b := &baseline{findings: map[string]bool{}}
		rep, _, err := report(bin, dir, "base-"+filepath.Base(path), data, &fig)
		if err != nil {
			t.Fatalf("%s: baseline report: %v", path, err)
		}
		for _, f := range rep.Findings {
			b.findings[f.KBID] = true
		}
		b.minID, b.maxID = liveRange(data)
		bases[path] = b
		return data, b
	}

	muts := make(chan mutation)
	go func() {
		defer close(muts)
		for _, name := range truncated {
			data, b := load(filepath.Join(corpusDir, name))
			for n := 4096; n < len(data); n += 4096 {
				muts <- mutation{cut: true, what: fmt.Sprintf("%s cut at %d", name, n), data: data[:n], base: b}
			}
		}
		rng := rand.New(rand.NewPCG(16, 18))
		for i := range *nRandom {
			name := mutated[i%len(mutated)]
			data, b := load(filepath.Join(corpusDir, name))
			d, what := randomMutation(rng, data)
			muts <- mutation{what: name + " " + what, data: d, base: b}
		}
		data, b := load(templateSample)
		spans := templateSpans(data)
		for i := 0; i < *nTemplate && len(spans) > 0; i++ {
			sp := spans[i%len(spans)]
			pos := 4096 + sp[0] + rng.IntN(sp[1]-sp[0])
			d := append([]byte(nil), data...)
			d[pos] ^= byte(1 + rng.IntN(255))
			muts <- mutation{what: fmt.Sprintf("template byte %d", pos), data: d, base: b}
		}
		for _, name := range hostileNames {
			muts <- mutation{what: fmt.Sprintf("name %q", name), data: data, base: b, name: name}
		}
	}()

	var wg sync.WaitGroup
	for w := range 2 {
		wg.Go(func() {
			for m := range muts {
				run(t, bin, filepath.Join(dir, fmt.Sprint("w", w)), m, &fig)
			}
		})
	}
	wg.Wait()
	t.Logf("mutation campaign in %s:", time.Since(start).Round(time.Second))
	t.Logf("  mutations %d (truncations of %d files at every 4 KiB, %d random, %d template-byte, %d hostile names)",
		fig.mutations, len(truncated), *nRandom, *nTemplate, len(hostileNames))
	t.Logf("  panics %d, hangs %d, other failures (exit code not 0/1) %d, max RSS %d KiB", fig.panics, fig.hangs, fig.failed, fig.maxRSS)
	t.Logf("  invariant violations (seen != decoded + filtered + undecodable) %d", fig.invariant)
	t.Logf("  vanished findings (mutations, not truncations): %d with records_undecodable = 0 and no damage listed, %d with records_undecodable = 0 but damage listed, %d with records_undecodable > 0",
		fig.vanishedSilent, fig.vanished, fig.vanishedUndecodable)
	t.Logf("  live records outside the original id range: %d", fig.outsideRange)
	t.Logf("  raw terminal control characters on stderr (hostile names): %d", fig.rawEscapes)
	for _, e := range fig.examples {
		t.Logf("  e.g. %s", e)
	}
	if fig.panics+fig.hangs+fig.failed+fig.invariant > 0 {
		t.Errorf("%d panics, %d hangs, %d other failures, %d invariant violations", fig.panics, fig.hangs, fig.failed, fig.invariant)
	}
	if fig.vanishedSilent+fig.vanished+fig.outsideRange+fig.rawEscapes > 0 {
		t.Errorf("%d findings vanished with records_undecodable = 0, %d live records outside the original id range, %d raw control characters on stderr",
			fig.vanishedSilent+fig.vanished, fig.outsideRange, fig.rawEscapes)
	}
}

var hostileNames = []string{
	"esc\x1b[31mred\x1b[0m.evtx", "osc\x1b]0;title\x07.evtx", "bel\x07.evtx", "new\nline.evtx",
	"cr\rreturn.evtx", "bidi\u202etxt.exe.evtx", "tab\tname.evtx", "nul-like \u2400.evtx",
}

// run executes one mutation through the whole pipeline and counts it.
func run(t *testing.T, bin, dir string, m mutation, fig *figures) {
	os.MkdirAll(dir, 0o755)
	name := m.name
	if name == "" {
		name = "m.evtx"
	}
	rep, stderr, err := report(bin, dir, name, m.data, fig)
	fig.mu.Lock()
	defer fig.mu.Unlock()
	fig.mutations++
	var ee *runError
	if errors.As(err, &ee) {
		switch {
		case ee.hang:
			fig.hangs++
			fig.note("hang: %s", m.what)
		case ee.panic:
			fig.panics++
			fig.note("panic: %s: %s", m.what, firstLine(stderr))
		default:
			fig.failed++
			fig.note("exit %d: %s: %s", ee.code, m.what, firstLine(stderr))
		}
		return
	}
	if m.name != "" && strings.ContainsAny(stderr, "\x1b\x07\r\u202e") {
		fig.rawEscapes++
		fig.note("raw control characters on stderr: %s", m.what)
	}
	undecodable, damage := 0, 0
	if rep != nil && !m.cut {
		for _, in := range rep.Inputs {
			undecodable += in.RecordsUndecodable
			damage += len(in.Damage)
		}
		have := map[string]bool{}
		for _, f := range rep.Findings {
			have[f.KBID] = true
		}
		for id := range m.base.findings {
			if !have[id] {
				switch {
				case undecodable == 0 && damage == 0:
					fig.vanishedSilent++
					fig.note("finding %s vanished, no damage reported: %s", id, m.what)
				case undecodable == 0:
					fig.vanished++
					fig.note("finding %s vanished, records_undecodable 0 (damage listed): %s", id, m.what)
				default:
					fig.vanishedUndecodable++
				}
			}
		}
	}
	seen, decoded, filtered, undec, outside := account(m.data, m.base)
	if seen != decoded+filtered+undec {
		fig.invariant++
		fig.note("invariant: %s: seen %d != %d+%d+%d", m.what, seen, decoded, filtered, undec)
	}
	if outside > 0 {
		fig.outsideRange += outside
		fig.note("%d live records outside ids %d-%d: %s", outside, m.base.minID, m.base.maxID, m.what)
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

type runError struct {
	code        int
	hang, panic bool
}

func (e *runError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// reportJSON is the part of the report the campaign reads.
type reportJSON struct {
	Inputs []struct {
		RecordsUndecodable int               `json:"records_undecodable"`
		Damage             []json.RawMessage `json:"damage"`
	} `json:"inputs"`
	Findings []struct {
		KBID string `json:"kb_id"`
	} `json:"findings"`
}

// report writes data to dir/name and runs "bitsdiag report -f json" on it.
func report(bin, dir, name string, data []byte, fig *figures) (*reportJSON, string, error) {
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return nil, "", err
	}
	defer os.Remove(path)
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "report", "-q", "-f", "json", path)
	cmd.Env = append(os.Environ(), "SOURCE_DATE_EPOCH=1700000000")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			fig.mu.Lock()
			fig.maxRSS = max(fig.maxRSS, ru.Maxrss)
			fig.mu.Unlock()
		}
	}
	code := cmd.ProcessState.ExitCode()
	switch {
	case ctx.Err() != nil:
		return nil, errb.String(), &runError{code: -1, hang: true}
	case strings.Contains(errb.String(), "panic:") || strings.Contains(errb.String(), "goroutine "):
		return nil, errb.String(), &runError{code: code, panic: true}
	case code == 1 && out.Len() == 0:
		return nil, errb.String(), nil // refused (not EVTX): fine
	case err != nil && code != 1:
		return nil, errb.String(), &runError{code: code}
	}
	var r reportJSON
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		return nil, errb.String(), &runError{code: code}
	}
	return &r, errb.String(), nil
}

// account reads data with the reader (all records, slack recovered every
// other time) and returns its accounting and the number of live records
// outside the original id range.
func account(data []byte, b *baseline) (seen, decoded, filtered, undecodable, outside int) {
	rd, err := parse.NewReader(bytes.NewReader(data), int64(len(data)), parse.Options{})
	if err != nil {
		return
	}
	defer rd.Close()
	for {
		_, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			undecodable++
			continue
		}
		decoded++
	}
	s := rd.Summary()
	if decoded != s.RecordsDecoded || undecodable != s.RecordsUndecodable {
		return s.RecordsSeen, decoded, s.RecordsFiltered, undecodable + 1<<20, 0
	}
	if b.maxID > 0 && s.RecordsSeen > 0 && (s.FirstRecordID < b.minID || s.LastRecordID > b.maxID) {
		outside = 1
	}
	return s.RecordsSeen, decoded, s.RecordsFiltered, undecodable, outside
}

// liveRange is the lowest and highest live record-header id of data.
func liveRange(data []byte) (uint64, uint64) {
	rd, err := parse.NewReader(bytes.NewReader(data), int64(len(data)), parse.Options{})
	if err != nil {
		return 0, 0
	}
	defer rd.Close()
	for {
		if _, err := rd.Next(); err == io.EOF {
			break
		}
	}
	return rd.Summary().FirstRecordID, rd.Summary().LastRecordID
}

// randomMutation damages a copy of data in one of several ways.
func randomMutation(rng *rand.Rand, data []byte) ([]byte, string) {
	d := append([]byte(nil), data...)
	pos := rng.IntN(len(d))
	switch k := rng.IntN(6); k {
	case 0: // one byte
		d[pos] ^= byte(1 + rng.IntN(255))
		return d, fmt.Sprintf("byte %d", pos)
	case 1: // a few scattered bytes
		for range 16 {
			d[rng.IntN(len(d))] = byte(rng.IntN(256))
		}
		return d, "16 random bytes"
	case 2: // a 4-byte field set to an extreme value
		pos &^= 3
		if pos+4 <= len(d) {
			v := []uint32{0, 0xffffffff, 0x80000000, 512, 65536, uint32(rng.IntN(1 << 16))}[rng.IntN(6)]
			binary.LittleEndian.PutUint32(d[pos:], v)
		}
		return d, fmt.Sprintf("uint32 at %d", pos)
	case 3: // a zeroed run
		n := min(1+rng.IntN(4096), len(d)-pos)
		clear(d[pos : pos+n])
		return d, fmt.Sprintf("%d zero bytes at %d", n, pos)
	case 4: // a chunk header field (offsets 8..128 of a chunk)
		if len(d) > 4096+65536 {
			c := 4096 + 65536*rng.IntN((len(d)-4096)/65536)
			p := c + 8 + 4*rng.IntN(30)
			binary.LittleEndian.PutUint32(d[p:], rng.Uint32())
			return d, fmt.Sprintf("chunk header field at %d", p)
		}
		d[pos] ^= 0xff
		return d, fmt.Sprintf("byte %d", pos)
	default: // a copied block (duplicated records, wrong offsets)
		n := min(64+rng.IntN(2048), len(d)-pos)
		src := rng.IntN(len(d) - n + 1)
		copy(d[pos:pos+n], data[src:src+n])
		return d, fmt.Sprintf("%d bytes from %d copied to %d", n, src, pos)
	}
}

// templateSpans returns the chunk-relative ranges of the inline template
// definitions of chunk 0 (found by their template instance headers).
func templateSpans(data []byte) [][2]int {
	var spans [][2]int
	if len(data) < 4096+65536 {
		return nil
	}
	chunk := data[4096 : 4096+65536]
	for off := 512; off+24 < len(chunk); {
		if !bytes.Equal(chunk[off:off+4], []byte("**\x00\x00")) {
			break
		}
		size := int(binary.LittleEndian.Uint32(chunk[off+4:]))
		if size < 28 || off+size > len(chunk) {
			break
		}
		p := off + 24
		if chunk[p] == 0x0f {
			p += 4
		}
		if chunk[p] == 0x0c && p+10 <= len(chunk) {
			def := int(binary.LittleEndian.Uint32(chunk[p+6:]))
			if def == p+10 && def+24 <= len(chunk) {
				spans = append(spans, [2]int{def + 4, def + 24 + int(binary.LittleEndian.Uint32(chunk[def+20:]))})
			}
		}
		off += size
	}
	return spans
}

// buildCLI builds bitsdiag into dir and returns its path.
func buildCLI(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "bitsdiag")
	if out, err := exec.Command("go", "build", "-o", bin, "bitsdiag/cmd/bitsdiag").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}
