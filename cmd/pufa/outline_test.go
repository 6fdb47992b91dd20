package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pufa/internal/outline"
)

// seedCopy is the test copy of the scraped seed document.
const seedCopy = "../../internal/outline/testdata/seed.txt"

// runOutline runs pufa outline with args and stdin in a process
// environment that names a database which does not exist: outline must
// not touch it.
func runOutline(t *testing.T, stdin []byte, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	env := map[string]string{"PUFA_DB": "postgres://nobody@127.0.0.1:1/none", "PUFA_DATA_DIR": filepath.Join(t.TempDir(), "absent")}
	var out, errb bytes.Buffer
	var in io.Reader // nil, not a typed nil, when there is no input
	if stdin != nil {
		in = bytes.NewReader(stdin)
	}
	code = run(context.Background(), append([]string{"outline"}, args...), func(k string) string { return env[k] }, in, &out, &errb)
	return code, out.String(), errb.String()
}

func TestOutlineSeed(t *testing.T) {
	// Run where a default data folder would be made, to see none is.
	dir := t.TempDir()
	abs, err := filepath.Abs(seedCopy)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	code, stdout, stderr := runOutline(t, nil, abs)
	wantCode(t, "outline seed", code, 0, stdout, stderr)
	if stderr != "" {
		t.Errorf("stderr: %s", stderr)
	}
	var res struct {
		Documents []struct {
			Title string `json:"title"`
			Nodes []struct {
				Children []json.RawMessage `json:"children"`
			} `json:"nodes"`
		} `json:"documents"`
		Warnings []outline.Warning `json:"warnings"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if len(res.Documents) != 2 || res.Documents[1].Title != "2023年全国普法依法治理工作要点" {
		t.Fatalf("documents: %+v", res.Documents)
	}
	var items []int
	for _, sec := range res.Documents[1].Nodes {
		items = append(items, len(sec.Children))
	}
	if want := []int{3, 5, 4, 2, 5}; !equalInts(items, want) {
		t.Errorf("items per section %v, want %v", items, want)
	}
	if len(res.Warnings) == 0 || !strings.Contains(stdout, `"kind": "ocr"`) {
		t.Error("no OCR warnings in the output")
	}
	if strings.Contains(stdout, `\u`) {
		t.Error("output escapes characters it need not")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("outline created %v in the working directory", entries)
	}

	// The same bytes on standard input give the same output.
	seed, err := os.ReadFile(abs)
	if err != nil {
		t.Fatal(err)
	}
	code, stdin, stderr := runOutline(t, seed, "-")
	wantCode(t, "outline -", code, 0, stdin, stderr)
	if stdin != stdout {
		t.Error("standard input and file give different outlines")
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestOutlineRefuses(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	w, _ := zw.Create("xl/workbook.xml")
	w.Write([]byte("<workbook/>"))
	zw.Close()
	var bomb bytes.Buffer
	zw = zip.NewWriter(&bomb)
	w, _ = zw.Create("word/document.xml")
	w.Write(bytes.Repeat([]byte{' '}, 4<<20))
	zw.Close()

	tests := []struct {
		name  string
		args  []string
		stdin []byte
		code  int
		want  string
	}{
		{"binary", []string{write("a.bin", []byte{0x7F, 'E', 'L', 'F', 0, 1, 2})}, nil, 1, "无法识别"},
		{"a spreadsheet", []string{write("a.xlsx", zbuf.Bytes())}, nil, 1, "不是 Word 文档"},
		{"a zip bomb", []string{write("bomb.docx", bomb.Bytes())}, nil, 1, "疑似压缩炸弹"},
		{"a missing file", []string{filepath.Join(dir, "none.txt")}, nil, 1, "找不到文件"},
		{"a directory", []string{dir}, nil, 1, "是目录"},
		{"empty standard input", []string{"-"}, []byte{}, 1, "文件是空的"},
		{"no file", nil, nil, 2, "请给出一个文件"},
		{"two files", []string{"a", "b"}, nil, 2, "请给出一个文件"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runOutline(t, tt.stdin, tt.args...)
			wantCode(t, tt.name, code, tt.code, stdout, stderr)
			if stdout != "" {
				t.Errorf("stdout is not empty: %q", stdout)
			}
			if !strings.Contains(stderr, tt.want) || !strings.HasPrefix(stderr, "pufa outline：") {
				t.Errorf("stderr %q does not say %q", stderr, tt.want)
			}
		})
	}
}

func TestOutlineHelp(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"help"}, func(string) string { return "" }, nil, &out, &errb)
	wantCode(t, "help", code, 0, out.String(), errb.String())
	if !strings.Contains(out.String(), "outline") {
		t.Errorf("help does not list outline:\n%s", out.String())
	}
	out.Reset()
	code = run(context.Background(), []string{"help", "outline"}, func(string) string { return "" }, nil, &out, &errb)
	wantCode(t, "help outline", code, 0, out.String(), errb.String())
	if !strings.Contains(out.String(), "pufa outline FILE") {
		t.Errorf("help outline:\n%s", out.String())
	}
}
