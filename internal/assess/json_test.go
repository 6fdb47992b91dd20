package assess

import (
	"reflect"
	"testing"
)

func TestSchemeJSONRoundTrip(t *testing.T) {
	schemes := []*Scheme{DutyReviewScheme()}
	r := newRand(7)
	for i := 0; i < 200; i++ {
		s := genScheme(r)
		if s.Validate() == nil {
			schemes = append(schemes, s)
		}
	}
	for i, s := range schemes {
		data, err := EncodeScheme(s)
		if err != nil {
			t.Fatalf("scheme %d: %v", i, err)
		}
		back, err := DecodeScheme(data)
		if err != nil {
			t.Fatalf("scheme %d: decode: %v", i, err)
		}
		if !reflect.DeepEqual(s, back) {
			t.Fatalf("scheme %d changed in the round trip:\n%+v\n%+v", i, s, back)
		}
	}
	if _, err := DecodeScheme([]byte(`{"name":"x","version":1,"full_marks":10,"indicators":[{"code":"A","name":"a","max":10,"rule":{"kind":"magic"}}]}`)); err == nil {
		t.Error("an unknown rule kind decoded")
	}
	if _, err := DecodeScheme([]byte(`{"name":"x","surprise":1}`)); err == nil {
		t.Error("an unknown field decoded")
	}
}
