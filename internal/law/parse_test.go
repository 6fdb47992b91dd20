package law

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"pufa/internal/app"
	"pufa/internal/upload"
)

// The fixtures are the outline engine's: statutes as published, one in
// GB18030.
const fixtures = "../outline/testdata/"

// day is a calendar day as Law holds it.
func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// lawFixture is what a fixture must parse to.
type lawFixture struct {
	file        string
	title       string
	issuer      string
	category    Category
	promulgated time.Time
	effective   time.Time
	preamble    string // its start
	labels      []string
	// articles holds some articles in full, by label; Position is
	// checked against the order of labels.
	articles map[string]Article
	warnings []Warning
}

// labelRange lists the labels 第from条 to 第to条.
func labelRange(from, to int) []string {
	var out []string
	for n := from; n <= to; n++ {
		out = append(out, CiteLabel(n, 0))
	}
	return out
}

var civilCode = lawFixture{
	file:        "civil_code.txt",
	title:       "中华人民共和国民法典",
	issuer:      "全国人民代表大会",
	category:    CategoryCivilCode,
	promulgated: day(2020, 5, 28),
	labels:      labelRange(1, 28),
	articles: map[string]Article{
		"第一条": {Label: "第一条", N: 1, Part: "第一编 总则", Chapter: "第一章 基本规定",
			Text: "为了保护民事主体的合法权益，调整民事关系，维护社会和经济秩序，适应中国特色社会主义发展要求，弘扬社会主义核心价值观，根据宪法，制定本法。"},
		"第十三条": {Label: "第十三条", N: 13, Part: "第一编 总则", Chapter: "第二章 自然人", Division: "第一节 民事权利能力和民事行为能力",
			Text: "自然人从出生时起到死亡时止，具有民事权利能力，依法享有民事权利，承担民事义务。"},
		"第二十七条": {Label: "第二十七条", N: 27, Part: "第一编 总则", Chapter: "第二章 自然人", Division: "第二节 监护",
			Text: "父母是未成年子女的监护人。\n未成年人的父母已经死亡或者没有监护能力的，由下列有监护能力的人按顺序担任监护人：\n" +
				"（一）祖父母、外祖父母；\n（二）兄、姐；\n（三）其他愿意担任监护人的个人或者组织，但是须经未成年人住所地的居民委员会、村民委员会或者民政部门同意。"},
	},
	warnings: []Warning{
		{0, "时效状态默认为“现行有效”，请核对"},
		{1, "分类“民法典”是根据标题推测的，请核对"},
	},
}

var criminalLaw = lawFixture{
	file:        "criminal_law.gb18030.txt",
	title:       "中华人民共和国刑法",
	issuer:      "全国人民代表大会",
	category:    CategoryCriminal,
	promulgated: day(1979, 7, 1),
	effective:   day(1997, 10, 1), // 第四百五十二条 本法自1997年10月1日起施行
	labels: []string{"第一条", "第二条", "第三条", "第一百二十条", "第一百二十条之一", "第一百二十条之二", "第一百二十条之三",
		"第一百二十条之四", "第一百二十条之五", "第一百二十条之六", "第一百二十一条", "第四百五十二条"},
	articles: map[string]Article{
		"第一百二十条之二": {Label: "第一百二十条之二", N: 120, Sub: 2, Part: "第二编 分则", Chapter: "第二章 危害公共安全罪",
			Text: "有下列情形之一的，处五年以下有期徒刑、拘役、管制或者剥夺政治权利，并处罚金或者没收财产；情节严重的，处五年以上有期徒刑，并处罚金或者没收财产：\n" +
				"（一）为实施恐怖活动准备凶器、危险物品或者其他工具的；\n（二）组织恐怖活动培训或者积极参加恐怖活动培训的；\n" +
				"（三）为实施恐怖活动与境外恐怖活动组织或者人员联络的；\n（四）为实施恐怖活动进行策划或者其他准备的。\n" +
				"有前款行为，同时构成其他犯罪的，依照处罚较重的规定定罪处罚。"},
		"第四百五十二条": {Label: "第四百五十二条", N: 452, Part: "附则",
			Text: "本法自1997年10月1日起施行。\n列于本法附件一的全国人民代表大会常务委员会制定的条例、补充规定和决定，已纳入本法或者已不适用，自本法施行之日起，予以废止。\n" +
				"列于本法附件二的全国人民代表大会常务委员会制定的补充规定和决定予以保留。其中，有关行政处罚和行政措施的规定继续有效；有关刑事责任的规定已纳入本法，自本法施行之日起，适用本法规定。"},
	},
	warnings: []Warning{
		{0, "时效状态默认为“现行有效”，请核对"},
		{1, "分类“刑法”是根据标题推测的，请核对"},
		{2, "题注记载了此后的修订或修正（最近一次为1997年3月14日），公布日期暂取首次通过或公布的日期，请按所录文本的版本核对"},
		{10, "“第一百二十条”没有接续上一个“第三条”，中间可能缺少内容，已照原文收录，请核对"},
		{27, "“第四百五十二条”没有接续上一个“第一百二十一条”，中间可能缺少内容，已照原文收录，请核对"},
	},
}

