package analyze

import "bitsdiag/parse"

// InputFromSummary builds a file's inventory from the reader's summary. The
// analysis completes the record counts, times, channels and computers.
func InputFromSummary(path string, size int64, sha256 string, s *parse.Summary) Input {
	in := Input{Path: path, Size: size, SHA256: sha256, Damage: []Damage{}}
	if s == nil {
		return in
	}
	in.Records = s.RecordsSeen
	in.RecordsUndecoded = s.RecordsUndecodable
	in.RecordsFiltered = s.RecordsFiltered
	in.LogFirst, in.LogLast = s.FirstWritten, s.LastWritten
	if s.SkippedChannel != "" {
		in.Skipped = "channel " + s.SkippedChannel + " holds no BITS events; only its first chunk was read, so its records and damage are counted up to there"
	}
	for _, p := range s.Problems {
		in.Damage = append(in.Damage, Damage{Kind: DamageKind(p.Kind), Chunk: p.Chunk, Offset: p.Offset, RecordID: p.RecordID, Reason: p.Reason})
	}
	return in
}

// benignDamage are reader notes that real, healthy logs carry: a log copied
// while Windows had it open is dirty (or full), counts its chunks wrong and
// keeps stale records in chunk slack. They are listed but are not damage.
var benignDamage = map[DamageKind]bool{
	"dirty": true, "full": true, "header-chunk-count": true, "slack": true, "slack-record": true,
}

// BenignDamage reports whether a damage kind is a note that healthy logs
// copied from a running system carry, rather than damage.
func BenignDamage(kind DamageKind) bool { return benignDamage[kind] }

// Damaged reports whether the file has real damage: records that could not
// be decoded, or a problem other than the benign notes (BenignDamage).
func (in *Input) Damaged() bool {
	if in.RecordsUndecoded > 0 {
		return true
	}
	for _, d := range in.Damage {
		if !benignDamage[d.Kind] {
			return true
		}
	}
	return false
}
