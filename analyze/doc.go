// Package analyze turns decoded event-log records into a diagnosis of BITS
// (Background Intelligent Transfer Service): reconstructed jobs, the service's
// health, and ranked findings explained by the knowledge base.
//
// Use: New(Options), then AddInput for every file (InputFromSummary) and
// AddEvent for every decoded record, from any number of files in any order,
// then ResultContext. The package bitsdiag/pipeline does this
// for a set of input files.
//
// What is evidence is decided by Sources (SOURCES.md): each names its
// providers and channels, decides relevance once (Select gives the reader's
// pre-filter, the same decision on a decoded record, and the channel
// choice), and gives its event ids a Rule. The default sources read every
// Microsoft-Windows-Bits-Client record, and Service Control Manager records
// about BITS, recognised by the service key in <Binary> ("BITS", or
// "BITS/<state>" in 7036) or 7040's param4, the English display name only as
// a fallback. The analysis keeps a Fact of each relevant event: only the
// fields the sources read, capped and shared.
//
// Duplicate records (same computer, channel, record id and time, as in
// overlapping copies of a log) count once; the copy from the first file name
// is kept as evidence. The result is the same whatever the order of AddEvent.
//
// # Result schema (JSON keys)
//
//   - tool {name, version}; title; generated; window {start, end, since, until}:
//     first and last analysed record, and the --since/--until limits.
//   - inputs[]: path, size, sha256, records (seen), records_analysed (BITS
//     records used), records_filtered (skipped unread by the pre-filter),
//     records_undecodable, first_time, last_time, channels, computers,
//     skipped, damage[] {kind, chunk, offset, record_id, reason}.
//   - computers[]: every computer name in the analysed records.
//   - verdict: one or two sentences led by the top finding, or "No BITS
//     failures found ...".
//   - findings[] (ranked: error, warning, info; then most recent; then most
//     frequent): id (F1..), kb_id (knowledge-base id, or "code-0x%08X" for a
//     failure code the knowledge base does not explain), severity, title,
//     codes[] (0x%08X), code_details[] {code, name, count}, count (records),
//     jobs_affected, jobs[] (job GUIDs), first_seen, last_seen, computers[],
//     hosts[] (from URLs), proxies[], status ("recovered": every affected
//     URL, job or service later worked; "unresolved": one was still failing
//     at the end of the log; "": does not apply), transient, summary (plain
//     words with numbers), notes[] (bursts, concentration on one host or
//     proxy, cancelled jobs), cause, fix[] and verify[] {text, commands[]},
//     doc_section, corrections[], evidence[] {file, record_id, time,
//     event_id, computer, code, job, url, text} (at most Options.EvidenceCap,
//     spread from first to last) and evidence_total.
//   - jobs[] (by first appearance): id (upper-case GUID without braces),
//     title, owner, process (path and PID from event 3 v2+), computer,
//     urls[], hosts[], files[], bytes_total and bytes_transferred (null when
//     unknown, e.g. logged as UINT64_MAX), first, last, outcome ("completed",
//     "cancelled", "failing": the last transfer failed, "open"), errors[]
//     {code, name, count}, retries (transfers restarted after a failure),
//     transfers (event 59 starts), interruptions (stops with a success-class
//     code such as 0x00040008: not failures).
//   - service: timeline[] {time, computer, event_id, kind ("state",
//     "start-type", "start-failure", "crash", "timeout", "logon-failure",
//     "bits-system"), text, code, routine (auto<->demand start-type flapping),
//     file, record_id}, start_failures, crashes, state_at_end,
//     start_type_at_end.
//   - coverage[] per file, computer and channel: first, last, records,
//     first_record_id, last_record_id, record_id_gaps, missing_record_ids,
//     bits_only (the log holds other records too, so the times and ids
//     span its analysed records only: BITS, and Windows Update client and
//     Delivery Optimization; the whole log's span is in the inputs'
//     log_first/log_last) and warning (wrapped log, short window,
//     gaps: what the evidence cannot show).
//   - timeline[] {start, length ("1h" when the failures span up to 3 days,
//     "24h" up to 200 days, else "168h"), counts {finding id: records}},
//     contiguous from the first to the last failure.
//
// Error codes: 0 is success; a code with the severity bit clear (e.g.
// 0x00040008 on event 60) is an interruption; any other code is a failure,
// explained by the knowledge-base entry whose signature names the event and
// lists the code (or that lists the code in a compatible context).
package analyze
