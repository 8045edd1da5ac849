// Package campaign holds the hardening mutation campaign (issue 16): a test
// that damages real logs in many ways, runs the whole bitsdiag pipeline on
// each and counts panics, hangs, peak memory, broken record accounting,
// vanished findings and records outside the original id range. It runs only
// when asked, and prints its figures:
//
//	go test ./campaign -run Campaign -campaign -v
//
// Flags: -campaign.random N (random mutations, default 1000),
// -campaign.templates N (template-byte mutations, default 400),
// -campaign.timeout D (a run taking longer is a hang, default 30s).
package campaign
