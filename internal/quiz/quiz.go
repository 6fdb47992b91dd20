// Package quiz is the pure engine of the public legal-literacy quiz
// (公民法治素养测评): a quiz reached without an account through a link or a
// QR code, whose questions come from the question bank and each belong to a
// dimension of the literacy indicator scheme (法治认知, 法治意识, 法治行为…).
//
// It decides:
//   - whether a quiz definition can be published (Quiz.Validate, and
//     Quiz.CheckBank against the bank questions it names), and how its
//     dimensions map onto an assessment scheme (DimensionsFromScheme,
//     LiteracyScheme, Quiz.Sheet);
//   - how each respondent sees the questions: options shuffled per
//     respondent from a seed, through exam's Item.Order (Quiz.Paper);
//   - how a response is marked: per-question verdicts, a score out of 100
//     per dimension and in total (Quiz.Mark), and what profile answers are
//     accepted (Quiz.ReadProfile);
//   - whether a response is accepted, one per person: an unused token for
//     an invited sample, an unseen device and the rate limits for an open
//     quiz (Quiz.Accept), and which responses raise the burst and
//     population alarms of public rating, through assess.VoteAlarm
//     (AlarmSettings.Check);
//   - the published figures: per dimension, overall and per profile group,
//     each with its sample size, small groups withheld (Quiz.Tally).
//
// It leaves to the store: keeping quizzes, invitation tokens, responses and
// their seeds; reading the facts Accept decides on (is the token used, was
// the device seen, this client's recent responses) inside the transaction
// that inserts the response, with unique indexes as the last guard; and the
// office's exclusion of suspicious responses. It leaves to the web layer:
// the quiz pages, the device cookie and the keyed hash of the client
// address, the QR code, and showing the right answers with their analysis
// (exam.Present and exam.FromOriginal over Result.Paper).
//
// Scores, points, weights, means and shares are Hundredths: integers, so a
// results page's figures can be recomputed from the raw responses exactly.
package quiz

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"pufa/internal/app"
	"pufa/internal/question"
)

// Mode is how a quiz keeps to one response per person.
type Mode string

// Modes.
const (
	// Open: anyone with the quiz's link or QR code may answer, once per
	// device (a cookie), within the rate limits of the client address.
	Open Mode = "open"
	// Invited: the office issues one token per person of a sample (a
	// link each); the token is the person and answers once.
	Invited Mode = "invited"
)

// Label names the mode in Chinese.
func (m Mode) Label() string {
	switch m {
	case Open:
		return "公开作答"
	case Invited:
		return "定向邀请"
	}
	return string(m)
}

// Bounds of a definition: generous for any real quiz, tight enough that a
// corrupt or hostile definition cannot make the figures overflow.
const (
	MaxQuestions  = 200
	MaxDimensions = 20
	MaxProfile    = 10
	MaxChoices    = 500 // a district's villages and communities
	MaxPoints     = 100 // per question
	MaxWeight     = 1000
	maxTitleRunes = 200
	maxIntroRunes = 5000
	maxLabelRunes = 100
	maxCodeLen    = 50
)

// Defaults of the figures and the limits.
const (
	// DefaultThreshold is the score out of 100 at which a respondent
	// counts as 具备基本法治素养.
	DefaultThreshold = 60
	// DefaultThresholdLabel names what reaching the threshold means.
	DefaultThresholdLabel = "具备基本法治素养"
	// DefaultMinGroup is the smallest group whose mean is published.
	DefaultMinGroup = 5
)

