package question
import ("testing";"strings";"time")
func TestZZPatho(t *testing.T){
 for name, s := range map[string]string{
  "one long line of options": "1. x " + strings.Repeat("A.甲 B.乙 C.丙 (A)（B）", 200000),
  "many numbered lines": strings.Repeat("1.\n", 500000),
  "sequential numbers": func() string { var b strings.Builder; for i:=1;i<200000;i++ { b.WriteString("第"); b.WriteString(strings.Repeat("一",1)); b.WriteString("题\n"); }; return b.String() }(),
  "labels": strings.Repeat("答案：答案：解析：【答案】", 300000),
  "brackets": "1. " + strings.Repeat("（", 1000000) + strings.Repeat("）", 1000000),
  "key": "1. a\n参考答案\n" + strings.Repeat("1-99 " + strings.Repeat("A", 99) + " ", 50000),
  "blank lines": strings.Repeat("1. 宪法（ ）\n" + strings.Repeat("\n", 1000), 5000),
  "headings": strings.Repeat("一、单项选择题（共40题，每题1分）\n", 200000),
 } {
  start := time.Now(); b := ParseText(s); t.Logf("%s: %d bytes, %d questions, %v", name, len(s), len(b.Questions), time.Since(start))
 }
}
