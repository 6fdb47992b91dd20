package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/authz"
	"pufa/internal/directory"
	"pufa/internal/org"
	"pufa/internal/password"
	"pufa/internal/upload"
	"pufa/internal/xlsx"
)

func (s *Server) importForm(w http.ResponseWriter, r *http.Request) error {
	v := s.newView(r, "批量导入组织和用户", map[string]any{"MaxSize": humanSize(s.opts.MaxUploadBytes)})
	v.Active = "users"
	return s.render(w, r, http.StatusOK, "import", v)
}

// importTemplate offers the .xlsx to fill in, with a sheet of instructions.
func (s *Server) importTemplate(w http.ResponseWriter, r *http.Request) error {
	xw, err := xlsx.NewWriter(app.Shanghai)
	if err != nil {
		return err
	}
	defer xw.Close()
	steps := [][]string{
		{"1", "“组织”表：每行一个新组织。上级组织代码填系统中已有组织的代码，或本表中更靠前一行的代码。"},
		{"2", "组织类型填：区县、街道、乡镇、村、社区、单位。区域填行政区划代码（区县 6 位、街道乡镇 9 位、村社区 12 位），单位填 18 位统一社会信用代码。"},
		{"3", "“用户”表：每行一个账号。角色可填多个，用顿号分隔：普法办、单位联络员、评议员、考生。"},
		{"4", "身份填“一般工作人员”或“领导干部”；手机号、身份证号可不填，填写后将加密保存。"},
		{"5", "带 * 的列必填。整份文件全部正确才会导入；有错误时不写入任何数据。导入后可下载各账号的一次性密码。"},
	}
	if err := xw.AddSheet("填写说明", []string{"序号", "说明"}); err != nil {
		return err
	}
	for _, st := range steps {
		if err := xw.WriteRow(st[0], st[1]); err != nil {
			return err
		}
	}
	if err := xw.AddSheet(directory.OrgSheet, directory.OrgColumns); err != nil {
		return err
	}
	if err := xw.AddSheet(directory.UserSheet, directory.UserColumns); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", attachment("组织用户导入模板.xlsx"))
	return xw.Finish(w)
}

// importEnv answers the plan's questions for the signed-in importer.
type importEnv struct {
	s *Server
	a *app.Actor
}

func (e importEnv) OrgByCode(ctx context.Context, code string) (*org.Org, bool, error) {
	o, err := e.s.db.FindOrgByCode(ctx, code)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, false, nil
	}
	return o, err == nil, err
}

func (e importEnv) LoginTaken(ctx context.Context, login string) (bool, error) {
	_, err := e.s.db.FindUserByLogin(ctx, login)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return false, nil
	}
	return err == nil, err
}

func (e importEnv) CanManageUnder(path string) bool {
	return authz.Can(e.a, authz.UserManage, authz.AtOrg(path)) &&
		(authz.Can(e.a, authz.OrgManage, authz.Below(path)))
}

func (e importEnv) CanGrant(path string, roles []string) bool {
	if len(roles) == 1 && roles[0] == account.RoleExaminee {
		return true
	}
	return authz.CanGrant(e.a, authz.AtOrg(path), nil, roles)
}

// readImport parses a stored upload into a checked plan.
func (s *Server) readImport(ctx context.Context, a *app.Actor, data []byte) (*directory.Plan, error) {
	limits := upload.DefaultSpreadsheet()
	orgs, err := xlsx.ReadSheetNamed(data, limits, directory.MaxRows, directory.OrgSheet)
	if err != nil && !isMissingSheet(err) {
		return nil, err
	}
	users, err := xlsx.ReadSheetNamed(data, limits, directory.MaxRows, directory.UserSheet)
	if err != nil && !isMissingSheet(err) {
		return nil, err
	}
	if orgs == nil && users == nil {
		return nil, app.Errorf(app.EINVALID, "文件中没有“组织”或“用户”工作表，请使用系统提供的模板")
	}
	// A nil *xlsx.Sheet must become a nil interface, not a typed nil.
	var orgSheet, userSheet directory.Sheet
	if orgs != nil {
		orgSheet = orgs
	}
	if users != nil {
		userSheet = users
	}
	return directory.Build(ctx, orgSheet, userSheet, importEnv{s: s, a: a})
}

func isMissingSheet(err error) bool {
	return err != nil && strings.Contains(app.ErrorMessage(err), "工作表")
}

type importPreviewData struct {
	Plan    *directory.Plan
	Key     string
	Name    string
	Rows    int
	OrgsN   int
	UsersN  int
	ErrorsN int
}

