package question

import (
	"encoding/json"
	"os"
	"testing"
)

func TestZZDump(t *testing.T) {
	f := os.Getenv("F")
	if f == "" {
		t.Skip()
	}
	b, _ := os.ReadFile(f)
	out, _ := json.MarshalIndent(ParseText(string(b)), "", "  ")
	os.Stdout.Write(out)
}
