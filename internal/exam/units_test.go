package exam

import "testing"

func TestUnitsUnder(t *testing.T) {
	names := map[string]string{"/1/": "临江区", "/1/2/": "公安局", "/1/3/": "江滨街道", "/1/3/4/": "江滨社区"}
	unitOf := UnitsUnder("/1/", names)
	for _, c := range []struct{ path, name, key, unit string }{
		{"/1/2/", "公安局", "/1/2/", "公安局"},
		{"/1/3/4/", "江滨社区", "/1/3/", "江滨街道"}, // a community counts in its subdistrict
		{"/1/", "临江区", "/1/", "临江区（本级）"},
		{"/9/", "外区", "/9/", "外区"}, // moved out of the tree since: stands for itself
		{"/1/5/", "新单位", "/1/5/", "新单位"},
	} {
		key, unit := unitOf(c.path, c.name)
		if key != c.key || unit != c.unit {
			t.Errorf("%s: got %s %s, want %s %s", c.path, key, unit, c.key, c.unit)
		}
	}
}
