package outline

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"

	"pufa/internal/upload"
)

// The namespaces of WordprocessingML, transitional and strict, and of
// markup compatibility.
const (
	nsW       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsWStrict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
	nsMC      = "http://schemas.openxmlformats.org/markup-compatibility/2006"
)

// errNotDocx is the reason a zip without a Word main part is refused.
const errNotDocx = "压缩文件不是 Word 文档（.docx），无法读取；请导入 .docx 或文本文件"

// DocxText returns the text of a .docx: one line per paragraph (table
// cells and text boxes included), with the numbers Word's automatic
// numbering shows written out in front of their paragraphs, as the reader
// sees them. The container is checked against the document upload limits
// before anything is inflated, so a zip bomb is refused unread. Errors are
// *upload.InvalidError or *upload.TooLargeError with a Chinese message.
func DocxText(data []byte) (string, error) {
	l := upload.DefaultDocument()
	zr, err := upload.OpenZip(bytes.NewReader(data), int64(len(data)), l)
	if err != nil {
		return "", err
	}
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		parts[strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))] = f
	}
	main := parts["word/document.xml"]
	if main == nil {
		return "", &upload.InvalidError{Reason: errNotDocx}
	}
	read := func(f *zip.File) ([]byte, error) {
		rc, err := upload.OpenEntry(f, l)
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		b, err := io.ReadAll(rc)
		if err != nil {
			var ie *upload.InvalidError
			if errors.As(err, &ie) {
				return nil, err
			}
			return nil, &upload.InvalidError{Reason: "Word 文档已损坏，无法读取", Err: err}
		}
		return b, nil
	}
	num := &numbering{}
	if f := parts["word/numbering.xml"]; f != nil {
		b, err := read(f)
		if err != nil {
			return "", err
		}
		num = parseNumbering(b)
	}
	styles := map[string]styleNum{}
	if f := parts["word/styles.xml"]; f != nil {
		b, err := read(f)
		if err != nil {
			return "", err
		}
		styles = parseStyles(b)
	}
	b, err := read(main)
	if err != nil {
		return "", err
	}
	paras, err := docxParagraphs(b, num, styles)
	if err != nil {
		return "", &upload.InvalidError{Reason: "Word 文档内容已损坏，无法解析", Err: err}
	}
	return strings.Join(paras, "\n"), nil
}

// isW reports whether name is in the WordprocessingML namespace with the
// given local name.
func isW(name xml.Name, local string) bool {
	return name.Local == local && (name.Space == nsW || name.Space == nsWStrict)
}

// attr returns the value of the attribute with the local name.
func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// paraProps is what a paragraph's properties say about its numbering.
type paraProps struct {
	style        string
	numID, ilvl  string
	hasNum, hasL bool
}

