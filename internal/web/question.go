package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"pufa/internal/app"
	"pufa/internal/question"
	"pufa/internal/question/qfile"
	"pufa/internal/upload"
	"pufa/internal/xlsx"
)

type questionListData struct {
	Questions []*question.Stored
	Pager     pager
	Types     []question.Type
	Tags      []string
	Type, Tag string
	Query     string
}

// questionList is the office's view of its question bank.
func (s *Server) questionList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	const size = 30
	f := question.Filter{OrgPath: a.OrgPath, Type: question.Type(q.Get("type")), Tag: q.Get("tag"), Query: strings.TrimSpace(q.Get("q")), Offset: (page - 1) * size, Limit: size}
	list, total, err := s.db.FindQuestions(ctx, f)
	if err != nil {
		return err
	}
	tags, err := s.db.FindTags(ctx, a.OrgPath)
	if err != nil {
		return err
	}
	d := questionListData{Questions: list, Types: question.Types, Tags: tags, Type: string(f.Type), Tag: f.Tag, Query: f.Query,
		Pager: newPager(page, size, total, r.URL.Query().Encode())}
	v := s.newView(r, "题库", d)
	v.Active = "laws"
	return s.render(w, r, http.StatusOK, "questions", v)
}

type questionImportData struct {
	MaxSize    string
	Text       string
	Tags       string
	Difficulty string
	// The preview.
	Key        string
	Name       string
	Bank       *question.Bank
	Duplicates map[int]bool
	New        int
	Unanswered int
	// Incomplete questions (cut off by the end of the file) are shown but
	// not saved.
	Incomplete int
	Linked     int
}

func (s *Server) questionImportForm(w http.ResponseWriter, r *http.Request) error {
	v := s.newView(r, "导入题库", questionImportData{MaxSize: humanSize(s.opts.MaxUploadBytes)})
	v.Active = "laws"
	return s.render(w, r, http.StatusOK, "question_import", v)
}

// readBank parses an uploaded or pasted bank.
func readBank(name string, data []byte) (*question.Bank, error) {
	kind, err := upload.Sniff(name, data)
	if err != nil {
		return nil, err
	}
	switch kind {
	case upload.DOCX, upload.XLSX, upload.TXT:
	default:
		return nil, app.Invalid("file", "请上传 .docx、.xlsx 或 .txt 格式的题库（.doc 请先在 Word 中另存为 .docx）")
	}
	bank, err := qfile.Read(data)
	if err != nil {
		return nil, err
	}
	if len(bank.Questions) == 0 {
		return nil, app.Invalid("file", "没有在文件中找到题目：请确认题目带有编号（如“1.”“1、”）")
	}
	return bank, nil
}

// importRows turns a parsed bank into questions to store, with the tags
// and difficulty chosen and the articles their analyses cite.
func (s *Server) importRows(ctx context.Context, a *app.Actor, bank *question.Bank, name, tags string, difficulty int) ([]*question.Stored, int, error) {
	var out []*question.Stored
	var tagList []string
	for _, t := range strings.FieldsFunc(tags, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ' ' }) {
		tagList = append(tagList, t)
	}
	for _, q := range bank.Questions {
		st := &question.Stored{Question: q, Tags: tagList, Difficulty: difficulty, Source: name}
		if sec := q.Section; sec < len(bank.Sections) && bank.Sections[sec].Title != "" {
			st.Tags = append(append([]string{}, tagList...), bank.Sections[sec].Title)
		}
		out = append(out, st)
	}
	linked, err := s.linkArticles(ctx, a, out)
	return out, linked, err
}

