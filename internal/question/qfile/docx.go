package qfile

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"

	"pufa/internal/upload"
)

// docxText returns the text of a .docx's main part, one line per
// paragraph, with the numbers Word's automatic numbering shows ("1.",
// "A.", "一、") written out, since banks typed in Word often number their
// questions and options that way and the numbers are not in the text.
// Deleted revisions, field codes and the fallback copies of text boxes
// are left out.
func docxText(zr *zip.Reader, doc *zip.File, l upload.Limits) (string, error) {
	num := readNumbering(zr, l)
	rc, err := upload.OpenEntry(doc, l)
	if err != nil {
		return "", err
	}
	defer rc.Close()

	type para struct {
		text  strings.Builder
		numID string
		ilvl  int
	}
	var (
		out   strings.Builder
		stack []*para
		skip  int // depth inside an element whose text is not shown
		inT   bool
	)
	counters := newCounters(num)
	dec := xml.NewDecoder(rc)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var inv *upload.InvalidError
			if errors.As(err, &inv) {
				return "", err // OpenEntry's size check
			}
			return "", &upload.InvalidError{Reason: "文件不是有效的 .docx 文件：正文无法解析", Err: err}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skip > 0 {
				skip++
				continue
			}
			var cur *para
			if len(stack) > 0 {
				cur = stack[len(stack)-1]
			}
			switch t.Name.Local {
			case "del", "delText", "instrText", "Fallback", "pPrChange", "rPrChange", "numberingChange":
				skip = 1
			case "p":
				stack = append(stack, &para{})
			case "t":
				inT = true
			case "tab":
				if cur != nil && !inT {
					cur.text.WriteByte('\t')
				}
			case "br", "cr":
				if cur != nil {
					cur.text.WriteByte('\n')
				}
			case "numId":
				if cur != nil {
					cur.numID = attr(t, "val")
				}
			case "ilvl":
				if cur != nil {
					cur.ilvl, _ = strconv.Atoi(attr(t, "val"))
				}
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			switch t.Name.Local {
			case "t":
				inT = false
			case "p":
				if len(stack) == 0 {
					continue
				}
				p := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				text := p.text.String()
				if strings.TrimSpace(text) != "" {
					out.WriteString(counters.label(p.numID, p.ilvl))
				}
				out.WriteString(text)
				out.WriteByte('\n')
			}
		case xml.CharData:
			if skip == 0 && inT && len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		}
	}
	return out.String(), nil
}

// attr returns the value of the attribute named local, in any namespace.
func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// numbering is what word/numbering.xml says about lists.
type numbering struct {
	abstract  map[string]string         // numId → abstractNumId
	overrides map[string]map[int]int    // numId → level → start
	levels    map[string]map[int]nLevel // abstractNumId → level → format
}

type nLevel struct {
	start  int
	format string // numFmt: decimal, upperLetter, chineseCounting…
	text   string // lvlText: "%1.", "（%1）"
}

type xmlNumbering struct {
	Abstract []struct {
		ID     string `xml:"abstractNumId,attr"`
		Levels []struct {
			Ilvl  string  `xml:"ilvl,attr"`
			Start valAttr `xml:"start"`
			Fmt   valAttr `xml:"numFmt"`
			Text  valAttr `xml:"lvlText"`
		} `xml:"lvl"`
	} `xml:"abstractNum"`
	Nums []struct {
		ID        string  `xml:"numId,attr"`
		Abstract  valAttr `xml:"abstractNumId"`
		Overrides []struct {
			Ilvl  string  `xml:"ilvl,attr"`
			Start valAttr `xml:"startOverride"`
		} `xml:"lvlOverride"`
	} `xml:"num"`
}

type valAttr struct {
	Val string `xml:"val,attr"`
}

// readNumbering reads word/numbering.xml; a missing or broken one means
// no automatic numbers, not an unreadable document.
func readNumbering(zr *zip.Reader, l upload.Limits) *numbering {
	for _, f := range zr.File {
		if strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/")) != "word/numbering.xml" {
			continue
		}
		rc, err := upload.OpenEntry(f, l)
		if err != nil {
			return nil
		}
		defer rc.Close()
		var x xmlNumbering
		if err := xml.NewDecoder(rc).Decode(&x); err != nil {
			return nil
		}
		n := &numbering{abstract: map[string]string{}, overrides: map[string]map[int]int{}, levels: map[string]map[int]nLevel{}}
		for _, a := range x.Abstract {
			lv := map[int]nLevel{}
			for _, l := range a.Levels {
				i, err := strconv.Atoi(l.Ilvl)
				if err != nil || i < 0 || i > 8 {
					continue
				}
				start, err := strconv.Atoi(l.Start.Val)
				if err != nil {
					start = 1
				}
				lv[i] = nLevel{start: start, format: l.Fmt.Val, text: l.Text.Val}
			}
			n.levels[a.ID] = lv
		}
		for _, m := range x.Nums {
			n.abstract[m.ID] = m.Abstract.Val
			for _, o := range m.Overrides {
				i, err := strconv.Atoi(o.Ilvl)
				s, serr := strconv.Atoi(o.Start.Val)
				if err != nil || serr != nil || o.Start.Val == "" {
					continue
				}
				if n.overrides[m.ID] == nil {
					n.overrides[m.ID] = map[int]int{}
				}
				n.overrides[m.ID][i] = s
			}
		}
		return n
	}
	return nil
}