// Quiz is one literacy quiz as the office defines it. Once it has
// responses it is not edited: a response's seed and scores refer to its
// questions, points and options as they stood.
type Quiz struct {
	ID app.ID
	// OrgID is the office that runs the quiz; OrgPath its place in the
	// org tree.
	OrgID   app.ID
	OrgPath string
	Title   string
	// Intro is the text above the questions: who runs the quiz, that it
	// is anonymous, how long it takes.
	Intro      string
	Mode       Mode
	Dimensions []Dimension
	// Questions are shown in this order.
	Questions []Question
	// Profile are the optional questions about the respondent asked
	// before the quiz; every one also offers 不愿透露 (Declined).
	Profile []ProfileQuestion
	// ShuffleOptions shows each respondent the options of choice questions
	// in their own order (see Paper).
	ShuffleOptions bool
	// OpensAt and ClosesAt bound when responses are accepted; a zero time
	// does not limit.
	OpensAt, ClosesAt time.Time
	// Limits are the rate limits of an open quiz.
	Limits Limits
	// Alarm says when responses raise an alarm.
	Alarm AlarmSettings
	// Threshold is the score out of 100 (two decimals at most) that counts
	// in the share of the figures; zero means DefaultThreshold.
	Threshold float64
	// ThresholdLabel names it; empty means DefaultThresholdLabel.
	ThresholdLabel string
	// MinGroup is the smallest group whose mean and share are published;
	// zero means DefaultMinGroup.
	MinGroup int
}

// Dimension is one dimension of the literacy indicator scheme a quiz
// reports on (法治认知).
type Dimension struct {
	// Code is the indicator's code in the scheme ("A").
	Code string
	Name string
	// Weight is the dimension's share of the total score, relative to the
	// other dimensions' (40, 30, 30; or 1, 1, 1), at most two decimals;
	// an indicator's points when the dimensions come from a scheme.
	Weight float64
}

// Question is one question of a quiz: a bank question, the dimension it
// tests and its points.
type Question struct {
	QuestionID app.ID
	// Dimension is the code of one of the quiz's dimensions.
	Dimension string
	// Points weigh the question within its dimension, at most two
	// decimals.
	Points float64
}

// ProfileQuestion is an optional question about the respondent: the age
// band, the occupation, the street or village. The answers are codes of a
// closed list, so that no free text can identify anybody.
type ProfileQuestion struct {
	Code    string // "age"
	Label   string // "年龄段"
	Choices []Choice
}

// Choice is one answer of a profile question.
type Choice struct {
	Code  string
	Label string
}

// Declined is the choice every profile question offers last, and what a
// skipped question counts as.
const (
	Declined      = "declined"
	DeclinedLabel = "不愿透露"
)

// Options returns the choices a respondent sees: the question's own, then
// 不愿透露.
func (p ProfileQuestion) Options() []Choice {
	return append(slices.Clip(p.Choices), Choice{Code: Declined, Label: DeclinedLabel})
}

// threshold returns the threshold in force, in hundredths. It assumes a
// validated quiz; a bad figure falls back to the default.
func (q *Quiz) threshold() Hundredths {
	if h, ok := hundredths(q.Threshold); ok && h > 0 && h <= Full {
		return h
	}
	return DefaultThreshold * 100
}

// thresholdLabel returns the label of the threshold in force.
func (q *Quiz) thresholdLabel() string {
	if q.ThresholdLabel != "" {
		return q.ThresholdLabel
	}
	return DefaultThresholdLabel
}

// minGroup returns the smallest published group in force.
func (q *Quiz) minGroup() int {
	if q.MinGroup > 0 {
		return q.MinGroup
	}
	return DefaultMinGroup
}