func (s *Server) importPreview(w http.ResponseWriter, r *http.Request) error {
	// The upload limit is enforced by the body reader (outer middleware)
	// and again here on the file itself.
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return app.Errorf(app.ETOOLARGE, "文件超过 %s 上限", humanSize(s.opts.MaxUploadBytes))
		}
		return app.Invalid("file", "请选择要上传的 .xlsx 文件")
	}
	defer r.MultipartForm.RemoveAll()
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return app.Invalid("file", "请选择要上传的 .xlsx 文件")
	}
	defer f.Close()
	data, err := upload.ReadLimited(f, s.opts.MaxUploadBytes)
	if err != nil {
		return err
	}
	if kind, err := upload.Sniff(hdr.Filename, data); err != nil {
		return err
	} else if kind != upload.XLSX {
		return app.Invalid("file", "请上传 .xlsx 格式的 Excel 文件（不支持 .xls 或其他格式）")
	}
	a := app.ActorFrom(r.Context())
	plan, err := s.readImport(r.Context(), a, data)
	if err != nil {
		return err
	}
	key := ""
	if plan.Valid() {
		// Kept so the confirm step re-reads the same bytes without a second
		// upload and without state in the server's memory.
		if key, err = s.putBlob(r.Context(), data, hdr.Filename, "import", upload.XLSX.ContentType()); err != nil {
			return err
		}
	}
	d := importPreviewData{Plan: plan, Key: key, Name: hdr.Filename, OrgsN: len(plan.Orgs), UsersN: len(plan.Users), ErrorsN: len(plan.Errors)}
	v := s.newView(r, "导入预览", d)
	v.Active = "users"
	status := http.StatusOK
	if !plan.Valid() {
		status = http.StatusBadRequest
	}
	return s.render(w, r, status, "import_preview", v)
}

func (s *Server) importCommit(w http.ResponseWriter, r *http.Request) error {
	key := r.PostFormValue("key")
	data, err := s.ownUpload(r, key, "import")
	if err != nil {
		return err
	}
	a := app.ActorFrom(r.Context())
	// Checked again: the database may have changed since the preview.
	plan, err := s.readImport(r.Context(), a, data)
	if err != nil {
		return err
	}
	if !plan.Valid() {
		return app.Errorf(app.EINVALID, "导入文件有 %d 处错误（数据在预览后发生了变化），未写入任何数据，请重新上传", len(plan.Errors))
	}
	j, err := s.startJob(r, "import", fmt.Sprintf("导入组织 %d 个、用户 %d 个", len(plan.Orgs), len(plan.Users)), func(ctx context.Context, progress func(int, int, string)) (string, string, error) {
		resultKey, name, err := s.applyImport(ctx, plan, progress)
		if err == nil {
			// The roster is in the database now; its upload holds personal
			// data and has no further use.
			s.dropBlob(ctx, key)
		}
		return resultKey, name, err
	})
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/jobs/"+j.ID.String(), "")
}

// applyImport hashes the one-time passwords (the slow part, so it reports
// progress), writes everything in one transaction, and produces the
// password sheet the office hands out.
func (s *Server) applyImport(ctx context.Context, plan *directory.Plan, progress func(int, int, string)) (string, string, error) {
	total := len(plan.Users) + 1
	passwords := make([]string, len(plan.Users))
	for i := range plan.Users {
		pw, err := password.Generate()
		if err != nil {
			return "", "", err
		}
		hash, err := s.auth.Hasher.Hash(ctx, pw)
		if err != nil {
			return "", "", err
		}
		passwords[i], plan.Users[i].User.PasswordHash = pw, hash
		progress(i+1, total, fmt.Sprintf("正在生成一次性密码 %d/%d", i+1, len(plan.Users)))
	}
	if err := s.db.ApplyDirectoryPlan(ctx, plan); err != nil {
		return "", "", err
	}
	progress(total, total, "已写入数据库")
	if len(plan.Users) == 0 {
		return "", "", nil
	}
	xw, err := xlsx.NewWriter(app.Shanghai)
	if err != nil {
		return "", "", err
	}
	defer xw.Close()
	if err := xw.AddSheet("一次性密码", []string{"登录名", "姓名", "所属组织代码", "一次性密码", "说明"}); err != nil {
		return "", "", err
	}
	for i, r := range plan.Users {
		if err := xw.WriteRow(r.User.Login, r.User.Name, r.OrgCode, passwords[i], "首次登录后须修改密码"); err != nil {
			return "", "", err
		}
	}
	var buf bytes.Buffer
	if err := xw.Finish(&buf); err != nil {
		return "", "", err
	}
	key, err := s.putBlob(ctx, buf.Bytes(), "一次性密码.xlsx", "password_sheet", upload.XLSX.ContentType())
	return key, "一次性密码.xlsx", err
}
