// Package outline reads a Chinese government document (a 工作要点, a
// speech, an indicator scheme, a regulation or a statute) and returns its
// structure: the documents it holds, their numbered sections and items
// (or a statute's 编, 分编, 章, 节 and 条), and per item the title,
// points, scoring rules, units and deadline the text states.
//
// It is a pure engine: no files, no database, no network. The input is the
// bytes of a .docx or of a text file (UTF-8 with or without a BOM,
// GB18030/GBK, UTF-16 with a BOM), or a string of pasted text. Real
// documents come from document-sharing sites and OCR, so the engine repairs
// what it safely can (page markers left in mid-sentence, site chrome) and
// reports what it will not touch (suspected OCR swaps) as warnings.
//
// The work is a pipeline of small steps, each in its own file:
//
//	decode (decode.go) or read the .docx paragraphs (docx.go)
//	→ clean: drop site chrome, remove page markers, rejoin (clean.go)
//	→ report suspected OCR swaps (ocr.go)
//	→ find numbering tokens (number.go)
//	→ split into documents and find their titles (split.go)
//	→ skip a statute's table of contents (contents.go)
//	→ build each document's tree (tree.go)
//	→ extract node fields (fields.go) and document metadata (meta.go)
package outline

import (
	"bytes"
	"io"
	"unicode/utf8"

	"pufa/internal/upload"
)

// Result is the outline of one input: the documents it holds, in order, and
// what the engine noticed on the way. Documents and Warnings are never nil,
// so they encode as [] rather than null.
type Result struct {
	Documents []*Document `json:"documents"`
	Warnings  []Warning   `json:"warnings"`

	// Source is the decoded input text: the text for a text file, the
	// paragraphs joined by "\n" (with automatic numbers written out) for a
	// .docx. Warning and Node offsets count runes in it.
	Source string `json:"-"`
	// Encoding names what the input was decoded from.
	Encoding Encoding `json:"-"`
}

// Document is one document of the input. Fields the text does not state
// are empty and left out of the JSON; Nodes is never nil.
type Document struct {
	Title     string `json:"title,omitempty"`
	Issuer    string `json:"issuer,omitempty"`
	DocNumber string `json:"doc_number,omitempty"` // 文号, e.g. X政办〔2020〕20号
	Date      string `json:"date,omitempty"`       // YYYY-MM-DD
	// Preamble is the text between the title and the first numbered node.
	Preamble string  `json:"preamble,omitempty"`
	Nodes    []*Node `json:"nodes"`

	// At is the rune offset of the document's start in Result.Source.
	At int `json:"-"`
}

// Kind is the role of a node in its document.
type Kind string

// The kinds of node. A document's top level is KindSection whatever its
// numbering (unless it numbers the parts of a statute); below it the kind
// follows the numbering style: (一) subsection, 1. item, (1) and ① subitem,
// 一是 point.
//
// A statute nests 编 (part), 分编 (subpart), 章 (chapter), 节 (division)
// and 条 (article), each level optional. The article is the smallest unit
// that is numbered as a heading: its paragraphs (款), enumerations (项,
// （一）) and sub-enumerations (目, 1.) stay in its Text, as legislative
// drafting defines them, so an article has no children. The 节 is called
// division here because "section" already names a work plan's top level.
const (
	KindSection    Kind = "section"
	KindSubsection Kind = "subsection"
	KindItem       Kind = "item"
	KindSubitem    Kind = "subitem"
	KindPoint      Kind = "point"
	KindPart       Kind = "part"     // 第一编, and the unnumbered 附则 beside the parts
	KindSubpart    Kind = "subpart"  // 第一分编
	KindChapter    Kind = "chapter"  // 第一章
	KindDivision   Kind = "division" // 第一节
	KindArticle    Kind = "article"  // 第一条, 第一百二十条之一
)

// Style is how a node's number is written.
type Style string

// The numbering styles. Full-width and half-width punctuation and digits
// are the same style.
const (
	StyleCN          Style = "cn"           // 一、 一．
	StyleCNParen     Style = "cn-paren"     // (一) （一）
	StyleArabic      Style = "arabic"       // 1. 1、 1 . 1． and a bare 7 before a title
	StyleArabicParen Style = "arabic-paren" // (1) （1） 1)
	StyleCircled     Style = "circled"      // ①
	StyleCNShi       Style = "cn-shi"       // 一是…二是… inside a paragraph
	StylePart        Style = "part"         // 第一编
	StyleSubpart     Style = "subpart"      // 第一分编
	StyleChapter     Style = "chapter"      // 第一章
	StyleDivision    Style = "division"     // 第一节
	StyleArticle     Style = "article"      // 第一条, 第一百二十条之一
)

