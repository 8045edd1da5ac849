package main

import (
	"fmt"
	"strings"

	"bitsdiag/inputs"
	"bitsdiag/pipeline"
)

// maxNamed is how many damaged inputs a warning names before it gives a count.
const maxNamed = 5

// damagedNames lists the damaged or unreadable inputs for the warning: at
// most maxNamed names, then "and N more".
func damagedNames(set *inputs.Set, files []pipeline.File) string {
	var names []string
	for _, r := range set.Rejected {
		names = append(names, r.Path)
	}
	for _, r := range files {
		if r.Input.Path != "" && (!r.Usable || r.Input.Damaged()) {
			names = append(names, r.Input.Path)
		}
	}
	return nameList(names)
}

// nameList joins names for a log attribute (the log handler escapes it).
func nameList(names []string) string {
	shown := names[:min(len(names), maxNamed)]
	s := strings.Join(shown, ", ")
	if more := len(names) - len(shown); more > 0 {
		s += fmt.Sprintf(" and %d more", more)
	}
	return s
}
