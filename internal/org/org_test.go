package org

import (
	"testing"

	"pufa/internal/app"
)

func TestValidCreditCode(t *testing.T) {
	// Check characters computed by hand with GB 32100-2015's weights
	// (1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28, modulus 31).
	for code, ok := range map[string]bool{
		"91350100M000100Y43": true,  // a published example of the standard's layout
		"91350100M000100Y44": false, // wrong check character
		"91350100M000100Y4":  false, // 17 characters
		"91350100M0001O0Y43": false, // O is not in the alphabet
		"":                   false,
	} {
		err := ValidCreditCode(code)
		if (err == nil) != ok {
			t.Errorf("%q: %v, want ok=%v", code, err, ok)
		}
		if err != nil && app.ErrorCode(err) != app.EINVALID {
			t.Errorf("%q: code %s", code, app.ErrorCode(err))
		}
	}
	// CreditCodeCheckChar agrees with the validator on made-up bodies.
	for _, body := range []string{"11330199MB0000001", "12330199MB00000JM", "91110000100000000"} {
		if err := ValidCreditCode(body + string(CreditCodeCheckChar(body))); err != nil {
			t.Errorf("%s: %v", body, err)
		}
	}
}

func TestValidRegionCode(t *testing.T) {
	for _, c := range []struct {
		code string
		kind Kind
		ok   bool
	}{
		{"330199", KindRegion, true},
		{"330199001", KindSubdistrict, true},
		{"330199101", KindTown, true},
		{"330199101201", KindVillage, true},
		{"330199001001", KindCommunity, true},
		{"33019", KindRegion, false},
		{"330199001", KindRegion, false},
		{"990199", KindRegion, false}, // no province 99
		{"33019A", KindRegion, false},
		{"", KindTown, false},
	} {
		if err := ValidRegionCode(c.code, c.kind); (err == nil) != c.ok {
			t.Errorf("%s %s: %v, want ok=%v", c.code, c.kind, err, c.ok)
		}
	}
}

func TestParseKind(t *testing.T) {
	for in, want := range map[string]Kind{"unit": KindUnit, "单位": KindUnit, "街道": KindSubdistrict, "镇": KindTown, "社区": KindCommunity, " 区 ": KindRegion} {
		if got, err := ParseKind(in); err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	if _, err := ParseKind("planet"); app.ErrorCode(err) != app.EINVALID {
		t.Error("unknown kind accepted")
	}
}