// Node is one numbered part of a document. Fields the text does not state
// are left out of the JSON; Children is never nil.
type Node struct {
	Kind Kind `json:"kind"`
	// N is the node's number; 0 for the unnumbered 附则 of a statute.
	N int `json:"n"`
	// Label is the number as written, without its punctuation: "7", "一",
	// "①", "第一百二十条之一"; "附则" for the unnumbered 附则.
	Label string `json:"label"`
	Style Style  `json:"style"`
	// Title is the node's text up to the first 。 or line end (or up to
	// the next number, where a heading runs straight into it), without
	// its number and without a trailing points mark. A statute's heading
	// loses the spaces typesetting puts between its characters: 第一编
	// 总　　则 has the title 总则.
	Title string `json:"title,omitempty"`
	// Text is the node's own text, its title included and its children's
	// text excluded.
	Text       string   `json:"text,omitempty"`
	Points     *float64 `json:"points,omitempty"` // (10分)
	Rules      []string `json:"rules,omitempty"`  // scoring rules, one per rule as written
	Units      []string `json:"units,omitempty"`  // 责任单位
	LeadUnits  []string `json:"lead_units,omitempty"`
	CoUnits    []string `json:"co_units,omitempty"`
	Deadline   string   `json:"deadline,omitempty"` // as written: 2023年6月底前
	Incomplete bool     `json:"incomplete,omitempty"`
	Children   []*Node  `json:"children"`

	// At is the rune offset of the node's number in Result.Source.
	At int `json:"-"`
}

// WarningKind classifies a warning.
type WarningKind string

// The kinds of warning.
const (
	WarnPageMarker WarningKind = "page-marker" // a page marker was removed and the sentence rejoined
	WarnOCR        WarningKind = "ocr"         // a suspected OCR swap; the text is left as it is
	WarnNumbering  WarningKind = "numbering"   // a number that does not continue its sequence
	WarnTruncated  WarningKind = "truncated"   // the text stops mid-sentence
)

// Warning is something the engine noticed: a repair it made or a doubt it
// leaves to the user. Message is Chinese, for the reviewing user.
type Warning struct {
	Kind    WarningKind `json:"kind"`
	At      int         `json:"at"` // rune offset in Result.Source
	Message string      `json:"message"`
}

// Read reads a whole document from r, refusing more than the upload
// limit for documents before anything is parsed, and outlines it as Parse
// does.
func Read(r io.Reader) (*Result, error) {
	data, err := upload.ReadLimited(r, upload.DefaultDocument().MaxBytes)
	if err != nil {
		return nil, err
	}
	return Parse(data)
}

// Parse outlines the bytes of a .docx or a text file, told apart by their
// content. A zip that is not a .docx, a zip bomb, a binary file, a file
// over the document upload limit or text in no recognisable encoding is
// refused with an *upload.InvalidError or *upload.TooLargeError whose
// message is Chinese.
func Parse(data []byte) (*Result, error) {
	l := upload.DefaultDocument()
	if int64(len(data)) > l.MaxBytes {
		return nil, &upload.TooLargeError{Limit: l.MaxBytes}
	}
	switch {
	case len(data) == 0:
		return nil, &upload.InvalidError{Reason: "文件是空的"}
	case bytes.HasPrefix(data, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")):
		return nil, &upload.InvalidError{Reason: "文件是旧版 .doc 格式或已加密，请去除密码并另存为 .docx 后再导入"}
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return nil, &upload.InvalidError{Reason: "不能从 PDF 文件提取结构，请导入 .docx 或文本文件，或把全文粘贴进来"}
	case bytes.HasPrefix(data, []byte("PK\x03\x04")), bytes.HasPrefix(data, []byte("PK\x05\x06")):
		src, err := DocxText(data)
		if err != nil {
			return nil, err
		}
		res := ParseText(src)
		res.Encoding = EncodingDocx
		return res, nil
	}
	src, enc, err := Decode(data)
	if err != nil {
		return nil, err
	}
	res := ParseText(src)
	res.Encoding = enc
	return res, nil
}

// ParseText outlines text that is already decoded, such as text pasted
// into a form. It never fails: text without structure gives a document
// with only a preamble, and empty text gives no document. Invalid UTF-8 is
// read as U+FFFD.
func ParseText(src string) *Result {
	if !utf8.ValidString(src) {
		src = string([]rune(src)) // replaces each invalid byte with U+FFFD
	}
	res := &Result{Documents: []*Document{}, Warnings: []Warning{}, Source: src, Encoding: EncodingUTF8}
	t, warns := clean([]rune(src))
	res.Warnings = append(res.Warnings, warns...)
	res.Warnings = append(res.Warnings, ocrWarnings(t)...)
	toks := tokenize(t.r)
	heads := headingEnds(t.r)
	for _, span := range splitDocuments(t, toks) {
		doc, warns := buildDocument(t, heads, toks, span)
		res.Warnings = append(res.Warnings, warns...)
		if doc != nil {
			res.Documents = append(res.Documents, doc)
		}
	}
	inheritNotice(res.Documents)
	sortWarnings(res.Warnings)
	return res
}