// docxParagraphs reads the paragraphs of document.xml in order. Deleted
// text of tracked changes, field instructions and the fallback copy of
// alternate content are skipped.
func docxParagraphs(data []byte, num *numbering, styles map[string]styleNum) ([]string, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var (
		paras []string
		stack []*strings.Builder // open paragraphs; text boxes nest them
		props []paraProps
		inPPr int  // depth inside w:pPr
		inT   bool // inside w:t
		skip  int  // depth inside skipped content
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if skip > 0 {
				skip++
				continue
			}
			if e.Name.Space == nsMC && e.Name.Local == "Fallback" || isW(e.Name, "delText") || isW(e.Name, "instrText") {
				skip = 1
				continue
			}
			if e.Name.Space != nsW && e.Name.Space != nsWStrict {
				continue
			}
			switch e.Name.Local {
			case "p":
				stack = append(stack, &strings.Builder{})
				props = append(props, paraProps{})
			case "pPr":
				inPPr++
			case "pStyle":
				if inPPr > 0 && len(props) > 0 {
					props[len(props)-1].style = attr(e, "val")
				}
			case "numId":
				if inPPr > 0 && len(props) > 0 {
					props[len(props)-1].numID, props[len(props)-1].hasNum = attr(e, "val"), true
				}
			case "ilvl":
				if inPPr > 0 && len(props) > 0 {
					props[len(props)-1].ilvl, props[len(props)-1].hasL = attr(e, "val"), true
				}
			case "t":
				inT = inPPr == 0
			case "tab":
				if inPPr == 0 && len(stack) > 0 {
					stack[len(stack)-1].WriteByte('\t')
				}
			case "br", "cr":
				if len(stack) > 0 && attr(e, "type") != "page" && attr(e, "type") != "column" {
					stack[len(stack)-1].WriteByte('\n')
				}
			case "noBreakHyphen":
				if len(stack) > 0 {
					stack[len(stack)-1].WriteByte('-')
				}
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			if e.Name.Space != nsW && e.Name.Space != nsWStrict {
				continue
			}
			switch e.Name.Local {
			case "p":
				if len(stack) == 0 {
					continue
				}
				b, p := stack[len(stack)-1], props[len(props)-1]
				stack, props = stack[:len(stack)-1], props[:len(props)-1]
				label := num.label(resolveNum(p, styles))
				paras = append(paras, label+b.String())
			case "pPr":
				inPPr--
			case "t":
				inT = false
			}
		case xml.CharData:
			if inT && skip == 0 && len(stack) > 0 {
				stack[len(stack)-1].Write(e)
			}
		}
	}
	return paras, nil
}

// numRef names a list level: the w:num instance and the level in it.
type numRef struct {
	numID string
	ilvl  int
}

// resolveNum returns the list level a paragraph is numbered with: its own
// w:numPr, or else its paragraph style's. numId 0 switches numbering off.
func resolveNum(p paraProps, styles map[string]styleNum) numRef {
	id, lvl := p.numID, p.ilvl
	if !p.hasNum {
		seen := map[string]bool{}
		for s := p.style; s != "" && !seen[s]; s = styles[s].basedOn {
			seen[s] = true
			if st := styles[s]; st.numID != "" {
				id = st.numID
				if !p.hasL {
					lvl = st.ilvl
				}
				break
			}
		}
	}
	n, _ := strconv.Atoi(lvl)
	if n < 0 || n > 8 {
		n = 0
	}
	if id == "" || id == "0" {
		return numRef{}
	}
	return numRef{numID: id, ilvl: n}
}

// styleNum is the numbering a paragraph style carries.
type styleNum struct {
	numID, ilvl, basedOn string
}

// parseStyles reads the numbering of the paragraph styles in styles.xml.
// A damaged styles part only loses style numbering.
func parseStyles(data []byte) map[string]styleNum {
	var doc struct {
		Styles []struct {
			ID      string `xml:"styleId,attr"`
			BasedOn struct {
				Val string `xml:"val,attr"`
			} `xml:"basedOn"`
			NumPr struct {
				NumID struct {
					Val string `xml:"val,attr"`
				} `xml:"numId"`
				Ilvl struct {
					Val string `xml:"val,attr"`
				} `xml:"ilvl"`
			} `xml:"pPr>numPr"`
		} `xml:"style"`
	}
	out := map[string]styleNum{}
	if xml.Unmarshal(data, &doc) != nil {
		return out
	}
	for _, s := range doc.Styles {
		out[s.ID] = styleNum{numID: s.NumPr.NumID.Val, ilvl: s.NumPr.Ilvl.Val, basedOn: s.BasedOn.Val}
	}
	return out
}

// lvlDef is one level of a list definition.
type lvlDef struct {
	start  int
	format string // w:numFmt
	text   string // w:lvlText, "%1、"
}

// numbering holds the list definitions of numbering.xml and the running
// counters. Counters belong to the abstract definition, as in Word: two
// w:num instances of one list continue each other unless one restarts a
// level with w:startOverride.
type numbering struct {
	abstract map[string]*[9]lvlDef
	nums     map[string]numDef
	counters map[string]*counter // by abstract id
	started  map[string]bool     // w:num instances whose overrides were applied
}

// numDef is a w:num instance: its abstract definition and start overrides.
type numDef struct {
	abstract string
	override map[int]int
	lvls     map[int]lvlDef
}

