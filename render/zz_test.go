package render

import (
	"bytes"
	"testing"
)

func TestZZ(t *testing.T) {
	r := hostileResult()
	var a bytes.Buffer
	if err := PDF(&a, r, Options{}); err != nil {
		t.Fatal(err)
	}
	t.Log(a.Len())
}
