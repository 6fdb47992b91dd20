package outline

import (
	"os"
	"testing"
	"time"
)

func FuzzWatch(f *testing.F) {
	f.Add(seed(f))
	f.Add(docx(f, p("工作要点")+np("1", "0", "总体要求")+np("1", "1", "完善清单。"), numberingXML, stylesXML))
	f.Fuzz(func(t *testing.T, data []byte) {
		done := make(chan struct{})
		go func() {
			select {
			case <-done:
			case <-time.After(3 * time.Second):
				os.WriteFile("/tmp/ol/hang.bin", data, 0o644)
				panic("hang")
			}
		}()
		res, err := Parse(data)
		if err == nil {
			checkResult(t, res)
		}
		close(done)
	})
}
