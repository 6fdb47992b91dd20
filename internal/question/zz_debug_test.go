package question
import ("testing";"os";"fmt";"strings")
func TestZZDump(t *testing.T){ f:=os.Getenv("F"); if f=="" {t.Skip()}; b,_:=os.ReadFile(f); bk:=ParseText(string(b))
for i,s:=range bk.Sections{fmt.Printf("S%d %q %d %v\n",i,s.Title,s.DeclaredCount,s.DeclaredPoints)}
for _,q:=range bk.Questions{ var o []string; for _,x:=range q.Options{o=append(o,x.Label+"="+x.Text)}; fmt.Printf("%d/%d %s %q opts=%v ans=%q ana=%q inc=%v\n",q.Section,q.N,q.Type,q.Stem,strings.Join(o,"|"),q.Answer,q.Analysis,q.Incomplete)}
for _,w:=range bk.Warnings{fmt.Printf("W %d/%d %s\n",w.Section,w.N,w.Message)}}
