package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"pufa/internal/app"
	"pufa/internal/assess"
	"pufa/internal/audit"
	"pufa/internal/plan"
)

var _ assess.RoundStore = (*DB)(nil)

// CreateRound stores a draft round with its stages and subjects.
func (db *DB) CreateRound(ctx context.Context, r *assess.Round) error {
	if err := validateRound(r); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		sc, err := tx.findScheme(ctx, r.SchemeID)
		if err != nil {
			return app.Invalid("scheme", "指标体系不存在")
		}
		if sc.Status != assess.Published {
			return app.Invalid("scheme", "指标体系“%s”第 %d 版尚未发布，发布后才能用于考评", sc.Scheme.Name, sc.Scheme.Version)
		}
		if _, err := tx.findOrgByID(ctx, r.OrgID); err != nil {
			return app.Invalid("org", "所属区域不存在")
		}
		r.ID, r.Status, r.CreatedAt = tx.db.NewID(), assess.RoundDraft, tx.now
		if a := app.ActorFrom(ctx); a != nil {
			r.CreatedBy = a.UserID
		}
		grading, err := json.Marshal(r.Grading)
		if err != nil {
			return err
		}
		timeline, err := json.Marshal(nonNil(r.Timeline))
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO rounds (id, org_id, scheme_id, title, period, status, grading, timeline, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.OrgID, r.SchemeID, r.Title, r.Period, r.Status, string(grading), string(timeline), r.CreatedBy, ms(tx.now), ms(tx.now)); err != nil {
			return fmt.Errorf("insert round: %w", err)
		}
		if err := tx.insertStages(ctx, r); err != nil {
			return err
		}
		if err := tx.insertSubjects(ctx, r); err != nil {
			return err
		}
		return tx.audit(ctx, audit.Record{Action: "round.create", ObjectType: "round", ObjectID: r.ID.String(),
			Detail: fmt.Sprintf("%s：%d 个对象，%d 个环节", r.Title, len(r.Subjects), len(r.Stages))})
	})
}

func validateRound(r *assess.Round) error {
	r.Title = strings.TrimSpace(r.Title)
	if r.Title == "" {
		return app.Invalid("title", "请填写考评名称")
	}
	if len([]rune(r.Title)) > 100 {
		return app.Invalid("title", "考评名称不能超过 100 个字")
	}
	if len(r.Subjects) == 0 {
		return app.Invalid("subjects", "请至少选择一个被考评对象")
	}
	stages := make([]assess.Stage, len(r.Stages))
	for i, st := range r.Stages {
		stages[i] = st.Stage
		if !st.OpensAt.IsZero() && !st.ClosesAt.IsZero() && !st.ClosesAt.After(st.OpensAt) {
			return app.Invalid(fmt.Sprintf("stages[%d]", i), "%s的截止时间应晚于开始时间", st.Kind.Label())
		}
		if st.Kind == assess.StagePublic {
			switch st.Public.Mode {
			case assess.VoteByToken, assess.VoteByPhone:
			default:
				return app.Invalid(fmt.Sprintf("stages[%d]", i), "社会评议的投票方式应为邀请码或手机验证")
			}
			if st.Public.Population < 0 || st.Public.BurstVotes < 0 || st.Public.BurstSeconds < 0 {
				return app.Invalid(fmt.Sprintf("stages[%d]", i), "社会评议的人数和告警设置不能为负数")
			}
		}
	}
	if err := assess.ValidateStages(stages); err != nil {
		return err
	}
	return r.Grading.Validate()
}

func (t *Tx) insertStages(ctx context.Context, r *assess.Round) error {
	for i, st := range r.Stages {
		if err := t.insertStage(ctx, r.ID, i, st); err != nil {
			return err
		}
	}
	return nil
}

func (t *Tx) insertStage(ctx context.Context, roundID app.ID, position int, st *assess.RoundStage) error {
	st.ID = t.db.NewID()
	if st.Kind == assess.StagePublic && st.Public.Key == "" {
		st.Public.Key = randomKey()
	}
	if _, err := t.exec(ctx, `INSERT INTO round_stages (id, round_id, position, kind, name, weight, min_raters, combine, public_rule, opens_at, closes_at, public_key, vote_mode, population, burst_votes, burst_seconds)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		st.ID, roundID, position, st.Kind, st.Name, st.Weight, st.MinRaters, st.Combine, st.Rule, ms(st.OpensAt), ms(st.ClosesAt),
		st.Public.Key, st.Public.Mode, st.Public.Population, st.Public.BurstVotes, st.Public.BurstSeconds); err != nil {
		return fmt.Errorf("insert stage: %w", err)
	}
	return nil
}

func (t *Tx) insertSubjects(ctx context.Context, r *assess.Round) error {
	seen := make(map[app.ID]bool, len(r.Subjects))
	for i := range r.Subjects {
		s := &r.Subjects[i]
		if seen[s.OrgID] {
			continue
		}
		seen[s.OrgID] = true
		o, err := t.findOrgByID(ctx, s.OrgID)
		if err != nil {
			return app.Invalid("subjects", "被考评对象不存在")
		}
		s.Name, s.Path = o.Name, o.Path
		if _, err := t.exec(ctx, `INSERT INTO round_subjects (round_id, org_id, position) VALUES (?, ?, ?)`, r.ID, s.OrgID, i); err != nil {
			return fmt.Errorf("insert subject: %w", err)
		}
	}
	return nil
}

// UpdateRound changes a round before it is locked.
func (db *DB) UpdateRound(ctx context.Context, r *assess.Round) error {
	if err := validateRound(r); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		cur, err := tx.findRound(ctx, r.ID)
		if err != nil {
			return err
		}
		if cur.Status != assess.RoundDraft && cur.Status != assess.RoundOpen {
			return app.Errorf(app.ECONFLICT, "考评已锁定或已发布，不能再修改设置")
		}
		grading, err := json.Marshal(r.Grading)
		if err != nil {
			return err
		}
		timeline, err := json.Marshal(nonNil(r.Timeline))
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE rounds SET title = ?, period = ?, grading = ?, timeline = ?, updated_at = ? WHERE id = ?`, r.Title, r.Period, string(grading), string(timeline), ms(tx.now), r.ID); err != nil {
			return err
		}
		if cur.Status == assess.RoundDraft {
			// The scheme, stages and subjects are free to change until
			// scoring starts; assignments of removed stages or subjects go
			// with them.
			if r.SchemeID != cur.SchemeID {
				sc, err := tx.findScheme(ctx, r.SchemeID)
				if err != nil || sc.Status != assess.Published {
					return app.Invalid("scheme", "请选择已发布的指标体系")
				}
				if _, err := tx.exec(ctx, `UPDATE rounds SET scheme_id = ? WHERE id = ?`, r.SchemeID, r.ID); err != nil {
					return err
				}
			}
			keep := make(map[app.ID]bool)
			for _, st := range r.Stages {
				if st.ID != 0 && cur.Stage(st.ID) != nil {
					keep[st.ID] = true
				} else {
					st.ID = 0
				}
			}
			for _, st := range cur.Stages {
				if keep[st.ID] {
					continue
				}
				for _, q := range []string{`DELETE FROM stage_raters WHERE stage_id = ?`, `DELETE FROM round_stages WHERE id = ?`} {
					if _, err := tx.exec(ctx, q, st.ID); err != nil {
						return err
					}
				}
			}
			// Kept stages are updated in place: their raters stay assigned
			// and a public stage keeps the address its QR code prints.
			for i, st := range r.Stages {
				old := cur.Stage(st.ID)
				if old == nil {
					if err := tx.insertStage(ctx, r.ID, i, st); err != nil {
						return err
					}
					continue
				}
				st.Public.Key = old.Public.Key
				if st.Kind == assess.StagePublic && st.Public.Key == "" {
					st.Public.Key = randomKey()
				}
				if _, err := tx.exec(ctx, `UPDATE round_stages SET position = ?, kind = ?, name = ?, weight = ?, min_raters = ?, combine = ?, public_rule = ?, opens_at = ?, closes_at = ?, public_key = ?, vote_mode = ?, population = ?, burst_votes = ?, burst_seconds = ? WHERE id = ?`,
					i, st.Kind, st.Name, st.Weight, st.MinRaters, st.Combine, st.Rule, ms(st.OpensAt), ms(st.ClosesAt), st.Public.Key, st.Public.Mode, st.Public.Population, st.Public.BurstVotes, st.Public.BurstSeconds, st.ID); err != nil {
					return err
				}
			}
			if _, err := tx.exec(ctx, `DELETE FROM round_subjects WHERE round_id = ?`, r.ID); err != nil {
				return err
			}
			if err := tx.insertSubjects(ctx, r); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `DELETE FROM stage_raters WHERE round_id = ? AND subject_id NOT IN (SELECT org_id FROM round_subjects WHERE round_id = ?)`, r.ID, r.ID); err != nil {
				return err
			}
		} else {
			if len(r.Stages) != len(cur.Stages) {
				return app.Errorf(app.ECONFLICT, "评分已开始，不能增删环节")
			}
			for i, st := range r.Stages {
				old := cur.Stages[i]
				if st.ID != old.ID || st.Kind != old.Kind || st.Weight != old.Weight || st.Combine != old.Combine || st.Rule != old.Rule || st.MinRaters != old.MinRaters {
					return app.Errorf(app.ECONFLICT, "评分已开始，环节的类型、权重和汇总方式不能再改")
				}
				if _, err := tx.exec(ctx, `UPDATE round_stages SET name = ?, opens_at = ?, closes_at = ?, population = ?, burst_votes = ?, burst_seconds = ? WHERE id = ?`,
					st.Name, ms(st.OpensAt), ms(st.ClosesAt), st.Public.Population, st.Public.BurstVotes, st.Public.BurstSeconds, st.ID); err != nil {
					return err
				}
			}
		}
		return tx.audit(ctx, audit.Record{Action: "round.update", ObjectType: "round", ObjectID: r.ID.String(), Detail: r.Title})
	})
}

