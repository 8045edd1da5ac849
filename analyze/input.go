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
		in.Damage = append(in.Damage, Damage{Kind: p.Kind, Chunk: p.Chunk, Offset: p.Offset, RecordID: p.RecordID, Reason: p.Reason})
	}
	return in
}
