package web

import (
	"testing"

	"pufa/internal/app"
	"pufa/internal/org"
)

func TestUnitSuggestions(t *testing.T) {
	units := []*org.Org{
		{ID: 1, Kind: org.KindSubdistrict, Name: "江滨街道"},
		{ID: 2, Kind: org.KindUnit, Name: "区教育局"},
		{ID: 3, Kind: org.KindUnit, Name: "区公安分局"},
		{ID: 4, Kind: org.KindUnit, Name: "区司法局"},
	}
	ids, unmatched := matchUnits([]string{"区教育局", "公安分局", "市外事办"}, units, nil)
	if len(ids) != 2 || ids[0] != 2 || ids[1] != 3 || len(unmatched) != 1 || unmatched[0] != "市外事办" {
		t.Fatalf("matched %v, unmatched %v", ids, unmatched)
	}
	if got := mentionedUnits("由公安分局会同有关部门组织开展宣传", units); len(got) != 1 || got[0] != app.ID(3) {
		t.Fatalf("mentioned %v", got)
	}
	if got := mentionedUnits("江滨街道负责", units); got != nil {
		t.Fatalf("a place suggested as a unit: %v", got)
	}
	if got := mentionedUnits("组织开展宪法宣传周活动", units); got != nil {
		t.Fatalf("suggested %v from no mention", got)
	}
}