// Validate checks that the quiz can be published: a title; a mode; distinct
// dimensions with codes, names and positive weights; questions, none
// repeated, each in a known dimension with positive points, and every
// dimension with a question; profile questions with distinct codes and
// closed lists of distinct choices; a threshold within 0–100; limits and
// alarm settings not negative; a closing time after the opening time. It
// trims codes, names and labels. The first problem is returned as an
// app.Invalid error whose field is the part of the form at fault and whose
// Chinese message names the row. Whether the questions exist and can be
// marked is CheckBank's to say.
func (q *Quiz) Validate() error {
	q.Title = strings.TrimSpace(q.Title)
	if q.Title == "" {
		return app.Invalid("title", "请填写测评的标题")
	} else if utf8.RuneCountInString(q.Title) > maxTitleRunes {
		return app.Invalid("title", "测评的标题不能超过 %d 个字", maxTitleRunes)
	}
	if utf8.RuneCountInString(q.Intro) > maxIntroRunes {
		return app.Invalid("intro", "测评说明不能超过 %d 个字", maxIntroRunes)
	}
	if q.Mode != Open && q.Mode != Invited {
		return app.Invalid("mode", "请选择作答方式：公开作答或定向邀请")
	}
	if err := q.validateDimensions(); err != nil {
		return err
	}
	if err := q.validateQuestions(); err != nil {
		return err
	}
	if err := q.validateProfile(); err != nil {
		return err
	}
	if h, ok := hundredths(q.Threshold); !ok || h < 0 || h > Full {
		return app.Invalid("threshold", "达标分数线应在 0 到 100 之间，最多两位小数")
	}
	q.ThresholdLabel = strings.TrimSpace(q.ThresholdLabel)
	if utf8.RuneCountInString(q.ThresholdLabel) > maxLabelRunes {
		return app.Invalid("threshold_label", "达标说明不能超过 %d 个字", maxLabelRunes)
	}
	if q.MinGroup < 0 {
		return app.Invalid("min_group", "公布均值的最小样本量不能为负数")
	}
	if err := q.Limits.validate(); err != nil {
		return err
	}
	if err := q.Alarm.validate(); err != nil {
		return err
	}
	if !q.OpensAt.IsZero() && !q.ClosesAt.IsZero() && !q.ClosesAt.After(q.OpensAt) {
		return app.Invalid("closes_at", "截止时间应晚于开始时间")
	}
	return nil
}

func (q *Quiz) validateDimensions() error {
	if len(q.Dimensions) == 0 {
		return app.Invalid("dimensions", "测评至少需要一个维度")
	}
	if len(q.Dimensions) > MaxDimensions {
		return app.Invalid("dimensions", "测评维度不能超过 %d 个", MaxDimensions)
	}
	codes := map[string]bool{}
	for i := range q.Dimensions {
		d := &q.Dimensions[i]
		d.Code, d.Name = strings.TrimSpace(d.Code), strings.TrimSpace(d.Name)
		if msg := checkCode(d.Code); msg != "" {
			return app.Invalid("dimensions", "第 %d 个维度“%s”的编号%s", i+1, d.Name, msg)
		}
		if codes[d.Code] {
			return app.Invalid("dimensions", "维度编号“%s”重复", d.Code)
		}
		codes[d.Code] = true
		if d.Name == "" {
			return app.Invalid("dimensions", "第 %d 个维度（%s）缺少名称", i+1, d.Code)
		} else if utf8.RuneCountInString(d.Name) > maxLabelRunes {
			return app.Invalid("dimensions", "维度“%s”的名称不能超过 %d 个字", d.Code, maxLabelRunes)
		}
		if w, ok := hundredths(d.Weight); !ok || w <= 0 || w > MaxWeight*100 {
			return app.Invalid("dimensions", "维度“%s”的权重应大于 0、不超过 %d，最多两位小数", d.Name, MaxWeight)
		}
	}
	return nil
}

