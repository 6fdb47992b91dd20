package store_test

import (
	"testing"

	"pufa/internal/app"
	"pufa/internal/store"
	"pufa/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			storetest.Run(t, func(t *testing.T, clock app.Clock) *store.DB { return storetest.Open(t, d, clock) })
		})
	}
}