var constitution = lawFixture{
	file:        "constitution.txt",
	title:       "中华人民共和国宪法",
	issuer:      "全国人民代表大会",
	category:    CategoryConstitution,
	promulgated: day(1982, 12, 4),
	effective:   day(1982, 12, 4), // 全国人民代表大会公告公布施行
	preamble:    "中国是世界上历史最悠久的国家之一。",
	labels:      append(labelRange(1, 5), "第五十七条", "第五十八条"),
	articles: map[string]Article{
		"第五十八条": {Label: "第五十八条", N: 58, Chapter: "第三章 国家机构", Division: "第一节 全国人民代表大会",
			Text: "全国人民代表大会和全国人民代表大会常务委员会行使国家立法权。"},
		"第二条": {Label: "第二条", N: 2, Chapter: "第一章 总纲",
			Text: "中华人民共和国的一切权力属于人民。\n人民行使国家权力的机关是全国人民代表大会和地方各级人民代表大会。\n" +
				"人民依照法律规定，通过各种途径和形式，管理国家事务，管理经济和文化事业，管理社会事务。"},
	},
	warnings: []Warning{
		{0, "时效状态默认为“现行有效”，请核对"},
		{1, "分类“宪法”是根据标题推测的，请核对"},
		{2, "题注记载了此后的修订或修正（最近一次为2018年3月11日），公布日期暂取首次通过或公布的日期，请按所录文本的版本核对"},
		{27, "“第三章”没有接续上一个“第一章”，中间可能缺少内容，已照原文收录，请核对"},
		{29, "“第五十七条”没有接续上一个“第五条”，中间可能缺少内容，已照原文收录，请核对"},
	},
}

func TestParseFixtures(t *testing.T) {
	for _, fx := range []lawFixture{civilCode, criminalLaw, constitution} {
		t.Run(fx.file, func(t *testing.T) {
			data, err := os.ReadFile(fixtures + fx.file)
			if err != nil {
				t.Fatal(err)
			}
			d, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			checkDraft(t, fx, d)
		})
	}
}

// TestParseDocx reads the constitution as a .docx, one paragraph per
// line, so warnings name the same lines.
func TestParseDocx(t *testing.T) {
	data, err := os.ReadFile(fixtures + constitution.file)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Parse(docx(t, strings.Split(strings.TrimSpace(string(data)), "\n")))
	if err != nil {
		t.Fatal(err)
	}
	checkDraft(t, constitution, d)
}

