package analyze

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const referenceDir = "../../shared/reference"

// TestWUCodeTable checks the embedded Windows Update and Delivery
// Optimization table against wu-do-codes.tsv (generated from wuerror.h and
// deliveryoptimizationerrors.h): every code by name, in hex and in both
// decimal forms, with its component; and the download-manager names against
// wu-facts.md's own table.
func TestWUCodeTable(t *testing.T) {
	f, err := os.Open(filepath.Join(referenceDir, "wu-do-codes.tsv"))
	if err != nil {
		t.Skipf("reference not available (%v); this test needs ../shared/reference", err)
	}
	defer f.Close()
	kb := mustKB(t)
	sc := bufio.NewScanner(f)
	wu, do := 0, 0
	for line := 0; sc.Scan(); line++ {
		cols := strings.Split(sc.Text(), "\t")
		if line == 0 || len(cols) < 3 {
			continue
		}
		v, err := strconv.ParseUint(strings.TrimPrefix(strings.ToLower(cols[0]), "0x"), 16, 32)
		if err != nil {
			t.Fatalf("tsv line %d: %v", line+1, err)
		}
		code := uint32(v)
		for _, form := range []string{cols[0], strings.ToLower(cols[0]), fmt.Sprint(code), fmt.Sprint(int32(code))} {
			c, err := ParseCode(form)
			if err != nil || c != code {
				t.Errorf("ParseCode(%q) = %#x, %v; want %#x", form, c, err, code)
			}
		}
		ci := kb.Decode(code)
		if ci.Name != cols[1] {
			t.Errorf("%s: name %q, want %q", cols[0], ci.Name, cols[1])
		}
		if ci.Component == "" {
			t.Errorf("%s: no component", cols[0])
		}
		switch cols[2] {
		case "wuerror.h":
			wu++
			if ci.Category != "Windows Update" {
				t.Errorf("%s: category %q", cols[0], ci.Category)
			}
		default:
			do++
			if ci.Category != "Delivery Optimization" {
				t.Errorf("%s: category %q", cols[0], ci.Category)
			}
		}
	}
	if wu != 477 || do != 82 {
		t.Errorf("%d WU and %d DO codes in the tsv, want 477 and 82", wu, do)
	}
	// wu-facts.md §2.3: the download-manager rows, as the reference prints them.
	md, err := os.ReadFile(filepath.Join(referenceDir, "wu-facts.md"))
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| (0x80246[0-9A-F]{3}) \\| -?\\d+ \\| `(WU_E_DM_[A-Z_]+)` \\|")
	n := 0
	for _, m := range row.FindAllStringSubmatch(string(md), -1) {
		n++
		c, _ := ParseCode(m[1])
		if got := kb.Decode(c).Name; got != m[2] {
			t.Errorf("%s: name %q, wu-facts.md says %q", m[1], got, m[2])
		}
	}
	if n < 25 {
		t.Errorf("found %d download-manager rows in wu-facts.md, want the table (about 29)", n)
	}
	for code, name := range map[uint32]string{0x80246008: "WU_E_DM_FAILTOCONNECTTOBITS", 0x80246009: "WU_E_DM_BITSTRANSFERERROR"} {
		if got := kb.Decode(code).Name; got != name {
			t.Errorf("%s: %q, want %q", FormatCode(code), got, name)
		}
	}
}

// wuManifestCodes reads the MANIFEST's "WindowsUpdateClient IDs; error
// codes" column: file -> "id code" -> count.
func wuManifestCodes(t *testing.T) map[string]map[string]int {
	b, err := os.ReadFile(filepath.Join(corpusDir, "MANIFEST.md"))
	if err != nil {
		t.Skipf("corpus not available (%v)", err)
	}
	out := map[string]map[string]int{}
	file := regexp.MustCompile("^\\| `([^`]+\\.evtx)` \\|")
	code := regexp.MustCompile(`\['(\d+) errorCode=(0x[0-9A-Fa-f]+)', (\d+)\]`)
	for _, line := range strings.Split(string(b), "\n") {
		m := file.FindStringSubmatch(line)
		if m == nil || !strings.Contains(line, "; codes ") {
			continue
		}
		out[m[1]] = map[string]int{}
		for _, c := range code.FindAllStringSubmatch(line, -1) {
			v, _ := ParseCode(c[2])
			n, _ := strconv.Atoi(c[3])
			out[m[1]][c[1]+" "+FormatCode(v)] += n
		}
	}
	return out
}

// TestCorpusWindowsUpdate checks that every Windows Update client failure
// event of the corpus' System and WindowsUpdateClient logs is in a finding
// with its code's name: the MANIFEST's counts, and the for the two
// files whose MANIFEST row predates the Windows Update column.
func TestCorpusWindowsUpdate(t *testing.T) {
	want := wuManifestCodes(t)
	want["omerbenamram_evtx_samples_system.evtx"] = map[string]int{"20 0x80248007": 4, "20 0x80246013": 1}
	want["tugix456_randaodcxjj_System.evtx"] = map[string]int{"20 0x80073CF9": 1}
	checked := 0
	for name, codes := range want {
		dir := "system"
		if strings.Contains(name, "WindowsUpdateClient") {
			dir = "wu"
		}
		if _, err := os.Stat(filepath.Join(corpusDir, dir, name)); err != nil {
			continue // a file of another folder (bits/, large/)
		}
		checked++
		t.Run(name, func(t *testing.T) {
			r := analyseCorpus(t, dir+"/"+name)
			got := map[string]int{}
			for _, f := range r.Findings {
				if f.Source == "" {
					continue
				}
				for _, cc := range f.CodeDetails {
					if cc.Name == "" {
						t.Errorf("%s: code %s without a name", f.KBID, cc.Code)
					}
				}
				for _, ev := range f.Evidence {
					got[fmt.Sprintf("%d %s", ev.EventID, ev.Code)]++
				}
				if f.EvidenceTotal > len(f.Evidence) {
					t.Errorf("%s: %d events, evidence capped at %d: raise the cap for the test", f.KBID, f.EvidenceTotal, len(f.Evidence))
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(codes) {
				t.Errorf("Windows Update failures %v, MANIFEST says %v", got, codes)
			}
			t.Log(r.Verdict)
		})
	}
	if checked < 4 {
		t.Errorf("checked %d corpus files, want the System and wu/ files of the MANIFEST", checked)
	}
}

// TestCorpusWindowsUpdateMachines analyses each machine's Bits-Client,
// System and WindowsUpdateClient logs together.
func TestCorpusWindowsUpdateMachines(t *testing.T) {
	for _, m := range []string{"museum_RathbunVM-Win11", "fukusuket_evtx-parser", "tugix456_randaodcxjj"} {
		t.Run(m, func(t *testing.T) {
			r := analyseCorpus(t, "bits/"+m+"_Bits-Client-Operational.evtx", "system/"+m+"_System.evtx", "wu/"+m+"_WindowsUpdateClient-Operational.evtx")
			if len(r.Inputs) != 3 {
				t.Errorf("%d inputs", len(r.Inputs))
			}
			if !strings.Contains(r.Verdict, "Windows Update") {
				t.Errorf("verdict without Windows Update: %s", r.Verdict)
			}
			for _, f := range r.Findings {
				t.Logf("%s %s %s: %s", f.ID, f.KBID, f.Source, f.Summary)
			}
			t.Log(r.Verdict)
		})
	}
}
