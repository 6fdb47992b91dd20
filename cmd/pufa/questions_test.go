package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"pufa/internal/store"
)

// questionBank is a small bank as copied from a document-sharing site.
const questionBank = `2023年学法用法考试题库（附答案）
上传人：fazhi2023  上传时间：2023-05-06
一、单项选择题（共2题，每题1分）
1．我国的根本大法是（ A ）。
A．宪法 B．刑法 C．民法典 D．行政诉讼法
2、国家宪法日是每年的（　　）。
A、12月4日 B、3月15日 C、4月15日 D、5月1日
答案：B
解析：2014年全国人大常委会决定将12月4日设立为国家宪法日，故选A。
第 1 页 / 共 3 页
二、判断题（共2题，每题1分）
1．宪法是国家的根本法。（√）
2．全民国家安全教育日是每年的`

func TestQuestions(t *testing.T) {
	e := newEnv(t, store.SQLite)
	path := filepath.Join(t.TempDir(), "题库.txt")
	if err := os.WriteFile(path, []byte(questionBank), 0o600); err != nil {
		t.Fatal(err)
	}

	code, out, errb := e.run("", "questions", path)
	wantCode(t, "questions FILE", code, 0, out, errb)
	want := `{
  "sections": [
    {
      "title": "单项选择题",
      "declared_count": 2,
      "declared_points": 2
    },
    {
      "title": "判断题",
      "declared_count": 2,
      "declared_points": 2
    }
  ],
  "questions": [
    {
      "section": 0,
      "n": 1,
      "type": "single",
      "stem": "我国的根本大法是（ ）。",
      "options": [
        {
          "label": "A",
          "text": "宪法"
        },
        {
          "label": "B",
          "text": "刑法"
        },
        {
          "label": "C",
          "text": "民法典"
        },
        {
          "label": "D",
          "text": "行政诉讼法"
        }
      ],
      "answer": [
        "A"
      ],
      "analysis": ""
    },
    {
      "section": 0,
      "n": 2,
      "type": "single",
      "stem": "国家宪法日是每年的（ ）。",
      "options": [
        {
          "label": "A",
          "text": "12月4日"
        },
        {
          "label": "B",
          "text": "3月15日"
        },
        {
          "label": "C",
          "text": "4月15日"
        },
        {
          "label": "D",
          "text": "5月1日"
        }
      ],
      "answer": [
        "B"
      ],
      "analysis": "2014年全国人大常委会决定将12月4日设立为国家宪法日，故选A。"
    },
    {
      "section": 1,
      "n": 1,
      "type": "truefalse",
      "stem": "宪法是国家的根本法。（ ）",
      "options": [],
      "answer": [
        "true"
      ],
      "analysis": ""
    },
    {
      "section": 1,
      "n": 2,
      "type": "truefalse",
      "stem": "全民国家安全教育日是每年的",
      "options": [],
      "answer": [],
      "analysis": "",
      "incomplete": true
    }
  ],
  "warnings": [
    {
      "section": 0,
      "n": 2,
      "message": "答案是 B，但解析中说“故选A”"
    },
    {
      "section": 1,
      "n": 2,
      "message": "题目在文本末尾被截断，不完整"
    }
  ]
}
`
	if out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
	if _, err := os.Stat(filepath.Join(e.dir, "pufa.db")); err == nil {
		t.Error("questions created a database")
	}

	// Standard input gives the same, and flags may come first.
	code, out2, errb := e.run(questionBank, "questions", "--log-level", "warn", "-")
	wantCode(t, "questions -", code, 0, out2, errb)
	if out2 != out {
		t.Errorf("stdin printed\n%s\nwant\n%s", out2, out)
	}

	t.Run("docx on stdin", func(t *testing.T) {
		code, out, errb := e.run(string(testDocx(t, "1. 宪法是国家的根本法。（√）", "2. 宪法日是12月4日。（√）")), "questions", "-")
		wantCode(t, "questions - (docx)", code, 0, out, errb)
		var b struct {
			Questions []struct {
				Answer []string `json:"answer"`
			} `json:"questions"`
			Warnings []any `json:"warnings"`
		}
		if err := json.Unmarshal([]byte(out), &b); err != nil {
			t.Fatal(err)
		}
		if len(b.Questions) != 2 || b.Questions[1].Answer[0] != "true" || b.Warnings == nil {
			t.Errorf("printed %s", out)
		}
	})

	t.Run("no answers", func(t *testing.T) {
		code, out, errb := e.run("1. 宪法是国家的根本法。（ ）\n2. 宪法日是12月4日。（ ）", "questions", "-")
		wantCode(t, "questions (no answers)", code, 0, out, errb)
		if strings.Count(out, `"message"`) != 1 || !strings.Contains(out, "没有找到答案") || strings.Contains(out, `"true"`) {
			t.Errorf("printed %s", out)
		}
	})
}

func TestQuestions_unreadable(t *testing.T) {
	e := newEnv(t, store.SQLite)
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	zipOf := func(name, body string) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create(name)
		w.Write([]byte(body))
		zw.Close()
		return buf.Bytes()
	}
	han := regexp.MustCompile(`\p{Han}`)
	for _, tc := range []struct {
		name, path, want string
	}{
		{"binary", write("a.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")), "不是文本、.docx 或 .xlsx 文件"},
		{"zip that is neither", write("a.zip", zipOf("readme.txt", "hello")), "不是 .docx 或 .xlsx"},
		{"zip bomb", write("bomb.docx", zipOf("word/document.xml", strings.Repeat("\x00", 4<<20))), "压缩炸弹"},
		{"legacy doc", write("old.doc", append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 100)...)), "旧版"},
		{"empty", write("empty.txt", nil), "文件是空的"},
		{"missing", filepath.Join(dir, "nope.txt"), "不存在"},
		{"directory", dir, "是目录"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errb := e.run("", "questions", tc.path)
			if code != 1 || out != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errb)
			}
			if !strings.Contains(errb, tc.want) || !han.MatchString(errb) {
				t.Errorf("stderr %q, want %q", errb, tc.want)
			}
			// Internal causes ("zip: not a valid zip file") stay out.
			if strings.Contains(errb, "zip:") || strings.Contains(errb, "open ") {
				t.Errorf("stderr shows an internal cause: %q", errb)
			}
		})
	}

	t.Run("usage", func(t *testing.T) {
		for _, args := range [][]string{{"questions"}, {"questions", "a.txt", "b.txt"}, {"questions", "--frob", "a.txt"}} {
			var out, errb syncBuffer
			code := run(context.Background(), args, e.getenv, strings.NewReader(""), &out, &errb)
			if code != 2 || out.String() != "" || !strings.Contains(errb.String(), "pufa help questions") {
				t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out.String(), errb.String())
			}
		}
	})

	t.Run("help lists it", func(t *testing.T) {
		var out, errb syncBuffer
		run(context.Background(), []string{"help"}, e.getenv, nil, &out, &errb)
		if !strings.Contains(out.String(), "  questions ") {
			t.Errorf("help:\n%s", out.String())
		}
	})
}

// testDocx is a minimal .docx with one paragraph per line.
func testDocx(t *testing.T, lines ...string) []byte {
	t.Helper()
	var body strings.Builder
	for _, l := range lines {
		body.WriteString("<w:p><w:r><w:t>" + l + "</w:t></w:r></w:p>")
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() + `</w:body></w:document>`},
	} {
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(p.body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