// parseNumbering reads numbering.xml. A damaged part only loses the
// automatic numbers.
func parseNumbering(data []byte) *numbering {
	type lvlXML struct {
		Ilvl  string `xml:"ilvl,attr"`
		Start struct {
			Val string `xml:"val,attr"`
		} `xml:"start"`
		NumFmt struct {
			Val string `xml:"val,attr"`
		} `xml:"numFmt"`
		LvlText struct {
			Val string `xml:"val,attr"`
		} `xml:"lvlText"`
	}
	var doc struct {
		Abstract []struct {
			ID   string   `xml:"abstractNumId,attr"`
			Lvls []lvlXML `xml:"lvl"`
		} `xml:"abstractNum"`
		Nums []struct {
			ID       string `xml:"numId,attr"`
			Abstract struct {
				Val string `xml:"val,attr"`
			} `xml:"abstractNumId"`
			Overrides []struct {
				Ilvl  string `xml:"ilvl,attr"`
				Start *struct {
					Val string `xml:"val,attr"`
				} `xml:"startOverride"`
				Lvl *lvlXML `xml:"lvl"`
			} `xml:"lvlOverride"`
		} `xml:"num"`
	}
	n := &numbering{abstract: map[string]*[9]lvlDef{}, nums: map[string]numDef{}, counters: map[string]*counter{}, started: map[string]bool{}}
	if xml.Unmarshal(data, &doc) != nil {
		return n
	}
	conv := func(l lvlXML) lvlDef {
		start, err := strconv.Atoi(l.Start.Val)
		if err != nil {
			start = 1
		}
		return lvlDef{start: start, format: l.NumFmt.Val, text: l.LvlText.Val}
	}
	for _, a := range doc.Abstract {
		var lv [9]lvlDef
		for i := range lv {
			lv[i] = lvlDef{start: 1, format: "decimal", text: "%" + strconv.Itoa(i+1) + "."}
		}
		for _, l := range a.Lvls {
			if i, err := strconv.Atoi(l.Ilvl); err == nil && i >= 0 && i < 9 {
				lv[i] = conv(l)
			}
		}
		n.abstract[a.ID] = &lv
	}
	for _, m := range doc.Nums {
		def := numDef{abstract: m.Abstract.Val, override: map[int]int{}, lvls: map[int]lvlDef{}}
		for _, o := range m.Overrides {
			i, err := strconv.Atoi(o.Ilvl)
			if err != nil || i < 0 || i > 8 {
				continue
			}
			if o.Start != nil {
				if v, err := strconv.Atoi(o.Start.Val); err == nil {
					def.override[i] = v
				}
			}
			if o.Lvl != nil {
				def.lvls[i] = conv(*o.Lvl)
			}
		}
		n.nums[m.ID] = def
	}
	return n
}

// label advances the counter of the list level ref and returns the
// number Word shows for it, "" for none, a bullet or an unknown list.
func (n *numbering) label(ref numRef) string {
	def, ok := n.nums[ref.numID]
	if !ok {
		return ""
	}
	lv := n.abstract[def.abstract]
	if lv == nil {
		return ""
	}
	lvls := *lv
	for i, l := range def.lvls {
		lvls[i] = l
	}
	c := n.counters[def.abstract]
	if c == nil {
		c = &counter{}
		n.counters[def.abstract] = c
	}
	if !n.started[ref.numID] {
		n.started[ref.numID] = true
		for i, v := range def.override {
			c.v[i], c.set[i] = v-1, true // the next use of level i shows v
			for k := i + 1; k < 9; k++ {
				c.set[k] = false
			}
		}
	}
	i := ref.ilvl
	if c.set[i] {
		c.v[i]++
	} else {
		c.v[i], c.set[i] = lvls[i].start, true
	}
	for k := i + 1; k < 9; k++ {
		c.set[k] = false
	}
	if lvls[i].format == "bullet" || lvls[i].format == "none" {
		return ""
	}
	var b strings.Builder
	t := lvls[i].text
	for j := 0; j < len(t); j++ {
		if t[j] == '%' && j+1 < len(t) && t[j+1] >= '1' && t[j+1] <= '9' {
			k := int(t[j+1] - '1')
			v := c.v[k]
			if !c.set[k] {
				v = lvls[k].start
			}
			b.WriteString(formatNumber(v, lvls[k].format))
			j++
			continue
		}
		b.WriteByte(t[j])
	}
	return b.String()
}