// checkDraft compares a draft with a fixture's expectations.
func checkDraft(t *testing.T, fx lawFixture, d *Draft) {
	t.Helper()
	l := d.Law
	if l.Title != fx.title || l.Issuer != fx.issuer || l.Category != fx.category || l.Status != StatusInForce {
		t.Errorf("title %q, issuer %q, category %q, status %q", l.Title, l.Issuer, l.Category, l.Status)
	}
	if !l.Promulgated.Equal(fx.promulgated) || !l.Effective.Equal(fx.effective) {
		t.Errorf("promulgated %v, effective %v; want %v, %v", l.Promulgated, l.Effective, fx.promulgated, fx.effective)
	}
	if !strings.HasPrefix(l.Preamble, fx.preamble) || fx.preamble == "" && l.Preamble != "" {
		t.Errorf("preamble %q, want it to start %q", l.Preamble, fx.preamble)
	}
	var labels []string
	for i, a := range l.Articles {
		labels = append(labels, a.Label)
		if a.Position != i+1 {
			t.Errorf("%s at position %d, want %d", a.Label, a.Position, i+1)
		}
		if want, ok := fx.articles[a.Label]; ok {
			want.Position = a.Position
			if diff := cmp.Diff(want, a); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", a.Label, diff)
			}
		}
	}
	if diff := cmp.Diff(fx.labels, labels); diff != "" {
		t.Errorf("labels mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(fx.warnings, d.Warnings); diff != "" {
		t.Errorf("warnings mismatch (-want +got):\n%s", diff)
	}
	if err := l.Validate(); err != nil {
		t.Errorf("the draft does not validate: %v", err)
	}
}

// docx builds a minimal .docx holding one paragraph per line.
func docx(t *testing.T, lines []string) []byte {
	t.Helper()
	var body strings.Builder
	for _, l := range lines {
		body.WriteString(`<w:p><w:r><w:t xml:space="preserve">`)
		if err := xml.EscapeText(&body, []byte(l)); err != nil {
			t.Fatal(err)
		}
		body.WriteString(`</w:t></w:r></w:p>`)
	}
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
			body.String() + `</w:body></w:document>`},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParseRefused(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		code string
	}{
		{"over the document limit", bytes.Repeat([]byte("第一条　甲。\n"), (20<<20)/18+1), app.ETOOLARGE},
		{"empty", nil, app.EINVALID},
		{"binary", []byte("\x00\x01\x02\x03garbage\x00\xff\xfe\x00"), app.EINVALID},
		{"PDF", []byte("%PDF-1.7\n..."), app.EINVALID},
		{"old .doc", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"), app.EINVALID},
		{"a zip that is no .docx", func() []byte {
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			w, _ := zw.Create("hello.txt")
			w.Write([]byte("hi"))
			zw.Close()
			return buf.Bytes()
		}(), app.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse(tt.data)
			if d != nil || app.ErrorCode(err) != tt.code {
				t.Fatalf("Parse() = %v, %v; want code %s", d, err, tt.code)
			}
			var tooLarge *upload.TooLargeError
			var invalid *upload.InvalidError
			if !errors.As(err, &tooLarge) && !errors.As(err, &invalid) {
				t.Errorf("error %T is not upload's", err)
			}
			if app.ErrorMessage(err) == "" || strings.ContainsAny(app.ErrorMessage(err), "\x00") {
				t.Errorf("message %q", app.ErrorMessage(err))
			}
		})
	}
}