func (q *Quiz) validateQuestions() error {
	if len(q.Questions) == 0 {
		return app.Invalid("questions", "测评至少需要一道题")
	}
	if len(q.Questions) > MaxQuestions {
		return app.Invalid("questions", "测评题目不能超过 %d 道", MaxQuestions)
	}
	seen := map[app.ID]bool{}
	used := map[string]bool{}
	for i := range q.Questions {
		qq := &q.Questions[i]
		qq.Dimension = strings.TrimSpace(qq.Dimension)
		if qq.QuestionID <= 0 {
			return app.Invalid("questions", "第 %d 题没有选定题库中的题目", i+1)
		}
		if seen[qq.QuestionID] {
			return app.Invalid("questions", "第 %d 题与前面的题目重复", i+1)
		}
		seen[qq.QuestionID] = true
		if q.dimension(qq.Dimension) < 0 {
			if qq.Dimension == "" {
				return app.Invalid("questions", "第 %d 题没有指定所属维度", i+1)
			}
			return app.Invalid("questions", "第 %d 题的维度“%s”不在本测评的维度中", i+1, qq.Dimension)
		}
		used[qq.Dimension] = true
		if p, ok := hundredths(qq.Points); !ok || p <= 0 || p > MaxPoints*100 {
			return app.Invalid("questions", "第 %d 题的分值应大于 0、不超过 %d，最多两位小数", i+1, MaxPoints)
		}
	}
	for _, d := range q.Dimensions {
		if !used[d.Code] {
			return app.Invalid("questions", "维度“%s”还没有题目，每个维度至少需要一道题", d.Name)
		}
	}
	return nil
}

func (q *Quiz) validateProfile() error {
	if len(q.Profile) > MaxProfile {
		return app.Invalid("profile", "基本情况问题不能超过 %d 个", MaxProfile)
	}
	codes := map[string]bool{}
	for i := range q.Profile {
		p := &q.Profile[i]
		p.Code, p.Label = strings.TrimSpace(p.Code), strings.TrimSpace(p.Label)
		if msg := checkCode(p.Code); msg != "" {
			return app.Invalid("profile", "第 %d 个基本情况问题“%s”的编号%s", i+1, p.Label, msg)
		}
		if codes[p.Code] {
			return app.Invalid("profile", "基本情况问题的编号“%s”重复", p.Code)
		}
		codes[p.Code] = true
		if p.Label == "" {
			return app.Invalid("profile", "第 %d 个基本情况问题（%s）缺少题目文字", i+1, p.Code)
		} else if utf8.RuneCountInString(p.Label) > maxLabelRunes {
			return app.Invalid("profile", "基本情况问题“%s”的文字不能超过 %d 个字", p.Code, maxLabelRunes)
		}
		if len(p.Choices) < 2 {
			return app.Invalid("profile", "基本情况问题“%s”至少需要两个选项", p.Label)
		}
		if len(p.Choices) > MaxChoices {
			return app.Invalid("profile", "基本情况问题“%s”的选项不能超过 %d 个", p.Label, MaxChoices)
		}
		choices := map[string]bool{}
		labels := map[string]bool{}
		for j := range p.Choices {
			c := &p.Choices[j]
			c.Code, c.Label = strings.TrimSpace(c.Code), strings.TrimSpace(c.Label)
			if msg := checkCode(c.Code); msg != "" {
				return app.Invalid("profile", "基本情况问题“%s”第 %d 个选项“%s”的编号%s", p.Label, j+1, c.Label, msg)
			}
			if c.Code == Declined {
				return app.Invalid("profile", "基本情况问题“%s”的选项编号不能用“%s”，“%s”由系统自动添加", p.Label, Declined, DeclinedLabel)
			}
			if choices[c.Code] {
				return app.Invalid("profile", "基本情况问题“%s”的选项编号“%s”重复", p.Label, c.Code)
			}
			choices[c.Code] = true
			if c.Label == "" {
				return app.Invalid("profile", "基本情况问题“%s”第 %d 个选项缺少文字", p.Label, j+1)
			} else if utf8.RuneCountInString(c.Label) > maxLabelRunes {
				return app.Invalid("profile", "基本情况问题“%s”的选项“%s”不能超过 %d 个字", p.Label, c.Code, maxLabelRunes)
			}
			if labels[c.Label] || c.Label == DeclinedLabel {
				return app.Invalid("profile", "基本情况问题“%s”的选项“%s”重复", p.Label, c.Label)
			}
			labels[c.Label] = true
		}
	}
	return nil
}

