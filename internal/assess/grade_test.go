package assess

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestGradeByThreshold(t *testing.T) {
	var g Grader // the defaults
	tests := []struct {
		total float64
		veto  bool
		want  string
	}{
		{100, false, "优秀"},
		{90, false, "优秀"},
		{89.99999999999999, false, "优秀"}, // float noise is not a lost grade
		{89.99, false, "良好"},
		{80, false, "良好"},
		{79.5, false, "一般"},
		{60, false, "一般"},
		{59.9, false, "较差"},
		{0, false, "较差"},
		{-1, false, "较差"},
		{103, false, "优秀"},
		{100, true, "较差"},
	}
	for _, tt := range tests {
		if got := g.GradeByThreshold(tt.total, tt.veto); got != tt.want {
			t.Errorf("GradeByThreshold(%v, %v) = %s, want %s", tt.total, tt.veto, got, tt.want)
		}
	}

	custom := Grader{Bands: []Band{{"好", 85}, {"称职", 70}, {"不称职", 0}}, VetoGrade: "不评定等次"}
	if err := custom.Validate(); err != nil {
		t.Fatal(err)
	}
	for total, want := range map[float64]string{85: "好", 84: "称职", 10: "不称职"} {
		if got := custom.GradeByThreshold(total, false); got != want {
			t.Errorf("custom grade of %v = %s, want %s", total, got, want)
		}
	}
	if got := custom.GradeByThreshold(99, true); got != "不评定等次" {
		t.Errorf("custom veto grade %s", got)
	}

	for _, bands := range [][]Band{
		{{"优秀", 90}, {"良好", 90}},
		{{"优秀", 80}, {"良好", 90}},
		{{"优秀", 90}, {"优秀", 80}},
		{{"", 90}},
	} {
		if f := invalidField(t, Grader{Bands: bands}.Validate()); f != "bands" {
			t.Errorf("%v: field %q", bands, f)
		}
	}
}

func TestGradeByQuota(t *testing.T) {
	// Ten subjects, 20% 优秀: two places. 98 is clear; 95 and 95 tie for
	// the second place.
	st := []Standing{{98, false}, {95, false}, {95, false}, {93, false}, {91, false},
		{88, false}, {85, false}, {70, false}, {50, false}, {99, true}}
	var g Grader
	got, err := g.GradeByQuota(st, Quota{Share: 0.2})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"优秀", "良好", "良好", "良好", "良好", "良好", "良好", "一般", "较差", "较差"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("excluding ties (-want +got):\n%s", d)
	}

	got, _ = g.GradeByQuota(st, Quota{Share: 0.2, Ties: IncludeTies})
	want[1], want[2] = "优秀", "优秀"
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("including ties (-want +got):\n%s", d)
	}

	// Without a tie at the edge the quota is filled exactly.
	st[2].Total = 94
	got, _ = g.GradeByQuota(st, Quota{Share: 0.2})
	want = []string{"优秀", "优秀", "良好", "良好", "良好", "良好", "良好", "一般", "较差", "较差"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("no tie (-want +got):\n%s", d)
	}

	// The quota limits; it does not lift anyone above their threshold.
	few := []Standing{{85, false}, {70, false}}
	got, _ = g.GradeByQuota(few, Quota{Share: 1})
	if d := cmp.Diff([]string{"良好", "一般"}, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}

	for _, q := range []Quota{{Share: -0.1}, {Share: 1.5}, {Share: 0.2, Ties: "random"}} {
		if _, err := g.GradeByQuota(st, q); invalidField(t, err) != "quota" {
			t.Errorf("%+v not refused", q)
		}
	}
	if note := (Quota{Share: 0.2}).Note("优秀"); note != "优秀名额不超过参评对象的 20%（向下取整）；名额边界上分数并列、无法全部容纳时，并列对象均不评为优秀" {
		t.Errorf("note %q", note)
	}
}

func TestRank(t *testing.T) {
	tests := []struct {
		name string
		st   []Standing
		want []int
	}{
		{"ties share and skip", []Standing{{90, false}, {90, false}, {80, false}}, []int{1, 1, 3}},
		{"unordered input", []Standing{{70, false}, {95, false}, {80, false}, {95, false}}, []int{4, 1, 3, 1}},
		{"float noise ties", []Standing{{90, false}, {89.99999999999999, false}, {85, false}}, []int{1, 1, 3}},
		{"a vetoed subject ranks last whatever it scored", []Standing{{99, true}, {80, false}, {70, false}}, []int{3, 1, 2}},
		{"vetoed subjects tie among themselves", []Standing{{99, true}, {99, true}, {10, false}}, []int{2, 2, 1}},
		{"empty", nil, []int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, Rank(tt.st)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}