// SetRoundStatus moves a round along.
func (db *DB) SetRoundStatus(ctx context.Context, id app.ID, from, to assess.RoundStatus) error {
	allowed := map[[2]assess.RoundStatus]bool{
		{assess.RoundDraft, assess.RoundOpen}:   true,
		{assess.RoundOpen, assess.RoundLocked}:  true,
		{assess.RoundLocked, assess.RoundOpen}:  true,
		{assess.RoundOpen, assess.RoundDraft}:   false,
		{assess.RoundDraft, assess.RoundLocked}: false,
	}
	if !allowed[[2]assess.RoundStatus{from, to}] {
		return app.Errorf(app.ECONFLICT, "考评不能从“%s”改为“%s”", from.Label(), to.Label())
	}
	return db.update(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE rounds SET status = ?, updated_at = ? WHERE id = ? AND status = ?`, to, ms(tx.now), id, from)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.findRound(ctx, id); err != nil {
				return err
			}
			return app.Errorf(app.ECONFLICT, "考评状态已被他人改变，请刷新页面")
		}
		return tx.audit(ctx, audit.Record{Action: "round.status", ObjectType: "round", ObjectID: id.String(), Detail: fmt.Sprintf("%s → %s", from.Label(), to.Label())})
	})
}

const roundColumns = `id, org_id, scheme_id, title, period, status, grading, timeline, revision, created_by, created_at, published_at`

func scanRound(sc interface{ Scan(...any) error }) (*assess.Round, error) {
	r := &assess.Round{}
	var grading, timeline string
	var created, published int64
	if err := sc.Scan(&r.ID, &r.OrgID, &r.SchemeID, &r.Title, &r.Period, &r.Status, &grading, &timeline, &r.Revision, &r.CreatedBy, &created, &published); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(timeline), &r.Timeline); err != nil {
		return nil, fmt.Errorf("round %s timeline: %w", r.ID, err)
	}
	r.CreatedAt, r.PublishedAt = fromMS(created), fromMS(published)
	if err := json.Unmarshal([]byte(grading), &r.Grading); err != nil {
		return nil, fmt.Errorf("round %s grading: %w", r.ID, err)
	}
	return r, nil
}

func (t *Tx) findRound(ctx context.Context, id app.ID) (*assess.Round, error) {
	r, err := scanRound(t.queryRow(ctx, `SELECT `+roundColumns+` FROM rounds WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err, "考评不存在")
	}
	rows, err := t.query(ctx, `SELECT id, kind, name, weight, min_raters, combine, public_rule, opens_at, closes_at, public_key, vote_mode, population, burst_votes, burst_seconds FROM round_stages WHERE round_id = ? ORDER BY position`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		st := &assess.RoundStage{}
		var opens, closes int64
		if err := rows.Scan(&st.ID, &st.Kind, &st.Name, &st.Weight, &st.MinRaters, &st.Combine, &st.Rule, &opens, &closes,
			&st.Public.Key, &st.Public.Mode, &st.Public.Population, &st.Public.BurstVotes, &st.Public.BurstSeconds); err != nil {
			return nil, err
		}
		st.OpensAt, st.ClosesAt = fromMS(opens), fromMS(closes)
		r.Stages = append(r.Stages, st)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	srows, err := t.query(ctx, `SELECT s.org_id, o.name, o.path FROM round_subjects s JOIN orgs o ON o.id = s.org_id WHERE s.round_id = ? ORDER BY s.position`, id)
	if err != nil {
		return nil, err
	}
	defer srows.Close()
	for srows.Next() {
		var s assess.Subject
		if err := srows.Scan(&s.OrgID, &s.Name, &s.Path); err != nil {
			return nil, err
		}
		r.Subjects = append(r.Subjects, s)
	}
	return r, srows.Err()
}

// FindRoundByID returns a round with its stages and subjects.
func (db *DB) FindRoundByID(ctx context.Context, id app.ID) (*assess.Round, error) {
	return db.reader().findRound(ctx, id)
}

