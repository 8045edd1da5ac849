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
// first..last in at most timelineSlots buckets.
func timelineStep(first, last time.Time) time.Duration {
	h := timelineSteps[len(timelineSteps)-1]
	for _, s := range timelineSteps {
		step := time.Duration(s) * time.Hour
		if int(last.Sub(first.Truncate(step))/step)+1 <= timelineSlots {
			h = s
			break
		}
	}
	return time.Duration(h) * time.Hour
}
