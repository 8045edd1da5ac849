package render

import (
	"os"
	"testing"
	"time"
)

func TestZZDump(t *testing.T) {
	f, _ := os.Create("/tmp/hostile.md")
	Markdown(f, hostileResult(), Options{})
	f.Close()
	_ = time.UTC
}
