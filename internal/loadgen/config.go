package loadgen

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Mode is what a run measures.
type Mode string

// The modes; the package comment describes each.
const (
	ModeSaves     Mode = "saves"
	ModeStartWarm Mode = "start-warm"
	ModeStartCold Mode = "start-cold"
	ModeHealthz   Mode = "healthz"
)

var modes = []Mode{ModeSaves, ModeStartWarm, ModeStartCold, ModeHealthz}

// String returns the mode's name; with Set, *Mode is a flag.Value.
func (m Mode) String() string { return string(m) }

func (m Mode) valid() bool { return slices.Contains(modes, m) }

// Set sets the mode from its name.
func (m *Mode) Set(s string) error {
	if v := Mode(s); v.valid() {
		*m = v
		return nil
	}
	return errors.New("应为 saves、start-warm、start-cold 或 healthz")
}

// Think is the pause between one examinee's saves, drawn uniformly from
// [Min, Max] before each save; the zero Think saves back to back.
type Think struct {
	Min, Max time.Duration
}

// ParseThink reads "0", one duration ("5s": always that long) or a range
// ("5s-20s").
func ParseThink(s string) (Think, error) {
	s = strings.TrimSpace(s)
	if s == "0" || s == "" {
		return Think{}, nil
	}
	lo, hi, isRange := strings.Cut(s, "-")
	minD, err := time.ParseDuration(strings.TrimSpace(lo))
	if err != nil {
		return Think{}, errors.New("应为 0、一个时长（如 5s）或一个区间（如 5s-20s）")
	}
	maxD := minD
	if isRange {
		if maxD, err = time.ParseDuration(strings.TrimSpace(hi)); err != nil {
			return Think{}, errors.New("应为 0、一个时长（如 5s）或一个区间（如 5s-20s）")
		}
	}
	switch {
	case minD < 0 || maxD < 0:
		return Think{}, errors.New("时长不能为负数")
	case maxD < minD:
		return Think{}, fmt.Errorf("区间的下限 %s 大于上限 %s", minD, maxD)
	}
	return Think{Min: minD, Max: maxD}, nil
}

// String formats t the way ParseThink reads it.
func (t Think) String() string {
	switch {
	case t.Max == 0:
		return "0"
	case t.Min == t.Max:
		return t.Min.String()
	}
	return t.Min.String() + "-" + t.Max.String()
}

// Set parses s into t; with String, *Think is a flag.Value.
func (t *Think) Set(s string) error {
	v, err := ParseThink(s)
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// pause draws one think time.
func (t Think) pause() time.Duration {
	if t.Max <= t.Min {
		return t.Min
	}
	return t.Min + rand.N(t.Max-t.Min+1)
}

// Fixture is what `pufa loadtest-fixture` prints: an open exam and the
// examinees who may sit it, all with the same password.
type Fixture struct {
	ExamID   string   `json:"exam_id"`
	Logins   []string `json:"logins"`
	Password string   `json:"password"`
}

// ReadFixture decodes a fixture and checks it names an exam and at least
// one examinee.
func ReadFixture(r io.Reader) (Fixture, error) {
	var f Fixture
	if err := json.NewDecoder(r).Decode(&f); err != nil {
		return Fixture{}, fmt.Errorf("夹具不是有效的 JSON：%w", err)
	}
	if f.ExamID == "" || len(f.Logins) == 0 {
		return Fixture{}, errors.New("夹具应有 exam_id 和至少一个 logins")
	}
	return f, nil
}

// Config is one run.
type Config struct {
	// URL is the server's base URL ("http://127.0.0.1:8080").
	URL string
	// Fixture gives the exam and the examinees; healthz mode needs none.
	Fixture Fixture
	// Examinees is how many of the fixture's logins take part, the first
	// ones; 0 means all. In healthz mode without a fixture it is the
	// number of concurrent clients.
	Examinees int
	Mode      Mode
	// Duration is the length of the save phase.
	Duration time.Duration
	// HealthzDuration is the length of the healthz phase, in healthz mode
	// and after the save phase; 0 skips it after the save phase.
	HealthzDuration time.Duration
	// Think is the pause between one examinee's saves.
	Think Think
	// Submit submits every attempt at the end.
	Submit bool
	// SetupConcurrency is how many examinees sign in at a time when setup
	// is not what is measured (saves and start-warm).
	SetupConcurrency int
	// Timeout bounds each request; 0 means none.
	Timeout time.Duration
	// AckLog, when set, receives one JSON line per acknowledged save or
	// submit (see the package comment).
	AckLog io.Writer
	// Progress, when set, receives a line as each phase starts and ends
	// and every ten seconds while it runs.
	Progress io.Writer
}

// Validate checks c; Run checks it too.
func (c *Config) Validate() error {
	_, err := c.validate()
	return err
}

// validate checks c and returns the number of concurrent examinees.
func (c *Config) validate() (int, error) {
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return 0, fmt.Errorf("服务器地址“%s”无效：应为 http://主机:端口", c.URL)
	}
	n := c.Examinees
	switch {
	case n < 0:
		return 0, errors.New("考生人数不能为负数")
	case c.Mode == ModeHealthz && len(c.Fixture.Logins) == 0:
		if n == 0 {
			return 0, errors.New("healthz 模式请给出夹具或并发数（考生人数）")
		}
	case len(c.Fixture.Logins) == 0:
		return 0, fmt.Errorf("%s 模式需要夹具（loadtest-fixture 的输出）", c.Mode)
	case n == 0:
		n = len(c.Fixture.Logins)
	case n > len(c.Fixture.Logins):
		return 0, fmt.Errorf("夹具只有 %d 个考生，不够 %d 个", len(c.Fixture.Logins), n)
	}
	switch {
	case !c.Mode.valid():
		return 0, fmt.Errorf("未知模式“%s”", c.Mode)
	case c.Mode == ModeSaves && c.Duration <= 0:
		return 0, errors.New("保存阶段的时长应大于 0")
	case c.Mode == ModeHealthz && c.HealthzDuration <= 0:
		return 0, errors.New("healthz 阶段的时长应大于 0")
	case c.HealthzDuration < 0:
		return 0, errors.New("healthz 阶段的时长不能为负数")
	case c.SetupConcurrency < 1:
		return 0, errors.New("登录并发数应至少为 1")
	case c.Timeout < 0:
		return 0, errors.New("请求超时不能为负数")
	}
	return n, nil
}
