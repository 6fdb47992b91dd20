package web

import (
	"bytes"
	"context"
	"net/http"
	"strings"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/audit"
	"pufa/internal/authz"
	"pufa/internal/pii"
	"pufa/internal/upload"
	"pufa/internal/xlsx"
)

// orgExport writes the org list, filtered like the page, as .xlsx in a
// background job.
func (s *Server) orgExport(w http.ResponseWriter, r *http.Request) error {
	f, _, err := s.orgFilter(r)
	if err != nil {
		return err
	}
	f.Limit = 100000
	j, err := s.startJob(r, "export", "导出组织机构", func(ctx context.Context, progress func(int, int, string)) (string, string, error) {
		orgs, total, err := s.db.FindOrgs(ctx, f)
		if err != nil {
			return "", "", err
		}
		names := map[app.ID]string{}
		for _, o := range orgs {
			names[o.ID] = o.Code
		}
		xw, err := xlsx.NewWriter(app.Shanghai)
		if err != nil {
			return "", "", err
		}
		defer xw.Close()
		if err := xw.AddSheet("组织", []string{"上级组织代码", "组织类型", "组织名称", "代码", "排序号", "状态", "创建时间"}); err != nil {
			return "", "", err
		}
		for i, o := range orgs {
			state := "启用"
			if !o.Active {
				state = "停用"
			}
			parent := names[o.ParentID]
			if parent == "" && o.ParentID != 0 {
				if p, err := s.db.FindOrgByID(ctx, o.ParentID); err == nil {
					parent = p.Code
				}
			}
			if err := xw.WriteRow(parent, o.Kind.Label(), o.Name, o.Code, o.SortOrder, state, o.CreatedAt); err != nil {
				return "", "", err
			}
			progress(i+1, total, "")
		}
		return s.finishExport(ctx, xw, "组织机构.xlsx", total)
	})
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/jobs/"+j.ID.String(), "")
}

// userExport writes the user list as .xlsx in a background job. Phones and
// ID numbers are masked unless the request asks to reveal them and the
// actor may, which is audited.
func (s *Server) userExport(w http.ResponseWriter, r *http.Request) error {
	f, d, err := s.userFilter(r)
	if err != nil {
		return err
	}
	scope := d.Scope
	f.Limit = 100000
	reveal := r.URL.Query().Get("reveal") == "1"
	if reveal && !authz.Can(app.ActorFrom(r.Context()), authz.PIIReveal, authz.AtOrg(scope.Path)) {
		return authz.Forbidden()
	}
	names, err := s.orgNames(r, scope)
	if err != nil {
		return err
	}
	j, err := s.startJob(r, "export", "导出用户", func(ctx context.Context, progress func(int, int, string)) (string, string, error) {
		users, total, err := s.db.FindUsers(ctx, f)
		if err != nil {
			return "", "", err
		}
		if reveal {
			if err := s.db.WriteAudit(ctx, audit.Record{Action: "pii.reveal_export", ObjectType: "org", ObjectID: scope.ID.String(), Detail: "导出未脱敏的用户个人信息"}); err != nil {
				return "", "", err
			}
		}
		xw, err := xlsx.NewWriter(app.Shanghai)
		if err != nil {
			return "", "", err
		}
		defer xw.Close()
		if err := xw.AddSheet("用户", []string{"登录名", "姓名", "所属组织", "角色", "身份", "职级", "手机号", "身份证号", "状态", "最近登录"}); err != nil {
			return "", "", err
		}
		for i, u := range users {
			phone, idn := pii.MaskPhone(u.Phone), pii.MaskIDNumber(u.IDNumber)
			if reveal {
				phone, idn = u.Phone, u.IDNumber
			}
			roles := make([]string, len(u.Roles))
			for k, role := range u.Roles {
				roles[k] = account.RoleLabel(role)
			}
			state := "启用"
			if !u.Active {
				state = "停用"
			}
			if err := xw.WriteRow(u.Login, u.Name, names[u.OrgID], strings.Join(roles, "、"), u.Rank.Label(), u.RankTitle, phone, idn, state, u.LastLoginAt); err != nil {
				return "", "", err
			}
			progress(i+1, total, "")
		}
		return s.finishExport(ctx, xw, "用户.xlsx", total)
	})
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/jobs/"+j.ID.String(), "")
}

func (s *Server) finishExport(ctx context.Context, xw *xlsx.Writer, name string, rows int) (string, string, error) {
	var buf bytes.Buffer
	if err := xw.Finish(&buf); err != nil {
		return "", "", err
	}
	key, err := s.putBlob(ctx, buf.Bytes(), name, "export", upload.XLSX.ContentType())
	if err != nil {
		return "", "", err
	}
	if err := s.db.WriteAudit(ctx, audit.Record{Action: "export.create", ObjectType: "export", Detail: name + " " + itoa(rows) + " 行"}); err != nil {
		return "", "", err
	}
	return key, name, nil
}
