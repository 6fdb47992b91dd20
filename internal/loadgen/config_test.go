package loadgen

import (
	"strings"
	"testing"
	"time"
)

func TestParseThink(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Think
		wantErr string
	}{
		{"0", Think{}, ""},
		{"", Think{}, ""},
		{"5s", Think{5 * time.Second, 5 * time.Second}, ""},
		{"5s-20s", Think{5 * time.Second, 20 * time.Second}, ""},
		{" 500ms - 2s ", Think{500 * time.Millisecond, 2 * time.Second}, ""},
		{"0s-1s", Think{0, time.Second}, ""},
		{"20s-5s", Think{}, "下限"},
		{"soon", Think{}, "应为"},
		{"5s-", Think{}, "应为"},
		{"5", Think{}, "应为"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseThink(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ParseThink(%q) error %v, want one with %q", tc.in, err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ParseThink(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			}
			// String reads back as the same think time.
			if back, err := ParseThink(got.String()); err != nil || back != got {
				t.Errorf("ParseThink(%q) = %+v, %v; want %+v", got.String(), back, err, got)
			}
		})
	}
}

func TestThink_pause(t *testing.T) {
	th := Think{Min: 5 * time.Second, Max: 20 * time.Second}
	for range 1000 {
		if p := th.pause(); p < th.Min || p > th.Max {
			t.Fatalf("pause %v outside [%v, %v]", p, th.Min, th.Max)
		}
	}
	if p := (Think{}).pause(); p != 0 {
		t.Errorf("zero think paused %v", p)
	}
	if p := (Think{Min: time.Second, Max: time.Second}).pause(); p != time.Second {
		t.Errorf("fixed think paused %v", p)
	}
}

func TestReadFixture(t *testing.T) {
	for _, tc := range []struct {
		name, in, wantErr string
		wantLogins        int
	}{
		{"valid", `{"exam_id":"7","logins":["k1","k2"],"password":"pw"}`, "", 2},
		{"not JSON", `exam 7`, "JSON", 0},
		{"no exam", `{"logins":["k1"],"password":"pw"}`, "exam_id", 0},
		{"no logins", `{"exam_id":"7","logins":[],"password":"pw"}`, "logins", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ReadFixture(strings.NewReader(tc.in))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one with %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || len(f.Logins) != tc.wantLogins || f.ExamID != "7" || f.Password != "pw" {
				t.Fatalf("ReadFixture = %+v, %v", f, err)
			}
		})
	}
}

func TestConfig_validate(t *testing.T) {
	fx := Fixture{ExamID: "7", Logins: []string{"k1", "k2", "k3"}, Password: "pw"}
	ok := Config{URL: "http://127.0.0.1:8080", Fixture: fx, Mode: ModeSaves, Duration: time.Second, HealthzDuration: time.Second, SetupConcurrency: 8}
	for _, tc := range []struct {
		name    string
		edit    func(c *Config)
		wantN   int
		wantErr string
	}{
		{"all examinees", func(c *Config) {}, 3, ""},
		{"first two", func(c *Config) { c.Examinees = 2 }, 2, ""},
		{"more than the fixture", func(c *Config) { c.Examinees = 4 }, 0, "不够 4 个"},
		{"negative", func(c *Config) { c.Examinees = -1 }, 0, "负数"},
		{"no fixture", func(c *Config) { c.Fixture = Fixture{} }, 0, "夹具"},
		{"healthz without fixture", func(c *Config) { c.Mode, c.Fixture, c.Examinees = ModeHealthz, Fixture{}, 50 }, 50, ""},
		{"healthz without fixture or count", func(c *Config) { c.Mode, c.Fixture = ModeHealthz, Fixture{} }, 0, "并发数"},
		{"healthz with no time", func(c *Config) { c.Mode, c.HealthzDuration = ModeHealthz, 0 }, 0, "healthz"},
		{"saves without healthz phase", func(c *Config) { c.HealthzDuration = 0 }, 3, ""},
		{"no save time", func(c *Config) { c.Duration = 0 }, 0, "保存阶段"},
		{"bad URL", func(c *Config) { c.URL = "127.0.0.1:8080" }, 0, "地址"},
		{"unknown mode", func(c *Config) { c.Mode = "fast" }, 0, "fast"},
		{"no setup concurrency", func(c *Config) { c.SetupConcurrency = 0 }, 0, "并发"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.edit(&c)
			n, err := c.validate()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one with %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || n != tc.wantN {
				t.Fatalf("validate = %d, %v; want %d", n, err, tc.wantN)
			}
		})
	}
}

func TestMode_Set(t *testing.T) {
	var m Mode
	if err := m.Set("start-cold"); err != nil || m != ModeStartCold {
		t.Errorf("Set(start-cold): %v, %v", m, err)
	}
	if err := m.Set("cold"); err == nil {
		t.Error("Set(cold) succeeded")
	}
}