func TestParseTextWarnings(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		labels   []string
		warnings []Warning
	}{
		{
			name: "a gap and a repeated article name their lines",
			in: "江海市普法工作办法\n第一条　为了规范普法工作，制定本办法。\n第二条　本办法适用于本市。\n" +
				"第五条　各单位应当落实普法责任制。\n第五条　本办法自2024年1月1日起施行。",
			labels: []string{"第一条", "第二条", "第五条", "第五条"},
			warnings: []Warning{
				{0, "时效状态默认为“现行有效”，请核对"},
				{1, "分类“地方政府规章”是根据标题推测的，请核对"},
				{4, "“第五条”没有接续上一个“第二条”，中间可能缺少内容，已照原文收录，请核对"},
				{5, "“第五条”与前面的“第五条”编号重复或顺序颠倒，已照原文收录，请核对"},
			},
		},
		{
			name:   "an excerpt that does not start at 第一条",
			in:     "第一百二十条之一　资助恐怖活动组织的，处五年以下有期徒刑。\n第一百二十条之二　为实施恐怖活动准备凶器的，处五年以下有期徒刑。",
			labels: []string{"第一百二十条之一", "第一百二十条之二"},
			warnings: []Warning{
				{0, "时效状态默认为“现行有效”，请核对"},
				{1, "没有找到标题，请填写"},
				{1, "条文从“第一百二十条之一”开始，前面的条文可能缺失，请核对"},
				{1, "无法从标题判断分类，请选择"},
			},
		},
		{
			name: "a work plan has no articles",
			in:   "2024年普法工作要点\n一、总体要求\n1.完善清单。\n二、主要任务\n2.开展宪法宣传。",
			warnings: []Warning{
				{0, "没有找到条文（以“第一条”这样的编号开头的段落），请检查文本，或手工录入条文"},
				{0, "时效状态默认为“现行有效”，请核对"},
				{1, "无法从标题判断分类，请选择"},
				{2, "有 2 处编号的内容不在条文之中（第一处是“一”），没有导入，请核对"},
			},
		},
		{
			name:     "empty text",
			in:       " \n\t",
			warnings: []Warning{{0, "文本是空的，没有可导入的内容"}},
		},
		{
			name: "two documents: the one with the most articles is taken",
			in: "江海市人民政府关于印发普法工作办法的通知\n各区人民政府：\n现将《江海市普法工作办法》印发给你们，请认真贯彻执行。\n" +
				"江海市普法工作办法\n第一条　为了规范普法工作，制定本办法。\n第二条　本办法自2024年1月1日起施行。",
			labels: []string{"第一条", "第二条"},
			warnings: []Warning{
				{0, "时效状态默认为“现行有效”，请核对"},
				{1, "这里开始的另一篇文件《江海市人民政府关于印发普法工作办法的通知》没有导入；一次只导入一部法律法规"},
				{4, "分类“地方政府规章”是根据标题推测的，请核对"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ParseText(tt.in)
			var labels []string
			for _, a := range d.Law.Articles {
				labels = append(labels, a.Label)
			}
			if diff := cmp.Diff(tt.labels, labels); diff != "" {
				t.Errorf("labels mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.warnings, d.Warnings); diff != "" {
				t.Errorf("warnings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseTextMeta(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		title     string // when it is not the first line
		issuer    string
		docNumber string
		category  Category
		prom, eff time.Time
	}{
		{
			name: "a regulation of the State Council, effective on promulgation",
			in: "中华人民共和国政府信息公开条例\n（2007年4月5日中华人民共和国国务院令第492号公布　自公布之日起施行）\n" +
				"第一条　为了保障公民、法人和其他组织依法获取政府信息，制定本条例。",
			issuer: "国务院", docNumber: "中华人民共和国国务院令第492号", category: CategoryAdministrativeRegulation,
			prom: day(2007, 4, 5), eff: day(2007, 4, 5),
		},
		{
			name: "a party regulation",
			in: "中国共产党纪律处分条例\n（2003年12月31日中共中央发布　2023年12月19日中共中央修订发布）\n" +
				"第一条　为了维护党的章程和其他党内法规，严肃党的纪律，制定本条例。\n第二条　本条例自发布之日起施行。",
			issuer: "中共中央", category: CategoryPartyRegulation, prom: day(2003, 12, 31), eff: day(2003, 12, 31),
		},
		{
			name: "a law of the Standing Committee on national security",
			in: "中华人民共和国国家安全法\n（2015年7月1日第十二届全国人民代表大会常务委员会第十五次会议通过）\n" +
				"第一条　为了维护国家安全，制定本法。\n第二条　本法自公布之日起施行。",
			issuer: "全国人民代表大会常务委员会", category: CategoryNationalSecurity, prom: day(2015, 7, 1), eff: day(2015, 7, 1),
		},
		{
			name: "a local regulation, dated in Chinese numerals",
			in: "江海市法治宣传教育条例\n（二〇二〇年十月二十二日江海市第十六届人民代表大会常务委员会第二十次会议通过）\n" +
				"第一条　为了加强法治宣传教育，制定本条例。\n第二条　本条例自2021年1月1日起施行。",
			issuer: "江海市人民代表大会常务委员会", category: CategoryLocalRegulation, prom: day(2020, 10, 22), eff: day(2021, 1, 1),
		},
		{
			name: "the President's order printed before the law",
			in: "中华人民共和国主席令\n第四十五号\n《中华人民共和国民法典》已由中华人民共和国第十三届全国人民代表大会第三次会议于2020年5月28日通过，现予公布，自2021年1月1日起施行。\n" +
				"中华人民共和国主席　习近平\n2020年5月28日\n中华人民共和国民法典\n（2020年5月28日第十三届全国人民代表大会第三次会议通过）\n" +
				"第一编　总　　则\n第一章　基本规定\n第一条　为了保护民事主体的合法权益，调整民事关系，维护社会和经济秩序，适应中国特色社会主义发展要求，弘扬社会主义核心价值观，根据宪法，制定本法。\n" +
				"第二条　民法调整平等主体的自然人、法人和非法人组织之间的人身关系和财产关系。",
			title: "中华人民共和国民法典", issuer: "全国人民代表大会", docNumber: "中华人民共和国主席令第四十五号", category: CategoryCivilCode,
			prom: day(2020, 5, 28), eff: day(2021, 1, 1),
		},
		{
			name: "the State Council's order before a revised regulation",
			in: "中华人民共和国国务院令\n第711号\n现公布修订后的《中华人民共和国政府信息公开条例》，自2019年5月15日起施行。\n总理　李克强\n2019年4月3日\n" +
				"中华人民共和国政府信息公开条例\n（2007年4月5日中华人民共和国国务院令第492号公布　2019年4月3日中华人民共和国国务院令第711号修订）\n" +
				"第一章　总　　则\n第一条　为了保障公民、法人和其他组织依法获取政府信息，提高政府工作的透明度，建设法治政府，充分发挥政府信息对人民群众生产、生活和经济社会活动的服务作用，制定本条例。\n" +
				"第二条　本条例所称政府信息，是指行政机关在履行行政管理职能过程中制作或者获取的，以一定形式记录、保存的信息。",
			title: "中华人民共和国政府信息公开条例", issuer: "国务院", docNumber: "中华人民共和国国务院令第711号", category: CategoryAdministrativeRegulation,
			prom: day(2019, 4, 3), eff: day(2019, 5, 15),
		},
		{
			name:     "a law of a known department, without a note",
			in:       "中华人民共和国行政处罚法\n第一条　为了规范行政处罚的设定和实施，制定本法。",
			category: CategoryAdministrative,
		},
		{
			name:     "a law the guess does not know",
			in:       "中华人民共和国某某法\n第一条　为了某某，制定本法。",
			category: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ParseText(tt.in)
			l := d.Law
			if tt.title == "" {
				tt.title, _, _ = strings.Cut(tt.in, "\n")
			}
			if l.Title != tt.title {
				t.Errorf("title %q, want %q", l.Title, tt.title)
			}
			for _, w := range d.Warnings {
				if strings.Contains(w.Message, "另一篇") {
					t.Errorf("warning %+v", w)
				}
			}
			got := fmt.Sprintf("%s|%s|%s|%s|%s", l.Issuer, l.DocNumber, l.Category, l.Promulgated.Format(time.DateOnly), l.Effective.Format(time.DateOnly))
			want := fmt.Sprintf("%s|%s|%s|%s|%s", tt.issuer, tt.docNumber, tt.category, tt.prom.Format(time.DateOnly), tt.eff.Format(time.DateOnly))
			if got != want {
				t.Errorf("got  %s\nwant %s", got, want)
			}
		})
	}
}

func TestGuessCategory(t *testing.T) {
	tests := []struct {
		title, issuer, docNumber string
		want                     Category
	}{
		{"中华人民共和国宪法", "", "", CategoryConstitution},
		{"中华人民共和国宪法修正案", "", "", CategoryConstitution},
		{"中华人民共和国民法典", "", "", CategoryCivilCode},
		{"中华人民共和国刑法修正案（十一）", "", "", CategoryCriminal},
		{"中华人民共和国刑事诉讼法", "", "", CategoryProcedural},
		{"中华人民共和国劳动争议调解仲裁法", "", "", CategoryProcedural},
		{"中华人民共和国反间谍法", "", "", CategoryNationalSecurity},
		{"中华人民共和国数据安全法", "", "", CategoryNationalSecurity},
		{"中华人民共和国监察法", "", "", CategoryConstitutionRelated},
		{"中华人民共和国公司法", "", "", CategoryCivilCommercial},
		{"中华人民共和国消费者权益保护法", "", "", CategoryEconomic},
		{"中华人民共和国未成年人保护法", "", "", CategorySocial},
		{"中国共产党章程", "", "", CategoryPartyRegulation},
		{"中国共产党问责条例", "", "", CategoryPartyRegulation},
		{"中国共产党员", "", "", ""},
		{"信访工作条例", "国务院", "", CategoryAdministrativeRegulation},
		{"中华人民共和国政府信息公开条例", "", "", CategoryAdministrativeRegulation},
		{"江海市法治宣传教育条例", "", "", CategoryLocalRegulation},
		{"江海市法治宣传教育条例", "江海市人民代表大会常务委员会", "", CategoryLocalRegulation},
		{"江海市行政规范性文件管理办法", "江海市人民政府", "", CategoryLocalRule},
		{"社区矫正法实施办法", "", "", ""},
		{"律师事务所管理办法", "司法部", "", CategoryDepartmentalRule},
		{"中华人民共和国学位条例", "全国人民代表大会常务委员会", "", ""},
		{"最高人民法院关于适用《中华人民共和国民法典》时间效力的若干规定", "", "", CategoryJudicialInterpretation},
		{"最高人民法院关于审理劳动争议案件适用法律问题的解释（一）", "", "", CategoryJudicialInterpretation},
		{"", "", "", ""},
	}
	for _, tt := range tests {
		if got := guessCategory(tt.title, tt.issuer, tt.docNumber); got != tt.want {
			t.Errorf("guessCategory(%q, %q, %q) = %q, want %q", tt.title, tt.issuer, tt.docNumber, got, tt.want)
		}
	}
}

func TestReadNote(t *testing.T) {
	tests := []struct {
		note           string
		prom, eff      time.Time
		issuer, revise string
	}{
		{"（2020年5月28日第十三届全国人民代表大会第三次会议通过）", day(2020, 5, 28), time.Time{}, "全国人民代表大会", ""},
		{"(2020年5月28日 第十三届全国人民代表大会第三次会议通过)", day(2020, 5, 28), time.Time{}, "全国人民代表大会", ""},
		{"（2019年3月15日第十三届全国人民代表大会第二次会议通过　自2020年1月1日起施行）", day(2019, 3, 15), day(2020, 1, 1), "全国人民代表大会", ""},
		{"（2021年1月22日第十三届全国人民代表大会常务委员会第二十五次会议修订）", day(2021, 1, 22), time.Time{}, "全国人民代表大会常务委员会", ""},
		{"（2019年1月31日中共中央政治局会议审议批准　2019年2月24日中共中央发布）", day(2019, 1, 31), time.Time{}, "中共中央政治局", ""},
		{"（2019年2月30日通过）", time.Time{}, time.Time{}, "", ""},
		{"（此件公开发布）", time.Time{}, time.Time{}, "", ""},
	}
	for _, tt := range tests {
		m := readNote(tt.note)
		if !m.promulgated.Equal(tt.prom) || !m.effective.Equal(tt.eff) || m.issuer != tt.issuer || m.revised != tt.revise {
			t.Errorf("readNote(%q) = %+v", tt.note, m)
		}
	}
}