// counter is the running count of a list's nine levels; a level not set
// starts at its start value when next used.
type counter struct {
	v   [9]int
	set [9]bool
}

// formatNumber writes v in a w:numFmt. A value the format cannot write
// (a negative start, a letter run longer than ten) is written in decimal.
func formatNumber(v int, format string) string {
	if v < 0 || v > 9999 {
		return strconv.Itoa(v)
	}
	switch format {
	case "chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
		"taiwaneseCountingThousand", "ideographTraditional":
		if format == "ideographTraditional" && v >= 1 && v <= 10 {
			return string([]rune("甲乙丙丁戊己庚辛壬癸")[v-1])
		}
		return cnNumber(v)
	case "chineseLegalSimplified":
		return cnLegal(v)
	case "ideographDigital", "japaneseDigitalTenThousand":
		var b strings.Builder
		for _, d := range strconv.Itoa(v) {
			b.WriteRune([]rune("〇一二三四五六七八九")[d-'0'])
		}
		return b.String()
	case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
		if v >= 1 && v <= 20 {
			return string(rune('①' + v - 1))
		}
	case "decimalFullWidth", "decimalFullWidth2":
		var b strings.Builder
		for _, d := range strconv.Itoa(v) {
			b.WriteRune(d - '0' + '０')
		}
		return b.String()
	case "decimalZero":
		if v < 10 && v >= 0 {
			return "0" + strconv.Itoa(v)
		}
	case "lowerLetter", "upperLetter":
		if v >= 1 && v <= 260 {
			s := strings.Repeat(string(rune('a'+(v-1)%26)), (v-1)/26+1)
			if format == "upperLetter" {
				s = strings.ToUpper(s)
			}
			return s
		}
	case "lowerRoman", "upperRoman":
		s := roman(v)
		if format == "lowerRoman" {
			s = strings.ToLower(s)
		}
		return s
	}
	return strconv.Itoa(v)
}

// cnNumber writes 1–9999 in Chinese counting numerals: 十一, 二十, 一百零一.
func cnNumber(v int) string {
	if v <= 0 || v > 9999 {
		return strconv.Itoa(v)
	}
	digits := []rune("零一二三四五六七八九")
	units := []rune("千百十")
	var b []rune
	zero := false
	for i, div := range []int{1000, 100, 10} {
		d := v / div % 10
		switch {
		case d == 0 && len(b) > 0:
			zero = true
		case d != 0:
			if zero {
				b = append(b, '零')
				zero = false
			}
			if !(div == 10 && d == 1 && len(b) == 0) {
				b = append(b, digits[d])
			}
			b = append(b, units[i])
		}
	}
	if d := v % 10; d != 0 {
		if zero {
			b = append(b, '零')
		}
		b = append(b, digits[d])
	}
	return string(b)
}

// cnLegal writes v in the financial numerals Word's chineseLegalSimplified
// uses: 壹, 贰, 拾壹.
func cnLegal(v int) string {
	r := strings.NewReplacer("一", "壹", "二", "贰", "三", "叁", "四", "肆", "五", "伍",
		"六", "陆", "七", "柒", "八", "捌", "九", "玖", "十", "拾", "百", "佰", "千", "仟")
	s := cnNumber(v)
	if strings.HasPrefix(s, "十") {
		s = "一" + s
	}
	return r.Replace(s)
}

// roman writes 1–3999 in Roman numerals.
func roman(v int) string {
	if v <= 0 || v >= 4000 {
		return strconv.Itoa(v)
	}
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, x := range vals {
		for v >= x {
			b.WriteString(syms[i])
			v -= x
		}
	}
	return b.String()
}
