module bitsdiag

go 1.26.0

require (
	codeberg.org/go-pdf/fpdf v0.12.0
	github.com/0xrawsec/golang-evtx v1.2.9
	github.com/0xrawsec/golang-utils v1.3.0
	github.com/spf13/pflag v1.1.0
	golang.org/x/image v0.48.0
	golang.org/x/term v0.48.0
)

require golang.org/x/sys v0.50.0 // indirect
