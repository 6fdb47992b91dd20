package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"time"

	"pufa/internal/app"
	"pufa/internal/assess"
	"pufa/internal/crypt"
	"pufa/internal/pii"
)

// CodeSender sends a public-rating verification code to a phone. The
// platform's SMS gateway implements it in production; LogCodeSender is
// the development one.
type CodeSender interface {
	SendCode(ctx context.Context, phone, code string) error
}

// LogCodeSender writes codes to the log instead of sending them, for
// development and the demo: the code is readable by whoever reads the log.
type LogCodeSender struct{ Log *slog.Logger }

// SendCode logs the code.
func (l LogCodeSender) SendCode(_ context.Context, phone, code string) error {
	l.Log.Info("社会评议验证码（开发模式，未真正发送短信）", "phone", pii.MaskPhone(phone), "code", code)
	return nil
}

// voterKey is a keyed hash, so the database never holds a voter's phone
// or token, yet the same person maps to the same key.
func (s *Server) voterKey(kind, secret string) string {
	return kind + ":" + hex.EncodeToString(s.opts.Crypto.MAC(crypt.PurposeLookup, []byte("vote-"+kind+"\x00"+secret)))[:40]
}

// TokenHash is how an invitation token is stored.
func TokenHash(c crypt.Provider, token string) string {
	return hex.EncodeToString(c.MAC(crypt.PurposeToken, []byte("vote-token\x00"+token)))
}

type rateData struct {
	Round    *assess.Round
	Stage    *assess.RoundStage
	Subjects []assess.Subject
	Token    string
	Phone    string
	Ratings  map[string]string
	Closed   bool
	NoToken  bool
	Done     bool
	Counted  int
	Skipped  []string
	Key      string
}

func (s *Server) loadRate(r *http.Request) (*rateData, error) {
	rd, st, err := s.db.FindStageByKey(r.Context(), r.PathValue("key"))
	if err != nil {
		return nil, err
	}
	d := &rateData{Round: rd, Stage: st, Subjects: rd.Subjects, Key: st.Public.Key, Ratings: map[string]string{},
		Closed: !st.OpenAt(rd, s.clock.Now())}
	return d, nil
}

func (s *Server) rateForm(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadRate(r)
	if err != nil {
		return err
	}
	if d.Stage.Public.Mode == assess.VoteByToken {
		d.Token = r.URL.Query().Get("t")
		d.NoToken = d.Token == ""
	}
	return s.render(w, r, http.StatusOK, "rate", s.newView(r, "社会评议 · "+d.Round.Title, d))
}

// rateCode sends a verification code to the phone typed, then shows the
// form again with the phone kept.
func (s *Server) rateCode(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadRate(r)
	if err != nil {
		return err
	}
	d.Phone = pii.NormalizePhone(r.PostFormValue("phone"))
	// Keep the stars already given while the code is on its way.
	for _, sub := range d.Subjects {
		if v := r.PostFormValue("r_" + sub.OrgID.String()); v != "" {
			d.Ratings[sub.OrgID.String()] = v
		}
	}
	title := "社会评议 · " + d.Round.Title
	if d.Closed {
		return s.renderForm(w, r, "rate", title, d, app.Errorf(app.ECONFLICT, "评议不在投票时间内"))
	}
	if err := pii.ValidPhone(d.Phone); err != nil || !strings.HasPrefix(d.Phone, "1") {
		return s.renderForm(w, r, "rate", title, d, app.Invalid("phone", "请填写正确的 11 位手机号码"))
	}
	n, err := rand.Int(rand.Reader, big.NewInt(1000000))
	if err != nil {
		return err
	}
	code := fmt.Sprintf("%06d", n.Int64())
	key := s.voterKey("phone", d.Phone)
	if err := s.db.SaveVoteCode(r.Context(), d.Stage.ID, key, s.voterKey("code", key+code), s.clock.Now().Add(10*time.Minute)); err != nil {
		return s.renderForm(w, r, "rate", title, d, err)
	}
	if err := s.codeSender().SendCode(r.Context(), d.Phone, code); err != nil {
		return err
	}
	v := s.newView(r, title, d)
	v.Flash = "验证码已发送到 " + pii.MaskPhone(d.Phone) + "，10 分钟内有效"
	return s.render(w, r, http.StatusOK, "rate", v)
}

func (s *Server) codeSender() CodeSender {
	if s.opts.CodeSender != nil {
		return s.opts.CodeSender
	}
	return LogCodeSender{Log: s.log}
}

// rateSubmit records one person's ratings: one per subject, checked
// against the invitation token or the verified phone.
func (s *Server) rateSubmit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d, err := s.loadRate(r)
	if err != nil {
		return err
	}
	title := "社会评议 · " + d.Round.Title
	var votes []assess.Vote
	for _, sub := range d.Subjects {
		id := sub.OrgID.String()
		v := r.PostFormValue("r_" + id)
		if v == "" {
			continue
		}
		d.Ratings[id] = v
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 5 {
			return s.renderForm(w, r, "rate", title, d, app.Invalid("r_"+id, "对“%s”的评分应为 1 到 5 星", sub.Name))
		}
		comment := strings.TrimSpace(r.PostFormValue("c_" + id))
		if len([]rune(comment)) > 500 {
			return s.renderForm(w, r, "rate", title, d, app.Invalid("c_"+id, "对“%s”的意见不能超过 500 字", sub.Name))
		}
		votes = append(votes, assess.Vote{SubjectID: sub.OrgID, Rating: n, Comment: comment})
	}
	d.Token, d.Phone = r.PostFormValue("t"), pii.NormalizePhone(r.PostFormValue("phone"))
	if len(votes) == 0 {
		return s.renderForm(w, r, "rate", title, d, app.Invalid("ratings", "请至少为一个单位评分"))
	}
	var voter string
	switch d.Stage.Public.Mode {
	case assess.VoteByToken:
		ok, err := s.db.UseToken(ctx, d.Stage.ID, TokenHash(s.opts.Crypto, d.Token))
		if err != nil {
			return err
		}
		if !ok {
			d.NoToken = true
			return s.renderForm(w, r, "rate", title, d, app.Invalid("t", "邀请链接无效，请使用普法办发放给您的链接"))
		}
		voter = s.voterKey("token", d.Token)
	default:
		key := s.voterKey("phone", d.Phone)
		ok, err := s.db.CheckVoteCode(ctx, d.Stage.ID, key, s.voterKey("code", key+strings.TrimSpace(r.PostFormValue("code"))))
		if err != nil {
			return err
		}
		if !ok {
			return s.renderForm(w, r, "rate", title, d, app.Invalid("code", "验证码不正确或已过期，请重新获取"))
		}
		voter = key
	}
	client := s.voterKey("client", app.RequestMetaFrom(ctx).IP)[:20]
	for i := range votes {
		votes[i].Client = client
	}
	skipped, err := s.db.CastVotes(ctx, d.Stage.ID, voter, votes)
	if err != nil {
		return s.renderForm(w, r, "rate", title, d, err)
	}
	d.Done, d.Counted = true, len(votes)-len(skipped)
	for _, id := range skipped {
		if sub, ok := d.Round.Subject(id); ok {
			d.Skipped = append(d.Skipped, sub.Name)
		}
	}
	return s.render(w, r, http.StatusOK, "rate", s.newView(r, title, d))
}
