package law

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"pufa/internal/app"
)

// validLaw returns a law that passes Validate.
func validLaw() Law {
	return Law{
		Title:       " 中华人民共和国民法典 ",
		Issuer:      "全国人民代表大会",
		Category:    CategoryCivilCode,
		Status:      StatusInForce,
		Promulgated: time.Date(2020, 5, 28, 0, 0, 0, 0, time.UTC),
		Effective:   time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC),
		Articles: []Article{
			{Label: "第一条", Part: "第一编 总则", Chapter: "第一章 基本规定", Text: "为了保护民事主体的合法权益，……制定本法。"},
			{Label: "第 2 条", Part: "第一编 总则", Chapter: "第一章 基本规定", Text: "民法调整平等主体的……财产关系。"},
			{Label: "第二条之一", Text: "  之一的内容。\n第二款。 "},
		},
	}
}

func TestLawValidate(t *testing.T) {
	l := validLaw()
	if err := l.Validate(); err != nil {
		t.Fatal(err)
	}
	if l.Title != "中华人民共和国民法典" {
		t.Errorf("title not trimmed: %q", l.Title)
	}
	var got []string
	for _, a := range l.Articles {
		got = append(got, fmt.Sprintf("%s %d %d %d %s", a.Label, a.Position, a.N, a.Sub, a.Text))
	}
	want := []string{
		"第一条 1 1 0 为了保护民事主体的合法权益，……制定本法。",
		"第二条 2 2 0 民法调整平等主体的……财产关系。",
		"第二条之一 3 2 1 之一的内容。\n第二款。",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("articles not normalised (-want +got):\n%s", diff)
	}
}

func TestLawValidateErrors(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Law)
		field  string
		msg    string
	}{
		{"no title", func(l *Law) { l.Title = " \u3000" }, "title", "请填写法律法规的标题"},
		{"long title", func(l *Law) { l.Title = strings.Repeat("法", 201) }, "title", "标题不能超过 200 个字"},
		{"no category", func(l *Law) { l.Category = "" }, "category", "请选择分类"},
		{"unknown category", func(l *Law) { l.Category = "law" }, "category", "分类“law”无效"},
		{"no status", func(l *Law) { l.Status = "" }, "status", "请选择时效状态"},
		{"unknown status", func(l *Law) { l.Status = "valid" }, "status", "时效状态“valid”无效"},
		{"effect before promulgation", func(l *Law) { l.Effective = l.Promulgated.AddDate(0, 0, -1) }, "effective", "施行日期不能早于公布日期"},
		{"long issuer", func(l *Law) { l.Issuer = strings.Repeat("会", 201) }, "issuer", "制定机关不能超过 200 个字"},
		{"label missing", func(l *Law) { l.Articles[1].Label = "" }, "articles", "第 2 个条文缺少编号"},
		{"label not an article's", func(l *Law) { l.Articles[1].Label = "第二款" }, "articles", "条文编号“第二款”无效，应写作“第一条”或“第一百二十条之一”"},
		{"label repeated, as written otherwise", func(l *Law) { l.Articles[1].Label = "第1条" }, "articles", "条文编号“第一条”重复（第 1 个和第 2 个条文）"},
		{"empty text", func(l *Law) { l.Articles[2].Text = "\n " }, "articles", "第二条之一的内容不能为空"},
		{"long text", func(l *Law) { l.Articles[0].Text = strings.Repeat("字", MaxArticleText+1) }, "articles", "第一条的内容不能超过 20000 个字"},
		{"long heading", func(l *Law) { l.Articles[0].Chapter = strings.Repeat("章", 201) }, "articles", "第一条所属的标题“" + strings.Repeat("章", 201) + "”不能超过 200 个字"},
		{"too many articles", func(l *Law) {
			l.Articles = make([]Article, MaxArticles+1)
			for i := range l.Articles {
				l.Articles[i] = Article{Label: CiteLabel(i+1, 0), Text: "甲。"}
			}
		}, "articles", "条文不能超过 5000 条，现有 5001 条"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := validLaw()
			tt.change(&l)
			err := l.Validate()
			var e *app.Error
			if !errors.As(err, &e) {
				t.Fatalf("Validate() = %v, want an *app.Error", err)
			}
			if e.Code != app.EINVALID || e.Field != tt.field || e.Message != tt.msg {
				t.Errorf("Validate() = %s %s %q, want invalid %s %q", e.Code, e.Field, e.Message, tt.field, tt.msg)
			}
		})
	}
}

func TestLawValidateMaxArticles(t *testing.T) {
	l := validLaw()
	l.Articles = make([]Article, MaxArticles)
	for i := range l.Articles {
		l.Articles[i] = Article{Label: CiteLabel(i+1, 0), Text: "甲。"}
	}
	if err := l.Validate(); err != nil {
		t.Errorf("%d articles: %v", MaxArticles, err)
	}
}

func TestCategories(t *testing.T) {
	cs := Categories()
	if len(cs) != 17 || cs[0] != CategoryConstitution || cs[len(cs)-1] != CategoryOther {
		t.Fatalf("categories %v", cs)
	}
	seen := map[string]bool{}
	for _, c := range cs {
		if !c.Valid() || c.Label() == string(c) || seen[c.Label()] {
			t.Errorf("category %q: label %q", c, c.Label())
		}
		seen[c.Label()] = true
		for _, in := range []string{string(c), c.Label()} {
			if got, err := ParseCategory(in); err != nil || got != c {
				t.Errorf("ParseCategory(%q) = %q, %v", in, got, err)
			}
		}
	}
	for _, want := range []string{"宪法", "民法典", "党内法规", "国家安全", "行政法规", "地方性法规"} {
		if !seen[want] {
			t.Errorf("no category %s, which the issue names", want)
		}
	}
	if _, err := ParseCategory("法律"); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("ParseCategory(法律) = %v", err)
	}
	if Category("x").Valid() || Category("x").Label() != "x" {
		t.Error("an unknown category")
	}
}

func TestStatuses(t *testing.T) {
	want := map[Status]string{StatusInForce: "现行有效", StatusAmended: "已被修改", StatusRepealed: "已废止", StatusNotYet: "尚未生效"}
	if len(Statuses()) != len(want) {
		t.Fatalf("statuses %v", Statuses())
	}
	for _, s := range Statuses() {
		if !s.Valid() || s.Label() != want[s] {
			t.Errorf("status %q: label %q", s, s.Label())
		}
		if got, err := ParseStatus(want[s]); err != nil || got != s {
			t.Errorf("ParseStatus(%q) = %q, %v", want[s], got, err)
		}
	}
	if _, err := ParseStatus("有效"); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("ParseStatus(有效) = %v", err)
	}
}
