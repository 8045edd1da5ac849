package analyze

import "time"

// timelineSlots is the most buckets timelineStep aims for. The reports'
// chart shows at most 48 slots aligned in the display zone, which can take
// one slot more than UTC alignment; at 47 the chart uses the same bucket
// length as the JSON, so the text's "counted per N hours/days" and the
// JSON's "length" agree.
const timelineSlots = 47

// timelineSteps are the bucket lengths, in hours, the chart also uses.
var timelineSteps = []int{1, 2, 3, 6, 12, 24, 48, 7 * 24, 14 * 24, 28 * 24}

// timelineStep is the shortest bucket length from timelineSteps that covers
// first..last in at most timelineSlots buckets; a longer span (years of
// Windows Update records) gets whole days, as many as timelineSlots buckets
// need, as the chart does then.
func timelineStep(first, last time.Time) time.Duration {
	for _, s := range timelineSteps {
		step := time.Duration(s) * time.Hour
		if int(last.Sub(first.Truncate(step))/step)+1 <= timelineSlots {
			return step
		}
	}
	// The chart spans its first bucket's start to its last bucket's end (up
	// to two buckets more than first..last) in at most timelineSlots+1 whole
	// days slots; the smallest such length is the one it then uses too.
	const day = 24 * time.Hour
	span := int(last.Sub(first) / day)
	days := max(span/timelineSlots+1, timelineSteps[len(timelineSteps)-1]/24)
	for (span+2*days)/(timelineSlots+1)+1 > days {
		days++
	}
	return time.Duration(days) * day
}
