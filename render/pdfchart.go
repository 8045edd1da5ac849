package render

import (
	"fmt"
	"strconv"
)

// palette colours the chart's series (one per finding), repeating when
// there are more findings than colours.
var palette = [][3]int{
	{200, 60, 50}, {40, 110, 180}, {230, 150, 30}, {60, 150, 80},
	{140, 80, 170}, {100, 100, 100}, {30, 160, 160}, {190, 100, 140},
}

// niceCeil returns the smallest "round" number (1, 1.5, 2, 2.5, 3, 4, 5,
// 6, 8 times a power of ten, whole numbers only) that is at least n.
func niceCeil(n int) int {
	for m := 1; m < 1e15; m *= 10 {
		for _, k := range []int{10, 15, 20, 25, 30, 40, 50, 60, 80} {
			if v := k * m / 10; v >= n && v > 0 && k*m%10 == 0 {
				return v
			}
		}
	}
	return n
}

// chart draws the stacked bar chart of failures per slot with its axes and
// legend, using only fpdf primitives.
func (p *pdfDoc) chart(h *histogram) {
	f := p.f
	const (
		axisW  = 12.0 // room for the y tick labels
		plotH  = 50.0
		labelH = 9.0
	)
	p.need(plotH + labelH + 12)
	x0 := marginSide + axisW
	plotW := p.cw - axisW
	top := f.GetY() + 7
	bottom := top + plotH

	// Grid and y axis.
	yMax := niceCeil(h.max)
	ticks := 1
	for _, t := range []int{5, 4, 3, 2} {
		if yMax%t == 0 {
			ticks = t
			break
		}
	}
	f.SetFont(fontSans, "", 7)
	p.color(colMuted)
	f.SetLineWidth(0.1)
	for i := 0; i <= ticks; i++ {
		v := yMax * i / ticks
		y := bottom - plotH*float64(v)/float64(yMax)
		p.drawColor([3]int{225, 225, 225})
		if i == 0 {
			p.drawColor(colMuted)
		}
		f.Line(x0, y, x0+plotW, y)
		label := strconv.Itoa(v)
		f.Text(x0-1.5-f.GetStringWidth(label), y+1, label)
	}
	f.Text(marginSide, top-4, h.unitName())

	// Bars, stacked in series order from the bottom.
	n := len(h.slots)
	slotW := plotW / float64(n)
	barW := slotW * 0.72
	for i, s := range h.slots {
		x := x0 + float64(i)*slotW + (slotW-barW)/2
		y := bottom
		for k, c := range s.counts {
			if c == 0 {
				continue
			}
			hgt := plotH * float64(c) / float64(yMax)
			p.fillColor(palette[k%len(palette)])
			f.Rect(x, y-hgt, barW, hgt, "F")
			y -= hgt
		}
	}

	// X labels: as many as fit without overlapping, always the first.
	f.SetFont(fontSans, "", 6.5)
	p.color(colMuted)
	p.drawColor(colMuted)
	labelW := f.GetStringWidth(h.label(h.slots[0].start, p.tz)) + 3
	every := 1
	for float64(every)*slotW < labelW {
		every++
	}
	for i := 0; i < n; i += every {
		cx := x0 + float64(i)*slotW + slotW/2
		f.Line(cx, bottom, cx, bottom+1)
		l := h.label(h.slots[i].start, p.tz)
		lx := min(max(cx-f.GetStringWidth(l)/2, marginSide), marginSide+p.cw-f.GetStringWidth(l))
		f.Text(lx, bottom+4, l)
	}
	f.SetXY(marginSide, bottom+5.5)
	f.CellFormat(p.cw, 4, fmt.Sprintf("One bar per %s, times in %s; the highest bar is %s.",
		h.stepName(), zoneName(p.tz), fmt.Sprintf("%d %s", h.max, h.unitName())), "", 1, "C", false, 0, "")
	f.Ln(2)

	// Legend.
	for k, s := range h.series {
		p.need(bodyLine)
		y := f.GetY()
		p.fillColor(palette[k%len(palette)])
		f.Rect(marginSide+1, y+1, 3, 3, "F")
		f.SetXY(marginSide+6, y)
		f.SetLeftMargin(marginSide + 6)
		spans := []span{bold(s.id)}
		if s.title != "" {
			spans = append(spans, txt(" "+shorten(sanitizeLine(s.title), 120)))
		}
		spans = append(spans, txt(": "+s.count()))
		p.writeSpans(spans, false)
		f.SetLeftMargin(marginSide)
		f.Ln(bodyLine + 0.5)
	}
	p.body()
	f.Ln(2)
}