func (db *DB) findRoundList(ctx context.Context, q string, args ...any) ([]*assess.Round, error) {
	rows, err := db.reader().query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*assess.Round
	for rows.Next() {
		r, err := scanRound(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FindRounds lists a subtree's rounds, newest first.
func (db *DB) FindRounds(ctx context.Context, orgPath string) ([]*assess.Round, error) {
	return db.findRoundList(ctx, `SELECT `+prefixedCols("r.", roundColumns)+` FROM rounds r JOIN orgs o ON o.id = r.org_id
		WHERE o.path LIKE ? ESCAPE '\' ORDER BY r.created_at DESC, r.id DESC`, prefixPattern(orgPath))
}

// FindRoundsOfSubject lists the published rounds that score org.
func (db *DB) FindRoundsOfSubject(ctx context.Context, orgID app.ID) ([]*assess.Round, error) {
	return db.findRoundList(ctx, `SELECT `+prefixedCols("r.", roundColumns)+` FROM rounds r JOIN round_subjects s ON s.round_id = r.id
		WHERE s.org_id = ? AND r.status = ? ORDER BY r.published_at DESC, r.id DESC`, orgID, assess.RoundPublished)
}

// FindStageByKey finds a public-rating stage by its public key.
func (db *DB) FindStageByKey(ctx context.Context, key string) (*assess.Round, *assess.RoundStage, error) {
	if key == "" {
		return nil, nil, app.Errorf(app.ENOTFOUND, "评议不存在")
	}
	tx := db.reader()
	var roundID, stageID app.ID
	err := tx.queryRow(ctx, `SELECT round_id, id FROM round_stages WHERE public_key = ? AND kind = ?`, key, assess.StagePublic).Scan(&roundID, &stageID)
	if err != nil {
		return nil, nil, notFound(err, "评议不存在或链接有误")
	}
	r, err := tx.findRound(ctx, roundID)
	if err != nil {
		return nil, nil, err
	}
	return r, r.Stage(stageID), nil
}

// SetAssignments replaces a stage's raters.
func (db *DB) SetAssignments(ctx context.Context, stageID app.ID, as []assess.Assignment) error {
	return db.update(ctx, func(tx *Tx) error {
		var roundID app.ID
		if err := tx.queryRow(ctx, `SELECT round_id FROM round_stages WHERE id = ?`, stageID).Scan(&roundID); err != nil {
			return notFound(err, "考评环节不存在")
		}
		r, err := tx.findRound(ctx, roundID)
		if err != nil {
			return err
		}
		if r.Status != assess.RoundDraft && r.Status != assess.RoundOpen {
			return app.Errorf(app.ECONFLICT, "考评已锁定，不能再调整评分人")
		}
		st := r.Stage(stageID)
		if st.Kind == assess.StagePublic {
			return app.Invalid("stage", "社会评议由公众投票，不指派评分人")
		}
		if _, err := tx.exec(ctx, `DELETE FROM stage_raters WHERE stage_id = ? AND NOT EXISTS (SELECT 1 FROM sheets s WHERE s.stage_id = stage_raters.stage_id AND s.rater_id = stage_raters.rater_id AND s.subject_id = stage_raters.subject_id)`, stageID); err != nil {
			return err
		}
		seen := make(map[[2]app.ID]bool, len(as))
		for _, a := range as {
			if _, ok := r.Subject(a.SubjectID); !ok {
				return app.Invalid("subjects", "评分对象不在本轮考评中")
			}
			k := [2]app.ID{a.RaterID, a.SubjectID}
			if seen[k] {
				continue
			}
			seen[k] = true
			if _, err := tx.findUser(ctx, "id = ?", a.RaterID, "评分人不存在"); err != nil {
				return app.Invalid("raters", "评分人不存在")
			}
			if _, err := tx.exec(ctx, `INSERT INTO stage_raters (stage_id, rater_id, subject_id, round_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, stageID, a.RaterID, a.SubjectID, roundID); err != nil {
				return fmt.Errorf("insert assignment: %w", err)
			}
		}
		return tx.audit(ctx, audit.Record{Action: "round.assign", ObjectType: "round_stage", ObjectID: stageID.String(),
			Detail: fmt.Sprintf("%s：%s %d 项指派", r.Title, st.Kind.Label(), len(seen))})
	})
}

// FindAssignments returns a round's assignments.
func (db *DB) FindAssignments(ctx context.Context, roundID app.ID) ([]assess.Assignment, error) {
	rows, err := db.reader().query(ctx, `SELECT stage_id, rater_id, subject_id FROM stage_raters WHERE round_id = ? ORDER BY stage_id, rater_id, subject_id`, roundID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []assess.Assignment
	for rows.Next() {
		var a assess.Assignment
		if err := rows.Scan(&a.StageID, &a.RaterID, &a.SubjectID); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// FindRaterTasks lists a rater's subjects in rounds not yet published.
func (db *DB) FindRaterTasks(ctx context.Context, raterID app.ID) ([]assess.RaterTask, error) {
	rows, err := db.reader().query(ctx, `SELECT r.id, r.title, r.status, st.id, st.kind, st.name, st.closes_at, o.id, o.name, o.path, COALESCE(sh.status, '')
		FROM stage_raters a JOIN rounds r ON r.id = a.round_id JOIN round_stages st ON st.id = a.stage_id JOIN orgs o ON o.id = a.subject_id
		JOIN round_subjects rs ON rs.round_id = a.round_id AND rs.org_id = a.subject_id
		LEFT JOIN sheets sh ON sh.stage_id = a.stage_id AND sh.subject_id = a.subject_id AND sh.rater_id = a.rater_id
		WHERE a.rater_id = ? AND r.status IN (?, ?) ORDER BY r.created_at DESC, st.position, rs.position`, raterID, assess.RoundOpen, assess.RoundLocked)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []assess.RaterTask
	for rows.Next() {
		var t assess.RaterTask
		var closes int64
		if err := rows.Scan(&t.RoundID, &t.RoundTitle, &t.Status, &t.StageID, &t.StageKind, &t.StageName, &closes, &t.Subject.OrgID, &t.Subject.Name, &t.Subject.Path, &t.Sheet); err != nil {
			return nil, err
		}
		t.ClosesAt = fromMS(closes)
		out = append(out, t)
	}
	return out, rows.Err()
}

// sheetJSON is a sheet's stored inputs.
type sheetJSON struct {
	Values map[string]inputJSON `json:"values"`
	NA     []string             `json:"na,omitempty"`
	Notes  map[string]string    `json:"notes,omitempty"`
}

type inputJSON struct {
	Points float64 `json:"p,omitempty"`
	Count  int     `json:"c,omitempty"`
	Yes    bool    `json:"y,omitempty"`
	Tier   string  `json:"t,omitempty"`
	Failed bool    `json:"f,omitempty"`
}

func encodeInputs(sh *assess.StoredSheet) (string, error) {
	j := sheetJSON{Values: make(map[string]inputJSON, len(sh.Sheet.Values)), Notes: sh.Notes}
	for code, in := range sh.Sheet.Values {
		j.Values[code] = inputJSON{in.Points, in.Count, in.Yes, in.Tier, in.Failed}
	}
	for code, na := range sh.Sheet.NotApplicable {
		if na {
			j.NA = append(j.NA, code)
		}
	}
	b, err := json.Marshal(j)
	return string(b), err
}

func decodeInputs(s string, sh *assess.StoredSheet) error {
	var j sheetJSON
	if err := json.Unmarshal([]byte(s), &j); err != nil {
		return err
	}
	sh.Sheet = assess.Sheet{Values: make(map[string]assess.Input, len(j.Values)), NotApplicable: make(map[string]bool, len(j.NA))}
	for code, in := range j.Values {
		sh.Sheet.Values[code] = assess.Input{Points: in.Points, Count: in.Count, Yes: in.Yes, Tier: in.Tier, Failed: in.Failed}
	}
	for _, code := range j.NA {
		sh.Sheet.NotApplicable[code] = true
	}
	sh.Notes = j.Notes
	return nil
}

// checkRater makes sure the sheet's rater is assigned and the stage takes
// submissions now, and returns the existing sheet's id and status.
func (t *Tx) checkRater(ctx context.Context, sh *assess.StoredSheet) (app.ID, assess.SheetStatus, error) {
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM stage_raters WHERE stage_id = ? AND rater_id = ? AND subject_id = ?`, sh.StageID, sh.RaterID, sh.SubjectID).Scan(&n); err != nil {
		return 0, "", err
	}
	if n == 0 {
		return 0, "", app.Errorf(app.EFORBIDDEN, "您不是这个对象在这一环节的评分人")
	}
	var roundID app.ID
	if err := t.queryRow(ctx, `SELECT round_id FROM round_stages WHERE id = ?`, sh.StageID).Scan(&roundID); err != nil {
		return 0, "", notFound(err, "考评环节不存在")
	}
	r, err := t.findRound(ctx, roundID)
	if err != nil {
		return 0, "", err
	}
	if !r.Stage(sh.StageID).OpenAt(r, t.now) {
		return 0, "", app.Errorf(app.ECONFLICT, "这一环节现在不在评分时间内，评分表不能再修改")
	}
	sh.RoundID = roundID
	var id app.ID
	var status assess.SheetStatus
	err = t.queryRow(ctx, `SELECT id, status FROM sheets WHERE stage_id = ? AND subject_id = ? AND rater_id = ?`, sh.StageID, sh.SubjectID, sh.RaterID).Scan(&id, &status)
	if err != nil && err != sql.ErrNoRows {
		return 0, "", err
	}
	if status == assess.SheetSubmitted {
		return 0, "", app.Errorf(app.ECONFLICT, "评分表已提交，不能再修改；如需更改请联系普法办退回")
	}
	return id, status, nil
}

// upsertSheet writes a sheet's inputs with a status.
func (t *Tx) upsertSheet(ctx context.Context, sh *assess.StoredSheet, id app.ID, status assess.SheetStatus, result string, total int64) error {
	inputs, err := encodeInputs(sh)
	if err != nil {
		return err
	}
	submitted := int64(0)
	if status == assess.SheetSubmitted {
		submitted = ms(t.now)
	}
	if id == 0 {
		sh.ID = t.db.NewID()
		_, err = t.exec(ctx, `INSERT INTO sheets (id, round_id, stage_id, subject_id, rater_id, status, inputs, note, result, total, updated_at, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			sh.ID, sh.RoundID, sh.StageID, sh.SubjectID, sh.RaterID, status, inputs, sh.Note, result, total, ms(t.now), submitted)
	} else {
		sh.ID = id
		_, err = t.exec(ctx, `UPDATE sheets SET status = ?, inputs = ?, note = ?, result = ?, total = ?, updated_at = ?, submitted_at = ? WHERE id = ?`,
			status, inputs, sh.Note, result, total, ms(t.now), submitted, id)
	}
	sh.Status, sh.UpdatedAt = status, t.now
	if status == assess.SheetSubmitted {
		sh.SubmittedAt = t.now
	}
	return err
}

// SaveSheet stores a draft.
func (db *DB) SaveSheet(ctx context.Context, sh *assess.StoredSheet) error {
	return db.update(ctx, func(tx *Tx) error {
		id, status, err := tx.checkRater(ctx, sh)
		if err != nil {
			return err
		}
		if status == assess.SheetReturned {
			// A returned sheet stays marked returned until resubmitted, so
			// the office's progress view keeps showing it.
			return tx.upsertSheet(ctx, sh, id, assess.SheetReturned, "", 0)
		}
		return tx.upsertSheet(ctx, sh, id, assess.SheetDraft, "", 0)
	})
}

// SubmitSheet stores a submitted sheet and its scores.
func (db *DB) SubmitSheet(ctx context.Context, sh *assess.StoredSheet, res assess.Result, codes []string) error {
	result, err := json.Marshal(res)
	if err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		id, _, err := tx.checkRater(ctx, sh)
		if err != nil {
			return err
		}
		if err := tx.upsertSheet(ctx, sh, id, assess.SheetSubmitted, string(result), assess.ToMicro(res.Total)); err != nil {
			return err
		}
		r := res
		sh.Result = &r
		for i, code := range codes {
			v, ok := res.Scores[code]
			if !ok {
				continue
			}
			if _, err := tx.exec(ctx, `INSERT INTO sheet_scores (round_id, subject_id, stage_id, ind, sheet_id, score) VALUES (?, ?, ?, ?, ?, ?)`,
				sh.RoundID, sh.SubjectID, sh.StageID, i, sh.ID, assess.ToMicro(v)); err != nil {
				return fmt.Errorf("insert score: %w", err)
			}
		}
		for _, code := range res.Vetoed {
			if _, err := tx.exec(ctx, `INSERT INTO sheet_vetoes (round_id, subject_id, stage_id, code, sheet_id) VALUES (?, ?, ?, ?, ?)`,
				sh.RoundID, sh.SubjectID, sh.StageID, code, sh.ID); err != nil {
				return fmt.Errorf("insert veto: %w", err)
			}
		}
		return tx.audit(ctx, audit.Record{Action: "sheet.submit", ObjectType: "sheet", ObjectID: sh.ID.String(),
			Detail: fmt.Sprintf("总分 %.2f", res.Total)})
	})
}

// ReturnSheet sends a submitted sheet back.
func (db *DB) ReturnSheet(ctx context.Context, sheetID app.ID, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return app.Invalid("reason", "请写明退回理由")
	}
	return db.update(ctx, func(tx *Tx) error {
		sh, err := tx.findSheet(ctx, `id = ?`, sheetID)
		if err != nil {
			return err
		}
		r, err := tx.findRound(ctx, sh.RoundID)
		if err != nil {
			return err
		}
		if r.Status != assess.RoundOpen {
			return app.Errorf(app.ECONFLICT, "只有评分中的考评可以退回评分表")
		}
		if sh.Status != assess.SheetSubmitted {
			return app.Errorf(app.ECONFLICT, "评分表尚未提交，无需退回")
		}
		if _, err := tx.exec(ctx, `UPDATE sheets SET status = ?, return_note = ?, result = '', total = 0, submitted_at = 0, updated_at = ? WHERE id = ?`, assess.SheetReturned, reason, ms(tx.now), sheetID); err != nil {
			return err
		}
		for _, table := range []string{"sheet_scores", "sheet_vetoes"} {
			if _, err := tx.exec(ctx, `DELETE FROM `+table+` WHERE round_id = ? AND subject_id = ? AND stage_id = ? AND sheet_id = ?`, sh.RoundID, sh.SubjectID, sh.StageID, sheetID); err != nil {
				return err
			}
		}
		return tx.audit(ctx, audit.Record{Action: "sheet.return", ObjectType: "sheet", ObjectID: sheetID.String(), Detail: reason})
	})
}

const sheetColumns = `id, round_id, stage_id, subject_id, rater_id, status, inputs, note, result, return_note, updated_at, submitted_at`

func scanSheet(sc interface{ Scan(...any) error }) (*assess.StoredSheet, error) {
	sh := &assess.StoredSheet{}
	var inputs, result string
	var updated, submitted int64
	if err := sc.Scan(&sh.ID, &sh.RoundID, &sh.StageID, &sh.SubjectID, &sh.RaterID, &sh.Status, &inputs, &sh.Note, &result, &sh.ReturnNote, &updated, &submitted); err != nil {
		return nil, err
	}
	sh.UpdatedAt, sh.SubmittedAt = fromMS(updated), fromMS(submitted)
	if err := decodeInputs(inputs, sh); err != nil {
		return nil, fmt.Errorf("sheet %s: %w", sh.ID, err)
	}
	if result != "" {
		sh.Result = &assess.Result{}
		if err := json.Unmarshal([]byte(result), sh.Result); err != nil {
			return nil, fmt.Errorf("sheet %s result: %w", sh.ID, err)
		}
	}
	return sh, nil
}

func (t *Tx) findSheet(ctx context.Context, where string, args ...any) (*assess.StoredSheet, error) {
	sh, err := scanSheet(t.queryRow(ctx, `SELECT `+sheetColumns+` FROM sheets WHERE `+where, args...))
	return sh, notFound(err, "评分表不存在")
}

// FindSheet returns one rater's sheet for a subject.
func (db *DB) FindSheet(ctx context.Context, stageID, subjectID, raterID app.ID) (*assess.StoredSheet, error) {
	return db.reader().findSheet(ctx, `stage_id = ? AND subject_id = ? AND rater_id = ?`, stageID, subjectID, raterID)
}

// FindSheetByID returns a sheet.
func (db *DB) FindSheetByID(ctx context.Context, id app.ID) (*assess.StoredSheet, error) {
	return db.reader().findSheet(ctx, `id = ?`, id)
}

func (db *DB) eachSheet(ctx context.Context, fn func(*assess.StoredSheet) error, where string, args ...any) error {
	rows, err := db.reader().query(ctx, `SELECT `+sheetColumns+` FROM sheets WHERE `+where, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		sh, err := scanSheet(rows)
		if err != nil {
			return err
		}
		if err := fn(sh); err != nil {
			return err
		}
	}
	return rows.Err()
}

// FindSubjectSheets returns a subject's sheets in a round.
func (db *DB) FindSubjectSheets(ctx context.Context, roundID, subjectID app.ID) ([]*assess.StoredSheet, error) {
	var out []*assess.StoredSheet
	err := db.eachSheet(ctx, func(sh *assess.StoredSheet) error { out = append(out, sh); return nil },
		`round_id = ? AND subject_id = ? ORDER BY stage_id, submitted_at, id`, roundID, subjectID)
	return out, err
}

// RoundSheets streams a round's sheets in subject order.
func (db *DB) RoundSheets(ctx context.Context, roundID app.ID, fn func(*assess.StoredSheet) error) error {
	return db.eachSheet(ctx, fn, `round_id = ? ORDER BY subject_id, stage_id, rater_id`, roundID)
}

// FindProgress counts assigned and submitted sheets per rater, subject and
// stage, and votes per public stage.
func (db *DB) FindProgress(ctx context.Context, roundID app.ID) (*assess.RoundProgress, error) {
	p := &assess.RoundProgress{ByRater: map[app.ID]*assess.Progress{}, BySubject: map[app.ID]*assess.Progress{}, ByStage: map[app.ID]*assess.Progress{}}
	get := func(m map[app.ID]*assess.Progress, id app.ID) *assess.Progress {
		if m[id] == nil {
			m[id] = &assess.Progress{}
		}
		return m[id]
	}
	rows, err := db.reader().query(ctx, `SELECT a.stage_id, a.rater_id, a.subject_id, COALESCE(s.status, '') FROM stage_raters a
		LEFT JOIN sheets s ON s.stage_id = a.stage_id AND s.subject_id = a.subject_id AND s.rater_id = a.rater_id WHERE a.round_id = ?`, roundID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var stage, rater, subject app.ID
		var status assess.SheetStatus
		if err := rows.Scan(&stage, &rater, &subject, &status); err != nil {
			return nil, err
		}
		for _, pr := range []*assess.Progress{get(p.ByRater, rater), get(p.BySubject, subject), get(p.ByStage, stage)} {
			pr.Assigned++
			switch status {
			case assess.SheetSubmitted:
				pr.Submitted++
			case assess.SheetDraft, assess.SheetReturned:
				pr.Drafts++
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	vrows, err := db.reader().query(ctx, `SELECT stage_id, COUNT(*) FROM public_votes WHERE round_id = ? AND excluded = FALSE GROUP BY stage_id`, roundID)
	if err != nil {
		return nil, err
	}
	defer vrows.Close()
	for vrows.Next() {
		var stage app.ID
		var n int
		if err := vrows.Scan(&stage, &n); err != nil {
			return nil, err
		}
		get(p.ByStage, stage).Submitted = n
	}
	return p, vrows.Err()
}

// Aggregate streams a round's figures per subject. The per-indicator sums
// come from one GROUP BY over sheet_scores in key order, so the database
// streams them and only one subject's sums are in memory at a time; the
// sheet totals, veto marks and vote counts are small and read first.
func (db *DB) Aggregate(ctx context.Context, roundID app.ID, codes []string, fn func(assess.SubjectTallies) error) error {
	tx := db.reader()
	r, err := tx.findRound(ctx, roundID)
	if err != nil {
		return err
	}
	type key struct{ subject, stage app.ID }
	totals := make(map[key]*assess.Tally)
	rows, err := tx.query(ctx, `SELECT subject_id, stage_id, COUNT(*), SUM(total), MIN(total), MAX(total) FROM sheets
		WHERE round_id = ? AND status = ? GROUP BY subject_id, stage_id`, roundID, assess.SheetSubmitted)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k key
		t := &assess.Tally{}
		if err := rows.Scan(&k.subject, &k.stage, &t.Raters, &t.Sum, &t.Min, &t.Max); err != nil {
			rows.Close()
			return err
		}
		totals[k] = t
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.query(ctx, `SELECT subject_id, stage_id, code, COUNT(*) FROM sheet_vetoes WHERE round_id = ? GROUP BY subject_id, stage_id, code`, roundID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k key
		var code string
		var n int
		if err := rows.Scan(&k.subject, &k.stage, &code, &n); err != nil {
			rows.Close()
			return err
		}
		if t := totals[k]; t != nil {
			if t.VetoMarks == nil {
				t.VetoMarks = make(map[string]int)
			}
			t.VetoMarks[code] = n
		}
	}
	rows.Close()
	ratings := make(map[key]assess.Ratings)
	rows, err = tx.query(ctx, `SELECT subject_id, stage_id, COUNT(*), SUM(CASE WHEN rating >= 4 THEN 1 ELSE 0 END), SUM(rating) FROM public_votes
		WHERE round_id = ? AND excluded = FALSE GROUP BY subject_id, stage_id`, roundID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k key
		var c assess.Ratings
		if err := rows.Scan(&k.subject, &k.stage, &c.N, &c.Satisfied, &c.Sum); err != nil {
			rows.Close()
			return err
		}
		ratings[k] = c
	}
	rows.Close()

	// Subjects are visited in id order, the order the scores stream in.
	order := make([]app.ID, 0, len(r.Subjects))
	for _, s := range r.Subjects {
		order = append(order, s.OrgID)
	}
	sortIDs(order)
	emit := func(subject app.ID) error {
		t := assess.SubjectTallies{SubjectID: subject, Sheets: map[app.ID]*assess.Tally{}, Ratings: map[app.ID]assess.Ratings{}}
		for _, st := range r.Stages {
			k := key{subject, st.ID}
			if tl := totals[k]; tl != nil {
				t.Sheets[st.ID] = tl
			}
			if c, ok := ratings[k]; ok {
				t.Ratings[st.ID] = c
			}
		}
		if err := fn(t); err != nil {
			return err
		}
		// Done with this subject: its sums leave memory with it.
		for _, st := range r.Stages {
			delete(totals, key{subject, st.ID})
		}
		return nil
	}
	rows, err = tx.query(ctx, `SELECT subject_id, stage_id, ind, SUM(score), COUNT(*) FROM sheet_scores WHERE round_id = ?
		GROUP BY subject_id, stage_id, ind ORDER BY subject_id, stage_id, ind`, roundID)
	if err != nil {
		return err
	}
	defer rows.Close()
	next := 0
	for rows.Next() {
		var subject, stage app.ID
		var ind int
		var acc assess.Acc
		if err := rows.Scan(&subject, &stage, &ind, &acc.Sum, &acc.N); err != nil {
			return err
		}
		for next < len(order) && order[next] < subject {
			if err := emit(order[next]); err != nil {
				return err
			}
			next++
		}
		t := totals[key{subject, stage}]
		if t == nil || ind < 0 || ind >= len(codes) {
			continue // scores of a subject or stage no longer in the round
		}
		if t.Indicators == nil {
			t.Indicators = make(map[string]assess.Acc, len(codes))
		}
		t.Indicators[codes[ind]] = acc
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for ; next < len(order); next++ {
		if err := emit(order[next]); err != nil {
			return err
		}
	}
	return nil
}

// PublishResults stores the next revision of a round's results.
func (db *DB) PublishResults(ctx context.Context, roundID app.ID, results []assess.SubjectResult, rev assess.Revision, applied []app.ID) error {
	rev.Reason = strings.TrimSpace(rev.Reason)
	return db.update(ctx, func(tx *Tx) error {
		r, err := tx.findRound(ctx, roundID)
		if err != nil {
			return err
		}
		switch {
		case r.Revision == 0 && r.Status != assess.RoundLocked:
			return app.Errorf(app.ECONFLICT, "请先锁定评分，核对结果后再发布")
		case r.Revision > 0 && len(applied) == 0:
			return app.Errorf(app.ECONFLICT, "结果已发布，不能再改；如需更正，请提交更正并由另一人审核")
		case r.Revision > 0 && rev.EnteredBy == rev.ApprovedBy:
			return app.Errorf(app.EFORBIDDEN, "更正的录入人和审核人不能是同一人")
		case r.Revision > 0 && rev.Reason == "":
			return app.Invalid("reason", "请写明更正理由")
		}
		if len(results) != len(r.Subjects) {
			return app.Invalid("results", "结果与考评对象数量不符")
		}
		rev.Revision, rev.CreatedAt = r.Revision+1, tx.now
		if rev.Reason == "" {
			rev.Reason = "首次发布"
		}
		if _, err := tx.exec(ctx, `INSERT INTO round_revisions (round_id, revision, reason, entered_by, approved_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			roundID, rev.Revision, rev.Reason, rev.EnteredBy, rev.ApprovedBy, ms(tx.now)); err != nil {
			return fmt.Errorf("insert revision: %w", err)
		}
		for _, res := range results {
			detail, err := json.Marshal(res)
			if err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `INSERT INTO round_results (round_id, revision, subject_id, total, grade, rank, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				roundID, rev.Revision, res.SubjectID, assess.ToMicro(res.Total), res.Grade, res.Rank, string(detail)); err != nil {
				return fmt.Errorf("insert result: %w", err)
			}
		}
		for _, id := range applied {
			res, err := tx.exec(ctx, `UPDATE round_corrections SET status = ?, decided_by = ?, decided_at = ?, revision = ? WHERE id = ? AND round_id = ? AND status = ? AND entered_by <> ?`,
				assess.CorrectionApproved, rev.ApprovedBy, ms(tx.now), rev.Revision, id, roundID, assess.CorrectionPending, rev.ApprovedBy)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return app.Errorf(app.ECONFLICT, "更正已被处理，或由您本人录入（录入人不能审核自己的更正）")
			}
		}
		if _, err := tx.exec(ctx, `UPDATE rounds SET status = ?, revision = ?, published_at = ?, updated_at = ? WHERE id = ?`,
			assess.RoundPublished, rev.Revision, ms(tx.now), ms(tx.now), roundID); err != nil {
			return err
		}
		return tx.audit(ctx, audit.Record{Action: "round.publish", ObjectType: "round", ObjectID: roundID.String(),
			Detail: fmt.Sprintf("%s 第 %d 版结果：%s", r.Title, rev.Revision, rev.Reason)})
	})
}

// FindResults returns a revision's results, best first.
func (db *DB) FindResults(ctx context.Context, roundID app.ID, revision int) ([]assess.SubjectResult, error) {
	tx := db.reader()
	if revision == 0 {
		if err := tx.queryRow(ctx, `SELECT revision FROM rounds WHERE id = ?`, roundID).Scan(&revision); err != nil {
			return nil, notFound(err, "考评不存在")
		}
	}
	rows, err := tx.query(ctx, `SELECT detail FROM round_results WHERE round_id = ? AND revision = ? ORDER BY CASE WHEN rank = 0 THEN 1 ELSE 0 END, rank, total DESC, subject_id`, roundID, revision)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []assess.SubjectResult
	for rows.Next() {
		var detail string
		if err := rows.Scan(&detail); err != nil {
			return nil, err
		}
		var res assess.SubjectResult
		if err := json.Unmarshal([]byte(detail), &res); err != nil {
			return nil, fmt.Errorf("round %s result: %w", roundID, err)
		}
		out = append(out, res)
	}
	return out, rows.Err()
}

// FindRevisions lists a round's published revisions, latest first.
func (db *DB) FindRevisions(ctx context.Context, roundID app.ID) ([]assess.Revision, error) {
	rows, err := db.reader().query(ctx, `SELECT revision, reason, entered_by, approved_by, created_at FROM round_revisions WHERE round_id = ? ORDER BY revision DESC`, roundID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []assess.Revision
	for rows.Next() {
		var v assess.Revision
		var at int64
		if err := rows.Scan(&v.Revision, &v.Reason, &v.EnteredBy, &v.ApprovedBy, &at); err != nil {
			return nil, err
		}
		v.CreatedAt = fromMS(at)
		out = append(out, v)
	}
	return out, rows.Err()
}

// ProposeCorrection records a pending correction of a published total.
func (db *DB) ProposeCorrection(ctx context.Context, c *assess.StoredCorrection) error {
	c.Reason = strings.TrimSpace(c.Reason)
	if c.Reason == "" {
		return app.Invalid("reason", "请写明更正理由")
	}
	if c.Total < 0 || c.Total > 1000 {
		return app.Invalid("total", "更正后的总分无效")
	}
	return db.update(ctx, func(tx *Tx) error {
		r, err := tx.findRound(ctx, c.RoundID)
		if err != nil {
			return err
		}
		if r.Status != assess.RoundPublished {
			return app.Errorf(app.ECONFLICT, "结果发布后才能更正；发布前请直接退回评分表")
		}
		if _, ok := r.Subject(c.SubjectID); !ok {
			return app.Invalid("subject", "更正的对象不在本轮考评中")
		}
		c.ID, c.Status, c.EnteredAt = tx.db.NewID(), assess.CorrectionPending, tx.now
		if a := app.ActorFrom(ctx); a != nil {
			c.EnteredBy = a.UserID
		}
		if _, err := tx.exec(ctx, `INSERT INTO round_corrections (id, round_id, subject_id, total, reason, status, entered_by, entered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.RoundID, c.SubjectID, assess.ToMicro(c.Total), c.Reason, c.Status, c.EnteredBy, ms(tx.now)); err != nil {
			return err
		}
		return tx.audit(ctx, audit.Record{Action: "round.correction.propose", ObjectType: "round", ObjectID: c.RoundID.String(),
			Detail: fmt.Sprintf("对象 %s 总分改为 %.2f：%s", c.SubjectID, c.Total, c.Reason)})
	})
}

// RejectCorrection closes a pending correction.
func (db *DB) RejectCorrection(ctx context.Context, id app.ID) error {
	return db.update(ctx, func(tx *Tx) error {
		var by app.ID
		if a := app.ActorFrom(ctx); a != nil {
			by = a.UserID
		}
		res, err := tx.exec(ctx, `UPDATE round_corrections SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = ?`, assess.CorrectionRejected, by, ms(tx.now), id, assess.CorrectionPending)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return app.Errorf(app.ECONFLICT, "更正不存在或已处理")
		}
		return tx.audit(ctx, audit.Record{Action: "round.correction.reject", ObjectType: "round_correction", ObjectID: id.String()})
	})
}

// FindCorrections lists a round's corrections, newest first.
func (db *DB) FindCorrections(ctx context.Context, roundID app.ID) ([]*assess.StoredCorrection, error) {
	rows, err := db.reader().query(ctx, `SELECT id, round_id, subject_id, total, reason, status, entered_by, entered_at, decided_by, decided_at, revision FROM round_corrections WHERE round_id = ? ORDER BY entered_at DESC, id DESC`, roundID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*assess.StoredCorrection
	for rows.Next() {
		c := &assess.StoredCorrection{}
		var total, entered, decided int64
		if err := rows.Scan(&c.ID, &c.RoundID, &c.SubjectID, &total, &c.Reason, &c.Status, &c.EnteredBy, &entered, &c.DecidedBy, &decided, &c.Revision); err != nil {
			return nil, err
		}
		c.Total, c.EnteredAt, c.DecidedAt = assess.FromMicro(total), fromMS(entered), fromMS(decided)
		out = append(out, c)
	}
	return out, rows.Err()
}

// IssueTokens stores invitation tokens' hashes.
func (db *DB) IssueTokens(ctx context.Context, stageID app.ID, hashes, labels []string) error {
	return db.update(ctx, func(tx *Tx) error {
		for i, h := range hashes {
			label := ""
			if i < len(labels) {
				label = labels[i]
			}
			if _, err := tx.exec(ctx, `INSERT INTO vote_tokens (stage_id, token_hash, label, issued_at) VALUES (?, ?, ?, ?)`, stageID, h, label, ms(tx.now)); err != nil {
				return fmt.Errorf("insert token: %w", err)
			}
		}
		return tx.audit(ctx, audit.Record{Action: "vote.tokens", ObjectType: "round_stage", ObjectID: stageID.String(), Detail: fmt.Sprintf("发放邀请码 %d 个", len(hashes))})
	})
}

// UseToken reports whether a token is valid for the stage.
func (db *DB) UseToken(ctx context.Context, stageID app.ID, hash string) (bool, error) {
	var ok bool
	err := db.update(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE vote_tokens SET used_at = CASE WHEN used_at = 0 THEN ? ELSE used_at END WHERE stage_id = ? AND token_hash = ?`, ms(tx.now), stageID, hash)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		ok = n > 0
		return nil
	})
	return ok, err
}

// SaveVoteCode stores a phone verification code.
func (db *DB) SaveVoteCode(ctx context.Context, stageID app.ID, phoneKey, codeHash string, expires time.Time) error {
	return db.update(ctx, func(tx *Tx) error {
		var sent int64
		err := tx.queryRow(ctx, `SELECT sent_at FROM vote_codes WHERE stage_id = ? AND phone_key = ?`, stageID, phoneKey).Scan(&sent)
		switch {
		case err == sql.ErrNoRows:
			_, err = tx.exec(ctx, `INSERT INTO vote_codes (stage_id, phone_key, code_hash, sent_at, expires_at) VALUES (?, ?, ?, ?, ?)`, stageID, phoneKey, codeHash, ms(tx.now), ms(expires))
			return err
		case err != nil:
			return err
		case tx.now.Sub(fromMS(sent)) < time.Minute:
			return app.Errorf(app.ECONFLICT, "验证码已发送，请一分钟后再试")
		}
		_, err = tx.exec(ctx, `UPDATE vote_codes SET code_hash = ?, sent_at = ?, expires_at = ?, attempts = 0 WHERE stage_id = ? AND phone_key = ?`, codeHash, ms(tx.now), ms(expires), stageID, phoneKey)
		return err
	})
}

// CheckVoteCode checks a phone verification code.
func (db *DB) CheckVoteCode(ctx context.Context, stageID app.ID, phoneKey, codeHash string) (bool, error) {
	var ok bool
	err := db.update(ctx, func(tx *Tx) error {
		var stored string
		var expires int64
		var attempts int
		err := tx.queryRow(ctx, `SELECT code_hash, expires_at, attempts FROM vote_codes WHERE stage_id = ? AND phone_key = ?`, stageID, phoneKey).Scan(&stored, &expires, &attempts)
		if err == sql.ErrNoRows {
			return nil
		}
		if err != nil {
			return err
		}
		if attempts >= 5 || !tx.now.Before(fromMS(expires)) {
			return nil
		}
		if _, err := tx.exec(ctx, `UPDATE vote_codes SET attempts = attempts + 1 WHERE stage_id = ? AND phone_key = ?`, stageID, phoneKey); err != nil {
			return err
		}
		ok = stored == codeHash
		return nil
	})
	return ok, err
}

// CastVotes stores a voter's ratings, skipping subjects already rated.
func (db *DB) CastVotes(ctx context.Context, stageID app.ID, voter string, votes []assess.Vote) ([]app.ID, error) {
	var skipped []app.ID
	err := db.update(ctx, func(tx *Tx) error {
		skipped = skipped[:0]
		r, err := tx.publicStageRound(ctx, stageID)
		if err != nil {
			return err
		}
		roundID := r.ID
		if !r.Stage(stageID).OpenAt(r, tx.now) {
			return app.Errorf(app.ECONFLICT, "评议不在投票时间内")
		}
		for i := range votes {
			v := &votes[i]
			if err := checkVote(r, v); err != nil {
				return err
			}
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM public_votes WHERE stage_id = ? AND subject_id = ? AND voter = ?`, stageID, v.SubjectID, voter).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				skipped = append(skipped, v.SubjectID)
				continue
			}
			v.ID, v.StageID, v.CreatedAt = tx.db.NewID(), stageID, tx.now
			if _, err := tx.exec(ctx, `INSERT INTO public_votes (id, round_id, stage_id, subject_id, voter, rating, comment, client, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				v.ID, roundID, stageID, v.SubjectID, voter, v.Rating, v.Comment, v.Client, ms(tx.now)); err != nil {
				return fmt.Errorf("insert vote: %w", err)
			}
		}
		return nil
	})
	return skipped, err
}

// FindVotes returns a stage's votes for a subject in time order.
func (db *DB) FindVotes(ctx context.Context, stageID, subjectID app.ID) ([]assess.Vote, error) {
	rows, err := db.reader().query(ctx, `SELECT id, stage_id, subject_id, rating, comment, client, excluded, created_at FROM public_votes WHERE stage_id = ? AND subject_id = ? ORDER BY created_at, id`, stageID, subjectID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []assess.Vote
	for rows.Next() {
		var v assess.Vote
		var at int64
		if err := rows.Scan(&v.ID, &v.StageID, &v.SubjectID, &v.Rating, &v.Comment, &v.Client, &v.Excluded, &at); err != nil {
			return nil, err
		}
		v.CreatedAt = fromMS(at)
		out = append(out, v)
	}
	return out, rows.Err()
}

// VoteCounts counts a stage's votes per subject: counted, excluded.
func (db *DB) VoteCounts(ctx context.Context, stageID app.ID) (map[app.ID][2]int, error) {
	rows, err := db.reader().query(ctx, `SELECT subject_id, excluded, COUNT(*) FROM public_votes WHERE stage_id = ? GROUP BY subject_id, excluded`, stageID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[app.ID][2]int)
	for rows.Next() {
		var subject app.ID
		var excluded bool
		var n int
		if err := rows.Scan(&subject, &excluded, &n); err != nil {
			return nil, err
		}
		c := out[subject]
		if excluded {
			c[1] = n
		} else {
			c[0] = n
		}
		out[subject] = c
	}
	return out, rows.Err()
}

// ExcludeVotes marks votes excluded from the count, or counts them again.
func (db *DB) ExcludeVotes(ctx context.Context, stageID app.ID, ids []app.ID, excluded bool) error {
	return db.update(ctx, func(tx *Tx) error {
		var status assess.RoundStatus
		if err := tx.queryRow(ctx, `SELECT r.status FROM rounds r JOIN round_stages s ON s.round_id = r.id WHERE s.id = ?`, stageID).Scan(&status); err != nil {
			return notFound(err, "评议不存在")
		}
		if status == assess.RoundPublished {
			return app.Errorf(app.ECONFLICT, "结果已发布，不能再调整计票")
		}
		for _, id := range ids {
			if _, err := tx.exec(ctx, `UPDATE public_votes SET excluded = ? WHERE id = ? AND stage_id = ?`, excluded, id, stageID); err != nil {
				return err
			}
		}
		action := "vote.exclude"
		if !excluded {
			action = "vote.include"
		}
		return tx.audit(ctx, audit.Record{Action: action, ObjectType: "round_stage", ObjectID: stageID.String(), Detail: fmt.Sprintf("%d 票", len(ids))})
	})
}

// IsAssigned reports whether a rater is assigned to a subject in a stage.
func (db *DB) IsAssigned(ctx context.Context, stageID, raterID, subjectID app.ID) (bool, error) {
	var n int
	err := db.reader().queryRow(ctx, `SELECT COUNT(*) FROM stage_raters WHERE stage_id = ? AND rater_id = ? AND subject_id = ?`, stageID, raterID, subjectID).Scan(&n)
	return n > 0, err
}

// LoadVotes records votes gathered elsewhere (paper questionnaires keyed
// in after a 座谈会, and the demo's generated sample), each with its own
// voter key and time. It checks what CastVotes checks except the stage's
// dates, and skips a voter's second vote for a subject.
func (db *DB) LoadVotes(ctx context.Context, stageID app.ID, voters []string, votes []assess.Vote) error {
	if len(voters) != len(votes) {
		return app.Invalid("votes", "投票与投票人数量不符")
	}
	return db.update(ctx, func(tx *Tx) error {
		r, err := tx.publicStageRound(ctx, stageID)
		if err != nil {
			return err
		}
		roundID := r.ID
		if r.Status == assess.RoundPublished {
			return app.Errorf(app.ECONFLICT, "结果已发布，不能再录入投票")
		}
		for i := range votes {
			v := &votes[i]
			if err := checkVote(r, v); err != nil {
				return err
			}
			if v.CreatedAt.IsZero() {
				v.CreatedAt = tx.now
			}
			v.ID, v.StageID = tx.db.NewID(), stageID
			if _, err := tx.exec(ctx, `INSERT INTO public_votes (id, round_id, stage_id, subject_id, voter, rating, comment, client, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
				v.ID, roundID, stageID, v.SubjectID, voters[i], v.Rating, v.Comment, v.Client, ms(v.CreatedAt)); err != nil {
				return fmt.Errorf("insert vote: %w", err)
			}
		}
		return tx.audit(ctx, audit.Record{Action: "vote.load", ObjectType: "round_stage", ObjectID: stageID.String(), Detail: fmt.Sprintf("录入 %d 票", len(votes))})
	})
}

// publicStageRound returns the round of a public-rating stage.
func (t *Tx) publicStageRound(ctx context.Context, stageID app.ID) (*assess.Round, error) {
	var roundID app.ID
	if err := t.queryRow(ctx, `SELECT round_id FROM round_stages WHERE id = ? AND kind = ?`, stageID, assess.StagePublic).Scan(&roundID); err != nil {
		return nil, notFound(err, "评议不存在")
	}
	return t.findRound(ctx, roundID)
}

// checkVote refuses a vote for a subject outside the round or a rating
// outside one to five stars.
func checkVote(r *assess.Round, v *assess.Vote) error {
	if _, ok := r.Subject(v.SubjectID); !ok {
		return app.Invalid("subject", "评议对象不在本次评议中")
	}
	if v.Rating < 1 || v.Rating > 5 {
		return app.Invalid("rating", "评分应为 1 到 5 星")
	}
	return nil
}

// OpenRating is a public-rating stage taking votes now.
type OpenRating struct {
	RoundTitle string
	Key        string
	ClosesAt   time.Time
}

// FindOpenRatings lists the public-rating stages anyone may vote in now:
// open rounds, within the stage's dates, by phone (invitation-only stages
// are reached by their links, not listed).
func (db *DB) FindOpenRatings(ctx context.Context, now time.Time) ([]OpenRating, error) {
	rows, err := db.reader().query(ctx, `SELECT r.title, s.public_key, s.closes_at FROM round_stages s JOIN rounds r ON r.id = s.round_id
		WHERE r.status = ? AND s.kind = ? AND s.vote_mode = ? AND (s.opens_at = 0 OR s.opens_at <= ?) AND (s.closes_at = 0 OR s.closes_at > ?)
		ORDER BY r.created_at DESC`, assess.RoundOpen, assess.StagePublic, assess.VoteByPhone, ms(now), ms(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OpenRating
	for rows.Next() {
		var o OpenRating
		var closes int64
		if err := rows.Scan(&o.RoundTitle, &o.Key, &closes); err != nil {
			return nil, err
		}
		o.ClosesAt = fromMS(closes)
		out = append(out, o)
	}
	return out, rows.Err()
}

// CircularText is what the office wrote for a round's circular.
type CircularText struct {
	Issuer, DocNumber, Title, Addressees string
	Body, After                          string // paragraphs separated by blank lines
	IssuedOn                             time.Time
	UpdatedAt                            time.Time
}

// SaveCircular stores a published round's circular text.
func (db *DB) SaveCircular(ctx context.Context, roundID app.ID, c *CircularText) error {
	return db.update(ctx, func(tx *Tx) error {
		r, err := tx.findRound(ctx, roundID)
		if err != nil {
			return err
		}
		if r.Status != assess.RoundPublished {
			return app.Errorf(app.ECONFLICT, "结果发布后才能印发通报")
		}
		c.UpdatedAt = tx.now
		if _, err := tx.exec(ctx, `INSERT INTO round_circulars (round_id, issuer, doc_number, title, addressees, body, after, issued_on, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (round_id) DO UPDATE SET issuer = excluded.issuer, doc_number = excluded.doc_number, title = excluded.title, addressees = excluded.addressees,
			body = excluded.body, after = excluded.after, issued_on = excluded.issued_on, updated_at = excluded.updated_at`,
			roundID, c.Issuer, c.DocNumber, c.Title, c.Addressees, c.Body, c.After, ms(c.IssuedOn), ms(tx.now)); err != nil {
			return err
		}
		return tx.audit(ctx, audit.Record{Action: "round.circular", ObjectType: "round", ObjectID: roundID.String(), Detail: c.Title})
	})
}

// FindCircular returns a round's circular text; ENOTFOUND before one is
// written.
func (db *DB) FindCircular(ctx context.Context, roundID app.ID) (*CircularText, error) {
	c := &CircularText{}
	var issued, updated int64
	err := db.reader().queryRow(ctx, `SELECT issuer, doc_number, title, addressees, body, after, issued_on, updated_at FROM round_circulars WHERE round_id = ?`, roundID).
		Scan(&c.Issuer, &c.DocNumber, &c.Title, &c.Addressees, &c.Body, &c.After, &issued, &updated)
	if err != nil {
		return nil, notFound(err, "还没有印发通报")
	}
	c.IssuedOn, c.UpdatedAt = fromMS(issued), fromMS(updated)
	return c, nil
}

// FindRoundsOfOrg lists the rounds not yet published in which an org is a
// subject, with their timelines (the unit's workbench).
func (db *DB) FindRoundsOfOrg(ctx context.Context, orgID app.ID) ([]*assess.Round, error) {
	return db.findRoundList(ctx, `SELECT `+prefixedCols("r.", roundColumns)+` FROM rounds r JOIN round_subjects s ON s.round_id = r.id
		WHERE s.org_id = ? AND r.status IN (?, ?) ORDER BY r.created_at DESC`, orgID, assess.RoundOpen, assess.RoundLocked)
}

// SaveReviewer puts a person on the panel roster with their kind.
func (db *DB) SaveReviewer(ctx context.Context, rv assess.Reviewer) error {
	if !slices.Contains(assess.ReviewerKinds, rv.Kind) {
		return app.Invalid("kind", "请选择评议员的类别")
	}
	if len([]rune(rv.Affiliation)) > 100 {
		return app.Invalid("affiliation", "工作单位不能超过 100 个字")
	}
	return db.update(ctx, func(tx *Tx) error {
		if _, err := tx.findUser(ctx, "id = ?", rv.UserID, "用户不存在"); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO reviewer_profiles (user_id, kind, affiliation, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET kind = excluded.kind, affiliation = excluded.affiliation, updated_at = excluded.updated_at`,
			rv.UserID, rv.Kind, strings.TrimSpace(rv.Affiliation), ms(tx.now)); err != nil {
			return err
		}
		return tx.audit(ctx, audit.Record{Action: "reviewer.save", ObjectType: "user", ObjectID: rv.UserID.String(), Detail: rv.Kind})
	})
}

// FindReviewers returns the roster entries of the given people.
func (db *DB) FindReviewers(ctx context.Context, ids []app.ID) (map[app.ID]assess.Reviewer, error) {
	out := map[app.ID]assess.Reviewer{}
	if len(ids) == 0 {
		return out, nil
	}
	args := anyArgs(ids)
	rows, err := db.reader().query(ctx, `SELECT user_id, kind, affiliation FROM reviewer_profiles WHERE user_id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var rv assess.Reviewer
		if err := rows.Scan(&rv.UserID, &rv.Kind, &rv.Affiliation); err != nil {
			return nil, err
		}
		out[rv.UserID] = rv
	}
	return out, rows.Err()
}

// SaveSiteChecks records a site visit's checklist for a subject.
func (db *DB) SaveSiteChecks(ctx context.Context, roundID, subjectID app.ID, checks []assess.SiteCheck) error {
	return db.update(ctx, func(tx *Tx) error {
		r, err := tx.findRound(ctx, roundID)
		if err != nil {
			return err
		}
		if _, ok := r.Subject(subjectID); !ok {
			return app.Invalid("subject", "该对象不在本次考评中")
		}
		if r.Status != assess.RoundOpen {
			return app.Errorf(app.ECONFLICT, "只有评分中的考评可以记录实地考察")
		}
		var by app.ID
		if a := app.ActorFrom(ctx); a != nil {
			by = a.UserID
		}
		for _, c := range checks {
			if !slices.Contains(assess.SiteItems, c.Item) {
				return app.Invalid("item", "考察事项“%s”无效", c.Item)
			}
			if len([]rune(c.Note)) > 2000 {
				return app.Invalid("note", "“%s”的记录不能超过 2000 字", c.Item)
			}
			if _, err := tx.exec(ctx, `INSERT INTO site_checks (round_id, subject_id, item, done, note, checked_by, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (round_id, subject_id, item) DO UPDATE SET done = excluded.done, note = excluded.note, checked_by = excluded.checked_by, checked_at = excluded.checked_at`,
				roundID, subjectID, c.Item, c.Done, strings.TrimSpace(c.Note), by, ms(tx.now)); err != nil {
				return err
			}
		}
		return tx.audit(ctx, audit.Record{Action: "site.check", ObjectType: "round", ObjectID: roundID.String(), Detail: fmt.Sprintf("对象 %s，%d 项", subjectID, len(checks))})
	})
}

// FindSiteChecks returns a subject's site-visit checklist in item order.
func (db *DB) FindSiteChecks(ctx context.Context, roundID, subjectID app.ID) ([]assess.SiteCheck, error) {
	rows, err := db.reader().query(ctx, `SELECT item, done, note, checked_by, checked_at FROM site_checks WHERE round_id = ? AND subject_id = ?`, roundID, subjectID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	got := map[string]assess.SiteCheck{}
	for rows.Next() {
		var c assess.SiteCheck
		var at int64
		if err := rows.Scan(&c.Item, &c.Done, &c.Note, &c.CheckedBy, &at); err != nil {
			return nil, err
		}
		c.CheckedAt = fromMS(at)
		got[c.Item] = c
	}
	out := make([]assess.SiteCheck, 0, len(assess.SiteItems))
	for _, item := range assess.SiteItems {
		c, ok := got[item]
		if !ok {
			c = assess.SiteCheck{Item: item}
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// MaxSitePhotos bounds the photos of one subject's visit.
const MaxSitePhotos = 30

// AddSitePhotos keeps photos of a subject's site visit.
func (db *DB) AddSitePhotos(ctx context.Context, roundID, subjectID app.ID, files []plan.File) error {
	if len(files) == 0 {
		return nil
	}
	return db.update(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM site_photos WHERE round_id = ? AND subject_id = ?`, roundID, subjectID).Scan(&n); err != nil {
			return err
		}
		if n+len(files) > MaxSitePhotos {
			return app.Invalid("photos", "每个对象最多保存 %d 张照片", MaxSitePhotos)
		}
		var by app.ID
		if a := app.ActorFrom(ctx); a != nil {
			by = a.UserID
		}
		for i, f := range files {
			if _, err := tx.exec(ctx, `INSERT INTO site_photos (round_id, subject_id, position, blob_key, name, size, content_type, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				roundID, subjectID, n+i, f.Key, f.Name, f.Size, f.ContentType, by, ms(tx.now)); err != nil {
				return fmt.Errorf("insert photo: %w", err)
			}
		}
		return tx.audit(ctx, audit.Record{Action: "site.photos", ObjectType: "round", ObjectID: roundID.String(), Detail: fmt.Sprintf("对象 %s，%d 张", subjectID, len(files))})
	})
}

// FindSitePhotos returns a subject's site-visit photos in order.
func (db *DB) FindSitePhotos(ctx context.Context, roundID, subjectID app.ID) ([]plan.File, error) {
	rows, err := db.reader().query(ctx, `SELECT blob_key, name, size, content_type FROM site_photos WHERE round_id = ? AND subject_id = ? ORDER BY position`, roundID, subjectID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []plan.File
	for rows.Next() {
		var f plan.File
		if err := rows.Scan(&f.Key, &f.Name, &f.Size, &f.ContentType); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