// counters follow the numbers of Word's lists as paragraphs go by. Lists
// sharing an abstract definition continue each other's numbers, as Word
// does, unless a list restarts a level with a start override.
type counters struct {
	n       *numbering
	vals    map[string]*[9]int  // abstractNumId → current value per level
	started map[string]*[9]bool // abstractNumId → level has a value
	seen    map[string]bool     // numIds already used
}

func newCounters(n *numbering) *counters {
	return &counters{n: n, vals: map[string]*[9]int{}, started: map[string]*[9]bool{}, seen: map[string]bool{}}
}

// label advances the list numID at level ilvl and returns the number
// Word shows for the paragraph, followed by a space, or "".
func (c *counters) label(numID string, ilvl int) string {
	if c.n == nil || numID == "" || numID == "0" || ilvl < 0 || ilvl > 8 {
		return ""
	}
	abs, ok := c.n.abstract[numID]
	levels := c.n.levels[abs]
	if !ok || levels == nil {
		return ""
	}
	lv, ok := levels[ilvl]
	if !ok {
		return ""
	}
	if c.vals[abs] == nil {
		c.vals[abs], c.started[abs] = &[9]int{}, &[9]bool{}
	}
	vals, started := c.vals[abs], c.started[abs]
	if !c.seen[numID] {
		c.seen[numID] = true
		for lvl := range c.n.overrides[numID] {
			if lvl >= 0 && lvl < 9 {
				started[lvl] = false
			}
		}
	}
	if started[ilvl] {
		vals[ilvl]++
	} else {
		vals[ilvl], started[ilvl] = lv.start, true
		if s, ok := c.n.overrides[numID][ilvl]; ok {
			vals[ilvl] = s
		}
	}
	for k := ilvl + 1; k < 9; k++ {
		started[k] = false
	}
	if lv.format == "bullet" || lv.format == "none" || lv.text == "" {
		return ""
	}
	var b strings.Builder
	for i := 0; i < len(lv.text); i++ {
		if lv.text[i] == '%' && i+1 < len(lv.text) && lv.text[i+1] >= '1' && lv.text[i+1] <= '9' {
			k := int(lv.text[i+1] - '1')
			v := vals[k]
			if !started[k] {
				v = levels[k].start
			}
			b.WriteString(formatNumber(v, levels[k].format))
			i++
			continue
		}
		b.WriteByte(lv.text[i])
	}
	return b.String() + " "
}

// formatNumber writes n in a Word number format.
func formatNumber(n int, format string) string {
	switch format {
	case "upperLetter", "lowerLetter":
		if n < 1 {
			return ""
		}
		// Word repeats the letter: A…Z, AA…ZZ.
		s := strings.Repeat(string(rune('A'+(n-1)%26)), (n-1)/26+1)
		if format == "lowerLetter" {
			s = strings.ToLower(s)
		}
		return s
	case "upperRoman", "lowerRoman":
		s := roman(n)
		if format == "lowerRoman" {
			s = strings.ToLower(s)
		}
		return s
	case "chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand", "chineseLegalSimplified":
		return chinese(n)
	case "ideographTraditional":
		if n >= 1 && n <= 10 {
			return string([]rune("甲乙丙丁戊己庚辛壬癸")[n-1])
		}
	case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
		if n >= 1 && n <= 20 {
			return string(rune('①' + n - 1))
		}
	case "decimalZero":
		if n < 10 && n >= 0 {
			return "0" + strconv.Itoa(n)
		}
	}
	return strconv.Itoa(n)
}

func roman(n int) string {
	if n < 1 || n > 3999 {
		return strconv.Itoa(n)
	}
	var b strings.Builder
	for _, p := range []struct {
		v int
		s string
	}{{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}} {
		for n >= p.v {
			b.WriteString(p.s)
			n -= p.v
		}
	}
	return b.String()
}

// chinese writes 1–999 as Chinese numerals: 一, 十, 十二, 二十, 一百零五.
func chinese(n int) string {
	if n < 1 || n > 999 {
		return strconv.Itoa(n)
	}
	d := []rune("零一二三四五六七八九")
	var b strings.Builder
	h, t, u := n/100, n/10%10, n%10
	if h > 0 {
		b.WriteRune(d[h])
		b.WriteRune('百')
		if t == 0 && u > 0 {
			b.WriteRune('零')
		}
	}
	if t > 0 {
		if !(t == 1 && h == 0) {
			b.WriteRune(d[t])
		}
		b.WriteRune('十')
	}
	if u > 0 {
		b.WriteRune(d[u])
	}
	return b.String()
}

// sheetNames lists a workbook's visible sheets from xl/workbook.xml.
func sheetNames(book *zip.File, l upload.Limits) ([]string, error) {
	rc, err := upload.OpenEntry(book, l)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var wb struct {
		Sheets []struct {
			Name  string `xml:"name,attr"`
			State string `xml:"state,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := xml.NewDecoder(rc).Decode(&wb); err != nil {
		var inv *upload.InvalidError
		if errors.As(err, &inv) {
			return nil, err
		}
		return nil, &upload.InvalidError{Reason: "文件不是有效的 .xlsx 文件", Err: err}
	}
	var names []string
	for _, s := range wb.Sheets {
		if s.State == "" || s.State == "visible" {
			names = append(names, s.Name)
		}
	}
	return names, nil
}
