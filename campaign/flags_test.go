package campaign

import (
	goflag "flag"
	"time"
)

func flag(name string, v bool, usage string) *bool  { return goflag.Bool(name, v, usage) }
func intFlag(name string, v int, usage string) *int { return goflag.Int(name, v, usage) }
func durFlag(name string, v time.Duration, usage string) *time.Duration {
	return goflag.Duration(name, v, usage)
}
