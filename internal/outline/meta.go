package outline

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

var (
	// docNumberRe matches a 文号: X政办〔2020〕20号, 国发[2021]5号.
	docNumberRe = regexp.MustCompile(`[\p{Han}A-Za-z0-9]{1,16}\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d{1,5}\s*号`)
	// docNumberLineRe matches a line that is only a 文号.
	docNumberLineRe = regexp.MustCompile(`^` + docNumberRe.String() + `$`)
	// dateLineRe matches a line that is only a date, maybe in brackets,
	// in arabic or Chinese numerals (二〇二三年三月一日).
	dateLineRe = regexp.MustCompile(`^[（(]?\s*([0-9０-９]{4}|[〇零○Ｏ一二三四五六七八九]{4})\s*年\s*([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*日\s*[)）]?$`)
)

// parseDateLine returns the date a date-only line states as YYYY-MM-DD,
// or "" if the line is not one or the date does not exist.
func parseDateLine(l string) string {
	m := dateLineRe.FindStringSubmatch(strings.TrimSpace(l))
	if m == nil {
		return ""
	}
	y, ok1 := yearValue(m[1])
	mo, ok2 := smallValue(m[2])
	d, ok3 := smallValue(m[3])
	if !ok1 || !ok2 || !ok3 {
		return ""
	}
	tm := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if tm.Year() != y || int(tm.Month()) != mo || tm.Day() != d {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, mo, d)
}

// yearValue reads a year written digit by digit, in arabic or Chinese
// numerals (二〇二三).
func yearValue(s string) (int, bool) {
	y := 0
	for _, c := range s {
		d, ok := digitValue(c)
		if !ok {
			if c == 'Ｏ' {
				c = '〇'
			}
			d, ok = cnDigit(c)
		}
		if !ok {
			return 0, false
		}
		y = y*10 + d
	}
	return y, y >= 1900
}

// smallValue reads a month or a day, in arabic or Chinese numerals.
func smallValue(s string) (int, bool) {
	r := []rune(s)
	if len(r) > 0 && isDigit(r[0]) {
		n := 0
		for _, c := range r {
			d, _ := digitValue(c)
			n = n*10 + d
		}
		return n, true
	}
	return parseCN(r)
}

// orgSuffixes end the names of issuing bodies.
const orgSuffixes = "局委办室厅院部组会心府处所站队社校团"

// isOrgName reports whether s reads like the name of an issuing body: a
// short run of characters without sentence punctuation, ending like 司法局
// or 人民政府办公室.
func isOrgName(s string) bool {
	s = strings.TrimSuffix(strings.TrimSpace(s), "（盖章）")
	r := []rune(s)
	if len(r) < 3 || len(r) > 30 {
		return false
	}
	for _, c := range r {
		if isStop(c) || c == '，' || c == ',' || c == '：' || c == ':' || c == '。' || isDigit(c) {
			return false
		}
	}
	return containsRune(orgSuffixes, r[len(r)-1])
}

// isHeaderIssuer reports a red-header line: "XX区人民政府办公室文件".
func isHeaderIssuer(l string) bool {
	return strings.HasSuffix(l, "文件") && isOrgName(strings.TrimSuffix(l, "文件"))
}

// isParenNote reports a closing note such as （此件公开发布）.
func isParenNote(l string) bool {
	r := []rune(l)
	return len(r) >= 3 && len(r) <= 40 && (r[0] == '（' || r[0] == '(') && (r[len(r)-1] == '）' || r[len(r)-1] == ')')
}

// signature finds the signature block at the end of [body, end): the
// issuer's name and the date, each on its own line, maybe followed by a
// note. It returns where the block starts (end if there is none), and the
// issuer and date it states. A block needs its date line: an issuer-like
// last line alone is as likely a heading.
func signature(r []rune, body, end int) (start int, issuer, date string) {
	start, e := end, end
	for k := 0; k < 4; k++ {
		for e > body && (isSpace(r[e-1]) || r[e-1] == '\n') {
			e--
		}
		if e <= body {
			break
		}
		s := e
		for s > body && r[s-1] != '\n' {
			s--
		}
		l := string(trimSpace(r[s:e]))
		if d := parseDateLine(l); d != "" && date == "" {
			date = d
		} else if issuer == "" && date != "" && isOrgName(l) {
			issuer = strings.TrimSuffix(l, "（盖章）")
		} else if !isParenNote(l) || date != "" {
			break
		}
		start, e = s, s
	}
	if date == "" {
		return end, "", ""
	}
	return start, issuer, date
}

// header reads the metadata lines between a document's start and its
// first numbered part (the 文号, a date under the title, a red-header
// issuer) and returns the preamble: the text from body to preEnd without
// those lines and without the 目录 in toc.
func header(doc *Document, r []rune, start, body, preEnd int, toc [2]int) string {
	var pre []string
	for s := start; s < preEnd; {
		e := min(lineEnd(r, s), preEnd)
		if s >= toc[0] && s < toc[1] {
			s = e + 1
			continue
		}
		l := strings.TrimSpace(string(trimSpace(r[s:e])))
		meta := true
		switch {
		case docNumberLineRe.MatchString(l):
			if doc.DocNumber == "" {
				doc.DocNumber = strings.Join(strings.Fields(l), "")
			}
		case parseDateLine(l) != "":
			if doc.Date == "" {
				doc.Date = parseDateLine(l)
			}
		case isHeaderIssuer(l):
			if doc.Issuer == "" {
				doc.Issuer = strings.TrimSuffix(l, "文件")
			}
		default:
			meta = false
		}
		if !meta && e > body {
			from := max(s, body)
			pre = append(pre, string(r[from:e]))
		}
		s = e + 1
	}
	return strings.TrimSpace(string(trimSpace([]rune(strings.Join(pre, "\n")))))
}

// issuerFromTitle reads the issuer from a title such as
// "XX区人民政府办公室关于印发…的通知".
func issuerFromTitle(title string) string {
	if i := strings.Index(title, "关于"); i > 0 && isOrgName(title[:i]) {
		return strings.TrimSpace(title[:i])
	}
	return ""
}

// inheritNotice passes a covering notice's metadata on: a document with
// no numbered parts whose title says it issues another (关于印发…的通知)
// is followed by that document, whose issuer, 文号 and date are the
// notice's when it states none itself.
func inheritNotice(docs []*Document) {
	for i := 0; i+1 < len(docs); i++ {
		n, next := docs[i], docs[i+1]
		if len(n.Nodes) > 0 || !strings.Contains(n.Title, "印发") {
			continue
		}
		if next.Issuer == "" {
			next.Issuer = n.Issuer
		}
		if next.DocNumber == "" {
			next.DocNumber = n.DocNumber
		}
		if next.Date == "" {
			next.Date = n.Date
		}
	}
}
