package render

import (
	"bufio"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"strings"
	"time"

	"bitsdiag/analyze"
)

// HTML writes the report as one self-contained HTML file: the same content
// as the Markdown, with inline CSS, the timeline as inline SVG and a small
// inline script (the only one) that sorts the findings table. It loads
// nothing from elsewhere: a Content-Security-Policy allows no network
// access and no script but its own. Every text from the logs is escaped.
func HTML(w io.Writer, r *analyze.Result, o Options) error {
	if r == nil {
		return errNilResult
	}
	d := buildDocument(r, o)
	bw := bufio.NewWriter(w)
	h := &htmlWriter{w: bw, tz: o.tz()}
	h.s("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	h.s(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src '` + htmlScriptHash + `'">` + "\n")
	h.s("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	h.s("<title>" + htmlText(shorten(sanitizeLine(d.title), maxHeading)) + "</title>\n")
	h.s("<style>" + htmlCSS + "</style>\n</head>\n<body>\n<main>\n")
	for _, b := range d.blocks {
		h.block(b)
	}
	h.s("</main>\n<script>" + htmlScript + "</script>\n</body>\n</html>\n")
	if h.err != nil {
		return fmt.Errorf("render: writing HTML: %w", h.err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("render: writing HTML: %w", err)
	}
	return nil
}

// htmlCSS is the report's whole style sheet.
const htmlCSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",sans-serif;color:#1e1e1e;margin:0;background:#fff}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:26px;margin:0 0 12px}h2{font-size:20px;color:#19468c;border-bottom:1px solid #bbb;margin-top:32px}
h3{font-size:16px;color:#19468c;margin-top:24px}h4{font-size:14px;margin:14px 0 4px}
code,pre{font-family:ui-monospace,"DejaVu Sans Mono",Consolas,monospace;font-size:12.5px}
code{background:#f1f1f1;padding:0 3px;border-radius:3px}
pre{background:#f1f1f1;padding:8px 10px;overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere;border-radius:4px}
pre code{background:none;padding:0}
table{border-collapse:collapse;margin:8px 0;font-size:12.5px}
th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:top;text-align:left;overflow-wrap:anywhere}
th{background:#e8edf5;white-space:nowrap}td.num,th.num{text-align:right}tr:nth-child(even) td{background:#fafafa}
table.sortable th{cursor:pointer}table.sortable th:after{content:" \2195";color:#999}
ul.fields{list-style:none;padding-left:0}ul.fields li{margin:1px 0}
.shell{font-style:italic;color:#666;margin:4px 0 2px}.note{font-style:italic;color:#444}
.corr{font-style:italic;color:#444;margin:2px 0}
svg{max-width:100%;height:auto}svg text{font:11px sans-serif;fill:#444}
a{color:#145abe}
`

// htmlScript sorts a table with class "sortable" by the clicked column
// (numbers numerically, text as text; a second click reverses).
const htmlScript = `(function(){document.querySelectorAll("table.sortable").forEach(function(t){var hs=t.tHead.rows[0].cells;for(var i=0;i<hs.length;i++){(function(c){hs[c].addEventListener("click",function(){var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows),d=hs[c].getAttribute("data-dir")==="asc"?-1:1;hs[c].setAttribute("data-dir",d===1?"asc":"desc");rows.sort(function(x,y){var a=x.cells[c].textContent.trim(),z=y.cells[c].textContent.trim(),na=parseFloat(a.replace(/^F/,"")),nz=parseFloat(z.replace(/^F/,""));if(!isNaN(na)&&!isNaN(nz)&&String(na)===a.replace(/^F/,"")&&String(nz)===z.replace(/^F/,""))return d*(na-nz);return d*a.localeCompare(z)});rows.forEach(function(r){b.appendChild(r)})})})(i)}})})();`

// htmlScriptHash is the CSP hash of htmlScript.
var htmlScriptHash = func() string {
	sum := sha256.Sum256([]byte(htmlScript))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}()

// htmlWriter writes blocks as HTML, keeping the first write error.
type htmlWriter struct {
	w   *bufio.Writer
	tz  *time.Location
	err error
}

func (h *htmlWriter) s(s string) {
	if h.err == nil {
		_, h.err = h.w.WriteString(s)
	}
}

// htmlText escapes untrusted text for element content and attribute values.
func htmlText(s string) string { return html.EscapeString(s) }

func (h *htmlWriter) block(b block) {
	switch b := b.(type) {
	case heading:
		tag := fmt.Sprintf("h%d", min(max(b.level, 1), 6))
		id := ""
		if b.anchor != "" {
			id = ` id="` + htmlText(b.anchor) + `"`
		}
		cls := ""
		if b.level == 3 && strings.HasPrefix(b.anchor, "finding-") {
			cls = ` class="finding"`
		}
		h.s("<" + tag + id + cls + ">" + htmlText(shorten(sanitizeLine(b.text), maxHeading)) + "</" + tag + ">\n")
	case para:
		cls := ""
		if b.italic {
			cls = ` class="note"`
		}
		h.s("<p" + cls + ">" + htmlSpans(b.spans) + "</p>\n")
	case fields:
		h.s("<ul class=\"fields\">\n")
		for _, f := range b.items {
			h.s("<li><strong>" + htmlText(f.key) + ":</strong> " + htmlSpans(f.value) + "</li>\n")
		}
		h.s("</ul>\n")
	case bullets:
		h.s("<ul>\n")
		for _, it := range b.items {
			h.s("<li>" + htmlSpans(it) + "</li>\n")
		}
		h.s("</ul>\n")
	case steps:
		h.steps(b.items)
	case table:
		h.table(b)
	case chart:
		h.chart(b.h)
	}
}

// htmlSpans renders inline spans.
func htmlSpans(spans []span) string {
	var b strings.Builder
	for _, s := range spans {
		switch s.kind {
		case spanText:
			b.WriteString(htmlText(sanitizeLine(s.text)))
		case spanBold:
			if t := strings.TrimSpace(sanitizeLine(s.text)); t != "" {
				b.WriteString("<strong>" + htmlText(t) + "</strong>")
			}
		case spanProse:
			b.WriteString(htmlProse(s.text))
		case spanCode:
			if t := sanitizeLine(s.text); t != "" {
				b.WriteString("<code>" + htmlText(t) + "</code>")
			}
		case spanLink:
			b.WriteString(`<a href="#` + htmlText(s.anchor) + `">` + htmlText(sanitizeLine(s.text)) + "</a>")
		}
	}
	return b.String()
}

// htmlProse renders trusted knowledge-base prose: `code` and **bold**, the
// rest escaped.
func htmlProse(s string) string {
	var b strings.Builder
	for i, part := range strings.Split(sanitizeLine(s), "`") {
		if i%2 == 1 {
			b.WriteString("<code>" + htmlText(part) + "</code>")
			continue
		}
		for j, piece := range strings.Split(part, "**") {
			if j%2 == 1 {
				b.WriteString("<strong>" + htmlText(piece) + "</strong>")
			} else {
				b.WriteString(htmlText(piece))
			}
		}
	}
	return b.String()
}

func (h *htmlWriter) steps(items []analyze.Step) {
	h.s("<ol>\n")
	for _, st := range items {
		text := st.Text
		if strings.TrimSpace(text) == "" {
			text = "(no text)"
		}
		h.s("<li>" + htmlProse(text))
		if len(st.Commands) > 0 {
			h.s("\n<div class=\"shell\">" + htmlText(stepShellLine(st)) + "</div>\n<pre><code>" +
				htmlText(strings.TrimRight(sanitizeBlock(strings.Join(st.Commands, "\n")), "\n")) + "</code></pre>")
		}
		for _, c := range st.Corrections {
			h.s("\n<div class=\"corr\">Corrected from the article: " + htmlProse(c) + "</div>")
		}
		h.s("</li>\n")
	}
	h.s("</ol>\n")
}

func (h *htmlWriter) table(t table) {
	var b strings.Builder
	b.WriteString("<table")
	if t.sortable {
		b.WriteString(` class="sortable"`)
	}
	b.WriteString("><thead><tr>")
	for _, c := range t.cols {
		cls := ""
		if c.right {
			cls = ` class="num"`
		}
		b.WriteString("<th" + cls + ">" + htmlText(c.title) + "</th>")
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	for _, row := range t.rows {
		b.WriteString("<tr>")
		for i, c := range t.cols {
			var cl cell
			if i < len(row) {
				cl = row[i]
			}
			full := sanitizeLine(cl.plain())
			shown := shorten(full, c.max)
			v := htmlText(shown)
			if c.mono && v != "" {
				v = "<code>" + v + "</code>"
			} else if cl.code != "" {
				text := sanitizeLine(cl.text)
				v = htmlText(text)
				if v != "" {
					v += ": "
				}
				v += "<code>" + htmlText(shorten(sanitizeLine(cl.code), max(24, c.max-len([]rune(text))))) + "</code>"
			}
			if cl.anchor != "" {
				v = `<a href="#` + htmlText(cl.anchor) + `">` + v + "</a>"
			}
			attr := ""
			if c.right {
				attr = ` class="num"`
			}
			if shown != full {
				attr += ` title="` + htmlText(shorten(full, 2000)) + `"`
			}
			b.WriteString("<td" + attr + ">" + v + "</td>")
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody></table>\n")
	h.s(b.String())
}

// htmlPalette colours the chart's series.
var htmlPalette = []string{"#1f5fbf", "#d9822b", "#2e9e5b", "#b83b5e", "#7a5cc2", "#8c6d1f", "#3a9fb0", "#777777"}

// chart draws the histogram as an inline SVG bar chart, one stacked bar per
// slot, with a legend below.
func (h *htmlWriter) chart(hg *histogram) {
	const barW, gap, height, top, left, bottom = 14.0, 4.0, 160.0, 10.0, 40.0, 60.0
	n := len(hg.slots)
	width := left + float64(n)*(barW+gap) + 10
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="failures over time" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f">`,
		width, top+height+bottom, width, top+height+bottom)
	fmt.Fprintf(&b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="#999"/>`, left, top+height, width-5, top+height)
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" text-anchor="end">%d</text>`, left-4, top+8, hg.max)
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" text-anchor="end">0</text>`, left-4, top+height)
	every := max(1, n/12)
	for i, s := range hg.slots {
		x := left + float64(i)*(barW+gap) + gap/2
		y := top + height
		for k, c := range s.counts {
			if c == 0 || hg.max == 0 {
				continue
			}
			bh := float64(c) / float64(hg.max) * height
			y -= bh
			id := ""
			if k < len(hg.series) {
				id = hg.series[k].id
			}
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.0f" height="%.1f" fill="%s"><title>%s: %s %d</title></rect>`,
				x, y, barW, bh, htmlPalette[k%len(htmlPalette)], htmlText(hg.label(s.start, h.tz)), htmlText(sanitizeLine(id)), c)
		}
		if i%every == 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" transform="rotate(45 %.1f %.0f)">%s</text>`,
				x, top+height+12, x, top+height+12, htmlText(hg.label(s.start, h.tz)))
		}
	}
	b.WriteString("</svg>\n<ul>\n")
	for k, s := range hg.series {
		fmt.Fprintf(&b, `<li><svg width="10" height="10"><rect width="10" height="10" fill="%s"/></svg> <strong>%s</strong> %s: %s</li>`+"\n",
			htmlPalette[k%len(htmlPalette)], htmlText(sanitizeLine(s.id)), htmlText(shorten(sanitizeLine(s.title), 120)), htmlText(s.count()))
	}
	b.WriteString("</ul>\n")
	h.s(b.String())
}