// questionImportPreview shows what a bank file holds, with every warning
// and the duplicates, before anything is saved.
func (s *Server) questionImportPreview(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	if err := s.parseUpload(r); err != nil {
		return err
	}
	d := questionImportData{MaxSize: humanSize(s.opts.MaxUploadBytes), Text: r.FormValue("text"), Tags: r.FormValue("tags"), Difficulty: r.FormValue("difficulty")}
	data, name, ok, err := s.fileOrText(r, "粘贴的题目.txt")
	if err != nil {
		return err
	}
	if !ok {
		return s.renderForm(w, r, "question_import", "导入题库", d, app.Invalid("file", "请上传题库文件，或把题目粘贴到文本框中"))
	}
	d.Name = name
	bank, err := readBank(d.Name, data)
	if err != nil {
		return s.renderForm(w, r, "question_import", "导入题库", d, err)
	}
	difficulty, _ := strconv.Atoi(d.Difficulty)
	rows, linked, err := s.importRows(ctx, a, bank, d.Name, d.Tags, difficulty)
	if err != nil {
		return err
	}
	d.Bank, d.Linked, d.Duplicates = bank, linked, map[int]bool{}
	// Duplicates against the bank and within the file, the way the store
	// will judge them.
	seen := map[string]bool{}
	for i, q := range rows {
		if q.Incomplete {
			d.Incomplete++
			continue
		}
		key := q.Key()
		if seen[key] {
			d.Duplicates[i] = true
			continue
		}
		seen[key] = true
		if n, err := s.db.CountQuestionKey(ctx, a.OrgID, key); err != nil {
			return err
		} else if n > 0 {
			d.Duplicates[i] = true
		}
		if !q.Answered() {
			d.Unanswered++
		}
	}
	d.New = len(rows) - len(d.Duplicates) - d.Incomplete
	if d.Key, err = s.putBlob(ctx, data, d.Name, "question_bank", ""); err != nil {
		return err
	}
	v := s.newView(r, "核对题库", d)
	v.Active = "laws"
	return s.render(w, r, http.StatusOK, "question_preview", v)
}

// questionImportCommit saves the bank the preview showed.
func (s *Server) questionImportCommit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := app.ActorFrom(ctx)
	key, name := r.PostFormValue("key"), r.PostFormValue("name")
	data, err := s.ownUpload(r, key, "question_bank")
	if err != nil {
		return err
	}
	bank, err := readBank(name, data)
	if err != nil {
		return err
	}
	difficulty, _ := strconv.Atoi(r.PostFormValue("difficulty"))
	rows, _, err := s.importRows(ctx, a, bank, name, r.PostFormValue("tags"), difficulty)
	if err != nil {
		return err
	}
	// Questions cut off by the end of the file cannot be saved; leave them
	// out, as the preview said.
	keep := rows[:0]
	for _, q := range rows {
		if !q.Incomplete {
			keep = append(keep, q)
		}
	}
	res, err := s.db.ImportQuestions(ctx, a.OrgID, keep)
	if err != nil {
		return err
	}
	s.dropBlob(ctx, key)
	return s.redirect(w, r, "/questions", fmt.Sprintf("已导入 %d 题，跳过重复 %d 题", res.Added, len(res.Duplicates)))
}

// questionTemplate is the .xlsx a bank can be typed into: the template's
// columns and one example of each type.
func (s *Server) questionTemplate(w http.ResponseWriter, r *http.Request) error {
	xw, err := xlsx.NewWriter(app.Shanghai)
	if err != nil {
		return err
	}
	defer xw.Close()
	if err := xw.AddSheet("题库", question.TemplateColumns()); err != nil {
		return err
	}
	for _, row := range [][]any{
		{"单选题", "我国的根本大法是（ ）。", "宪法", "刑法", "民法典", "立法法", "", "", "A", "依据《宪法》序言，宪法是国家的根本法。"},
		{"多选题", "下列属于公民基本义务的有（ ）。", "维护国家统一", "依法纳税", "遵守宪法和法律", "担任公职", "", "", "ABC", "依据《宪法》第五十二条、第五十三条、第五十六条。"},
		{"判断题", "每年12月4日为国家宪法日。", "", "", "", "", "", "", "正确", ""},
		{"填空题", "中华人民共和国的一切权力属于（ ）。", "", "", "", "", "", "", "人民", "依据《宪法》第二条。"},
		{"简答题", "简述“谁执法谁普法”普法责任制的主要内容。", "", "", "", "", "", "", "参考答案：……", ""},
	} {
		if err := xw.WriteRow(row...); err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", attachment("题库导入模板.xlsx"))
	return xw.Finish(w)
}
