package render

import (
	"os"
	"testing"
)

func TestZZ(t *testing.T) {
	for name, r := range map[string]any{"hostile": hostileResult(), "many": manyFindings(60), "rich": richResult(), "empty": emptyResult()} {
		_ = r
		f, _ := os.Create("/tmp/" + name + ".pdf")
		o := Options{}
		if name == "rich" {
			o.Paper = "Letter"
		}
		switch name {
		case "hostile":
			PDF(f, hostileResult(), o)
		case "many":
			PDF(f, manyFindings(60), o)
		case "rich":
			PDF(f, richResult(), o)
		case "empty":
			PDF(f, emptyResult(), o)
		}
		f.Close()
	}
}