// checkCode returns what is wrong with a code, "" when nothing. Codes go
// into form names, URLs and stored rows, so they are short ASCII words.
func checkCode(code string) string {
	if code == "" {
		return "不能为空"
	}
	if len(code) > maxCodeLen {
		return fmt.Sprintf("不能超过 %d 个字符", maxCodeLen)
	}
	for _, r := range code {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.') {
			return "只能由英文字母、数字和 _ - . 组成"
		}
	}
	return ""
}

// dimension returns the index of the dimension with code, -1 if none.
func (q *Quiz) dimension(code string) int {
	return slices.IndexFunc(q.Dimensions, func(d Dimension) bool { return d.Code == code })
}

// CheckBank checks the quiz's questions against the bank, by ID, before
// publishing: each must exist, pass question.Validate, have an answer key
// and be marked automatically (no essays: nobody marks a public quiz by
// hand). The error is an app.Invalid error (field "questions") naming the
// question by its number in the quiz.
func (q *Quiz) CheckBank(bank map[app.ID]question.Question) error {
	for i, qq := range q.Questions {
		bq, ok := bank[qq.QuestionID]
		if !ok {
			return app.Invalid("questions", "第 %d 题（编号 %s）在题库中不存在或已删除", i+1, qq.QuestionID)
		}
		if err := bq.Validate(); err != nil {
			return app.Invalid("questions", "第 %d 题不能使用：%s", i+1, app.ErrorMessage(err))
		}
		if bq.Type == question.Essay {
			return app.Invalid("questions", "第 %d 题是简答题，公众测评只能使用可自动判分的题目", i+1)
		}
		if !bq.Answered() {
			return app.Invalid("questions", "第 %d 题还没有答案，不能用于测评", i+1)
		}
	}
	return nil
}

// ReadProfile checks a respondent's profile answers (question code →
// choice code) and returns them complete: a question left unanswered is
// Declined. A code the quiz does not ask, or a choice it does not offer,
// is an app.Invalid error (field "profile"): the form was not ours.
func (q *Quiz) ReadProfile(given map[string]string) (map[string]string, error) {
	out := make(map[string]string, len(q.Profile))
	for code, choice := range given {
		i := slices.IndexFunc(q.Profile, func(p ProfileQuestion) bool { return p.Code == code })
		if i < 0 {
			return nil, app.Invalid("profile", "本测评没有“%s”这个基本情况问题", code)
		}
		if choice == "" {
			continue
		}
		if !slices.ContainsFunc(q.Profile[i].Options(), func(c Choice) bool { return c.Code == choice }) {
			return nil, app.Invalid("profile", "“%s”的选项无效，请重新选择", q.Profile[i].Label)
		}
		out[code] = choice
	}
	for _, p := range q.Profile {
		if out[p.Code] == "" {
			out[p.Code] = Declined
		}
	}
	return out, nil
}

// StandardAge is the age-band profile question most quizzes ask.
func StandardAge() ProfileQuestion {
	return ProfileQuestion{Code: "age", Label: "年龄段", Choices: []Choice{
		{"under18", "18 岁以下"}, {"18-29", "18–29 岁"}, {"30-44", "30–44 岁"},
		{"45-59", "45–59 岁"}, {"60plus", "60 岁及以上"},
	}}
}

// StandardOccupation is the occupation profile question most quizzes ask.
func StandardOccupation() ProfileQuestion {
	return ProfileQuestion{Code: "occupation", Label: "职业", Choices: []Choice{
		{"student", "学生"}, {"farmer", "农民"}, {"worker", "工人"},
		{"staff", "企业职员"}, {"self_employed", "个体工商户"}, {"employee", "国家工作人员"},
		{"retired", "离退休人员"}, {"other", "其他"},
	}}
}

// PlaceQuestion is the street-or-village profile question; the choices are
// the office's subdistricts, towns, villages or communities, coded by the
// caller (an org ID in decimal does).
func PlaceQuestion(places []Choice) ProfileQuestion {
	return ProfileQuestion{Code: "place", Label: "所在街道（镇）、村（社区）", Choices: slices.Clone(places)}
}
