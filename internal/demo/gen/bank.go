//go:build ignore

// Command bank writes internal/demo/data/question-bank.txt, the demo
// district's question bank, from the two law texts beside it: xianfa.txt
// (中华人民共和国宪法) and minfadian.txt (民法典 总则编). Run it from the
// repository root:
//
//	go run ./internal/demo/gen/bank.go
//
// Every question is checkable against the article it tests, and its 解析
// cites that article as 依据《宪法》第X条 or 依据《民法典》第X条 (X in Chinese
// numerals, as the text numbers it) followed by the quoted sentence, so the
// importer can link the question to the article. Kinds of questions:
//
//   - 单项选择题: which article says a sentence; or a sentence with one term
//     (an organ, an age, a period, a fraction…) taken out, with three
//     others of the same kind as distractors.
//   - 多项选择题: the items an article enumerates, with curated items that
//     the article does not hold; and the citizens' basic rights and duties
//     of 第二章 of the Constitution, each option tied to its article.
//   - 判断题: a sentence verbatim (√), or with one term swapped for a curated
//     wrong one that changes its meaning (×).
//   - 填空题: a sentence with one key term from a curated list taken out.
//
// The output is deterministic: the random choices use a fixed seed and
// everything is iterated in slice order. The generator checks what it
// builds (each swapped sentence is in neither law, each enumerated item is
// in its article, no two questions are the same) and fails loudly rather
// than write a doubtful bank.
package main

import (
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

const dataDir = "internal/demo/data"

// Section sizes and points. The counts are upper bounds the candidates
// must fill; the generator fails if they cannot.
var plan = []struct {
	title  string
	count  int
	points int
}{
	{"单项选择题", 100, 1},
	{"多项选择题", 60, 2},
	{"判断题", 110, 1},
	{"填空题", 90, 1},
}

// ---------------------------------------------------------------------
// Law texts

type article struct {
	law     string // "宪法" or "民法典"
	label   string // "第三十三条"
	num     int
	chapter string
	section string
	paras   []string
}

// text is the article's paragraphs joined, as quoted in an analysis.
func (a *article) text() string { return strings.Join(a.paras, "") }

// cite is the citation every analysis carries.
func (a *article) cite() string { return "依据《" + a.law + "》" + a.label }

type sentence struct {
	a    *article
	text string // ends with 。
}

type law struct {
	name     string
	articles []*article
	byNum    map[int]*article
	full     string // the whole text, for "is this sentence in the law"
	sents    []*sentence
}

var (
	reArticle = regexp.MustCompile(`^(第([一二三四五六七八九十百零]+)条)[ \x{3000}]+(.+)$`)
	reHeading = regexp.MustCompile(`^第[一二三四五六七八九十百零]+([编章节])[ \x{3000}]+(.+)$`)
)

func readLaw(name, file string) *law {
	data, err := os.ReadFile(filepath.Join(dataDir, file))
	if err != nil {
		log.Fatal(err)
	}
	l := &law{name: name, byNum: map[int]*article{}}
	var cur *article
	chapter, section := "", ""
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if m := reHeading.FindStringSubmatch(line); m != nil {
			cur = nil
			switch m[1] {
			case "编":
				chapter, section = "", ""
			case "章":
				chapter, section = line, ""
			case "节":
				section = line
			}
			continue
		}
		if line == "序言" {
			cur = nil
			continue
		}
		if m := reArticle.FindStringSubmatch(line); m != nil {
			n := cnToInt(m[2])
			if n != len(l.articles)+1 {
				log.Fatalf("%s: %s out of sequence", file, m[1])
			}
			cur = &article{law: name, label: m[1], num: n, chapter: chapter, section: section, paras: []string{m[3]}}
			l.articles = append(l.articles, cur)
			l.byNum[n] = cur
			continue
		}
		if cur != nil {
			cur.paras = append(cur.paras, line)
		}
	}
	l.full = string(data)
	l.sents = sentences(l)
	return l
}

var cnDigits = map[rune]int{'零': 0, '一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// cnToInt reads the Chinese numerals of article numbers (一百零一, 二十).
func cnToInt(s string) int {
	total, cur := 0, 0
	for _, r := range s {
		switch r {
		case '十':
			if cur == 0 {
				cur = 1
			}
			total += cur * 10
			cur = 0
		case '百':
			total += cur * 100
			cur = 0
		default:
			cur = cnDigits[r]
		}
	}
	return total + cur
}

// Sentences that make no sense out of their article.
var (
	reContext = regexp.MustCompile(`这些|上述|前款|本条|本节|本章|本编|下列|前述|以上记载|依照其规定|参照适用|有下列情形`)
	badStarts = []string{"它", "其", "该", "这", "但是", "但", "同时", "否则"}
)

// sentences splits the articles' paragraphs into sentences that read on
// their own: no list items, no lead-ins, no back references, no sentence
// that the law says twice.
func sentences(l *law) []*sentence {
	var out []*sentence
	count := map[string]int{}
	for _, a := range l.articles {
		for _, p := range a.paras {
			if strings.HasPrefix(p, "（") || strings.HasSuffix(p, "：") || strings.HasSuffix(p, "，") || strings.HasSuffix(p, "；") {
				continue
			}
			for _, s := range strings.SplitAfter(p, "。") {
				if s == "" {
					continue
				}
				count[s]++
				n := utf8.RuneCountInString(s)
				if n < 10 || n > 110 || reContext.MatchString(s) || !strings.HasSuffix(s, "。") {
					continue
				}
				if slices.ContainsFunc(badStarts, func(b string) bool { return strings.HasPrefix(s, b) }) {
					continue
				}
				out = append(out, &sentence{a: a, text: s})
			}
		}
	}
	return slices.DeleteFunc(out, func(s *sentence) bool { return count[s.text] > 1 })
}

// ---------------------------------------------------------------------
// Terms: categories of interchangeable terms for single choice, key terms
// for blanks, and the compounds that must not be cut.

type category struct {
	name  string
	law   string // "" for both
	terms []string
	// final: the term must end its sentence ("…的民事法律行为无效。").
	final bool
	// skip: sentences the category must not use, because a distractor
	// would make them true as well.
	skip *regexp.Regexp
}

var categories = []category{
	{name: "organ", law: "宪法", terms: []string{"全国人民代表大会", "全国人民代表大会常务委员会", "国务院", "中央军事委员会", "国家监察委员会", "最高人民法院", "最高人民检察院"},
		skip: regexp.MustCompile(`由法律规定|每届任期|负责并报告工作|负责。|不适当|提议|提名|提请|备案|批准|组织和工作`)},
	{name: "age", terms: []string{"八周岁", "十周岁", "十二周岁", "十四周岁", "十六周岁", "十八周岁", "四十周岁", "四十五周岁", "五十周岁"}},
	{name: "period", terms: []string{"一年", "二年", "三年", "四年", "五年", "六年", "十年", "二十年"}, skip: regexp.MustCompile(`限制`)},
	{name: "days", law: "民法典", terms: []string{"十五日", "三十日", "六十日", "九十日"}},
	{name: "months", law: "民法典", terms: []string{"一个月", "三个月", "六个月", "九个月"}},
	{name: "fraction", law: "宪法", terms: []string{"三分之二以上", "四分之三以上", "五分之一以上", "十分之一以上", "二分之一以上"}},
	{name: "terms", law: "宪法", terms: []string{"一届", "两届", "三届", "四届"}},
	{name: "supreme", law: "宪法", terms: []string{"最高国家权力机关", "最高国家行政机关", "最高审判机关", "最高检察机关", "最高监察机关"}},
	{name: "nature", law: "宪法", terms: []string{"国家的审判机关", "国家的法律监督机关", "国家的监察机关", "国家的立法机关"}},
	{name: "ownership", law: "宪法", terms: []string{"国家所有", "集体所有", "个人所有", "单位所有"}},
	{name: "effect", law: "民法典", terms: []string{"相对人知道其内容时", "到达相对人时", "表示完成时", "公告发布时"}},
	{name: "legal-person", law: "民法典", terms: []string{"营利法人", "非营利法人", "特别法人", "非法人组织"}, final: true},
	{name: "principle", law: "民法典", terms: []string{"自愿原则", "公平原则", "诚信原则", "平等原则"}},
	{name: "liability", law: "民法典", terms: []string{"按份责任", "连带责任", "补充责任", "无限责任"}},
	{name: "validity", law: "民法典", terms: []string{"无效", "有效", "可撤销", "效力待定"}, final: true,
		skip: regexp.MustCompile(`不得|主张`)},
}

// Key terms a blank may take out, most important first.
var fillTerms = map[string][]string{
	"宪法": {
		"人民民主专政", "社会主义制度", "民主集中制", "依法治国", "社会主义法治国家", "社会主义公有制", "各尽所能、按劳分配",
		"公有制为主体、多种所有制经济共同发展", "按劳分配为主体、多种分配方式并存", "主导力量", "家庭承包经营",
		"神圣不可侵犯", "社会主义市场经济", "普通话", "社会主义核心价值观", "宪法宣誓", "计划生育", "特别行政区",
		"国籍", "人权", "十八周岁", "四十五周岁", "宗教信仰自由", "人身自由", "人格尊严", "住宅", "通信自由和通信秘密",
		"男女同工同酬", "纳税", "光荣义务", "神圣职责", "最高国家权力机关", "最高国家行政机关", "国家立法权",
		"中央人民政府", "总理负责制", "主席负责制", "基层群众性自治组织", "自治条例和单行条例", "国家的监察机关",
		"国家的审判机关", "国家的法律监督机关", "最高审判机关", "最高检察机关", "最高监察机关", "五星红旗",
		"义勇军进行曲", "北京", "天安门", "谷穗和齿轮", "两届", "五年", "三分之二以上", "五分之一以上", "过半数",
		"区域自治", "审计监督权", "审计机关", "公开进行", "辩护", "翻译", "分工负责", "国家所有", "集体所有",
		"全民所有制", "劳动群众集体所有制", "非公有制经济", "私有财产权和继承权", "社会保障制度", "社会主义精神文明",
		"选民直接选举", "选举权和被选举权", "言论、出版、集会、结社、游行、示威", "质询案", "调查委员会", "主席团",
		"委员长会议", "国务院常务会议", "特赦", "紧急状态", "受庇护的权利", "民族自治地方", "自治机关", "自治权",
		"公共利益", "征收或者征用", "义务教育", "名胜古迹", "官僚主义", "叛国", "职工代表大会", "民主管理",
		"国家秘密", "劳动模范", "休息", "退休制度", "物质帮助", "受教育", "残废军人", "赡养扶助", "华侨", "归侨和侨眷",
		"人民调解", "审判权", "检察权", "监察权", "国家统一", "民族团结", "兵役", "法律监督",
	},
	"民法典": {
		"社会主义核心价值观", "平等主体", "人身关系和财产关系", "自愿原则", "公平原则", "诚信原则", "公序良俗",
		"节约资源、保护生态环境", "习惯", "民事权利能力", "出生证明、死亡证明", "胎儿", "死体", "十八周岁", "十六周岁",
		"八周岁", "完全民事行为能力人", "限制民事行为能力人", "无民事行为能力人", "纯获利益", "法定代理人", "住所",
		"遗嘱", "真实意愿", "民政部门", "书面形式", "临时生活照料措施", "二年", "四年", "失去音讯", "财产代管人",
		"意外事件", "个体工商户", "字号", "农村承包经营户", "家庭财产", "全部财产", "法定代表人", "善意相对人",
		"主要办事机构所在地", "清算义务人", "清算组", "分支机构", "营利法人", "非营利法人", "营业执照", "法人章程",
		"商业道德", "公益目的", "事业单位", "社会团体", "捐助法人", "特别法人", "机关法人", "非法人组织", "无限责任",
		"个人信息", "物权", "债权", "知识产权", "继承权", "数据、网络虚拟财产", "意思表示", "公告发布时", "明示或者默示",
		"重大误解", "欺诈", "胁迫", "显失公平", "恶意串通", "折价补偿", "委托代理和法定代理", "授权委托书",
		"按份责任", "连带责任", "不可抗力", "正当防卫", "紧急避险", "紧急救助", "违约责任或者侵权责任", "三年",
		"二十年", "性侵害", "六个月", "仲裁时效", "公历", "二十四时", "法定休假日", "月末日", "自始", "人格尊严",
		"婚姻关系", "监护职责", "人民法院", "仲裁机构", "追认", "撤销权", "三十日", "九十日", "惩罚性赔偿",
		"受益人", "适当补偿", "股权", "诉讼时效",
	},
}

// compounds are words that contain a term but are not it: a blank or a
// choice never cuts them.
var compounds = []string{
	"全国人民代表大会代表", "全国人民代表大会会议", "全国人民代表大会常务委员会委员长", "全国人民代表大会常务委员会组成人员",
	"中央军事委员会主席", "国家监察委员会主任", "最高人民法院院长", "最高人民检察院检察长", "国务院总理", "国务院各部",
	"中华人民共和国主席", "人民代表大会", "地方各级人民代表大会", "人民法院", "人民检察院", "最高国家权力机关的执行机关",
	"国家行政机关", "无民事行为能力或者", "限制民事行为能力的", "未成年人", "成年人", "有效身份登记", "二十四时",
	"不满十八周岁", "国家所有制", "社会主义公有制经济", "监察机关", "审判机关", "检察机关", "非公有制经济",
	"个体经济", "国家的和集体的", "人民团体", "无效的或者被撤销的", "国务院全体会议", "连带责任人",
	"民族区域自治法", "住所地", "社会团体法人", "事业单位法人", "紧急避险人", "正当防卫人",
}

// tokens splits s by greedy longest match over every known word and
// returns the words found with their byte offsets.
type tok struct {
	word string
	at   int
}

var vocab []string

func initVocab() {
	seen := map[string]bool{}
	add := func(w string) {
		if !seen[w] {
			seen[w] = true
			vocab = append(vocab, w)
		}
	}
	for _, c := range categories {
		for _, t := range c.terms {
			add(t)
		}
	}
	for _, law := range []string{"宪法", "民法典"} {
		for _, t := range fillTerms[law] {
			add(t)
		}
	}
	for _, t := range compounds {
		add(t)
	}
	// Longest first, so the first match at a position is the longest.
	slices.SortStableFunc(vocab, func(a, b string) int { return len(b) - len(a) })
}

func tokens(s string) []tok {
	var out []tok
	for i := 0; i < len(s); {
		matched := ""
		for _, w := range vocab {
			if strings.HasPrefix(s[i:], w) {
				matched = w
				break
			}
		}
		if matched != "" {
			out = append(out, tok{matched, i})
			i += len(matched)
			continue
		}
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return out
}

// occurrences counts the tokens of s equal to w and returns the offset of
// the last.
func occurrences(ts []tok, w string) (n, at int) {
	for _, t := range ts {
		if t.word == w {
			n++
			at = t.at
		}
	}
	return n, at
}

// ---------------------------------------------------------------------
// True/false swaps: a phrase and what it is wrongly turned into. Only
// swaps that really change the meaning.

type swap struct {
	law, from, to string
}

var swaps = []swap{
	{"宪法", "一切权力属于人民", "一切权力属于公民"},
	{"宪法", "民主集中制", "三权分立"},
	{"宪法", "实行依法治国", "实行以德治国"},
	{"宪法", "是国民经济中的主导力量", "是国民经济中的补充力量"},
	{"宪法", "城市的土地属于国家所有", "城市的土地属于集体所有"},
	{"宪法", "也属于集体所有", "也属于国家所有"},
	{"宪法", "私有财产不受侵犯", "私有财产神圣不可侵犯"},
	{"宪法", "国家实行社会主义市场经济", "国家实行社会主义计划经济"},
	{"宪法", "十八周岁", "十六周岁"},
	{"宪法", "四十五周岁", "四十周岁"},
	{"宪法", "每届任期五年", "每届任期四年"},
	{"宪法", "三分之二以上", "二分之一以上"},
	{"宪法", "五分之一以上", "十分之一以上"},
	{"宪法", "以全体代表的过半数通过", "以全体代表的三分之二以上的多数通过"},
	{"宪法", "不得超过两届", "不得超过一届"},
	{"宪法", "会议每年举行一次", "会议每年举行两次"},
	{"宪法", "全国人民代表大会和全国人民代表大会常务委员会行使国家立法权", "国务院和全国人民代表大会常务委员会行使国家立法权"},
	{"宪法", "全国人民代表大会是最高国家权力机关", "全国人民代表大会是最高国家行政机关"},
	{"宪法", "副主席由全国人民代表大会选举", "副主席由全国人民代表大会常务委员会选举"},
	{"宪法", "国务院实行总理负责制", "国务院实行集体负责制"},
	{"宪法", "中央军事委员会实行主席负责制", "中央军事委员会实行集体负责制"},
	{"宪法", "中央军事委员会领导全国武装力量", "国务院领导全国武装力量"},
	{"宪法", "是地方国家权力机关", "是地方国家行政机关"},
	{"宪法", "县级以上的地方各级人民代表大会设立常务委员会", "乡级以上的地方各级人民代表大会设立常务委员会"},
	{"宪法", "是基层群众性自治组织", "是基层国家政权机关"},
	{"宪法", "是国家的审判机关", "是国家的法律监督机关"},
	{"宪法", "是国家的法律监督机关", "是国家的审判机关"},
	{"宪法", "是国家的监察机关", "是国家的审判机关"},
	{"宪法", "是最高审判机关", "是最高检察机关"},
	{"宪法", "是最高检察机关", "是最高审判机关"},
	{"宪法", "最高人民法院监督地方各级人民法院", "最高人民法院领导地方各级人民法院"},
	{"宪法", "上级人民检察院领导下级人民检察院", "上级人民检察院监督下级人民检察院"},
	{"宪法", "上级监察委员会领导下级监察委员会", "上级监察委员会监督下级监察委员会"},
	{"宪法", "一律公开进行", "一律不公开进行"},
	{"宪法", "不受行政机关、社会团体和个人的干涉", "不受任何国家机关、社会团体和个人的干涉"},
	{"宪法", "并由公安机关执行", "并由人民检察院执行"},
	{"宪法", "是中华人民共和国公民的光荣义务", "是中华人民共和国公民的神圣职责"},
	{"宪法", "是中华人民共和国每一个公民的神圣职责", "是中华人民共和国每一个公民的光荣义务"},
	{"宪法", "中华人民共和国国旗是五星红旗", "中华人民共和国国旗是镰刀锤头旗"},
	{"宪法", "中间是五星照耀下的天安门", "中间是五星照耀下的人民英雄纪念碑"},
	{"宪法", "中华人民共和国首都是北京", "中华人民共和国首都是南京"},
	{"宪法", "国歌是《义勇军进行曲》", "国歌是《歌唱祖国》"},
	{"宪法", "由选民直接选举", "由上一级的人民代表大会选举"},
	{"宪法", "男女同工同酬", "男女同工不同酬"},
	{"宪法", "国家推广全国通用的普通话", "国家推广全国通用的汉语方言"},
	{"民法典", "八周岁以上的未成年人为限制民事行为能力人", "六周岁以上的未成年人为限制民事行为能力人"},
	{"民法典", "不满八周岁的未成年人为无民事行为能力人", "不满十周岁的未成年人为无民事行为能力人"},
	{"民法典", "十八周岁以上的自然人为成年人", "十六周岁以上的自然人为成年人"},
	{"民法典", "十六周岁以上的未成年人", "十四周岁以上的未成年人"},
	{"民法典", "不能辨认自己行为的成年人为无民事行为能力人", "不能辨认自己行为的成年人为限制民事行为能力人"},
	{"民法典", "不能完全辨认自己行为的成年人为限制民事行为能力人", "不能完全辨认自己行为的成年人为无民事行为能力人"},
	{"民法典", "自然人的民事权利能力一律平等", "自然人的民事行为能力一律平等"},
	{"民法典", "胎儿视为具有民事权利能力", "胎儿视为不具有民事权利能力"},
	{"民法典", "应当遵循自愿原则", "应当遵循公平原则"},
	{"民法典", "应当遵循公平原则", "应当遵循诚信原则"},
	{"民法典", "应当遵循诚信原则", "应当遵循自愿原则"},
	{"民法典", "可以适用习惯", "可以适用国家政策"},
	{"民法典", "下落不明满二年的", "下落不明满一年的"},
	{"民法典", "监护人由民政部门担任", "监护人由人民法院担任"},
	{"民法典", "以书面形式确定自己的监护人", "以口头形式确定自己的监护人"},
	{"民法典", "自死亡宣告之日起消除", "自死亡宣告被撤销之日起消除"},
	{"民法典", "法人以其全部财产独立承担民事责任", "法人以其出资人的全部财产承担民事责任"},
	{"民法典", "不得对抗善意相对人", "可以对抗善意相对人"},
	{"民法典", "承担无限责任", "承担有限责任"},
	{"民法典", "无民事行为能力人实施的民事法律行为无效", "无民事行为能力人实施的民事法律行为效力待定"},
	{"民法典", "以虚假的意思表示实施的民事法律行为无效", "以虚假的意思表示实施的民事法律行为可撤销"},
	{"民法典", "违背公序良俗的民事法律行为无效", "违背公序良俗的民事法律行为有效"},
	{"民法典", "自始没有法律约束力", "自被撤销之日起没有法律约束力"},
	{"民法典", "公告发布时生效", "公告发布后三十日生效"},
	{"民法典", "因正当防卫造成损害的，不承担民事责任", "因正当防卫造成损害的，应当承担民事责任"},
	{"民法典", "救助人不承担民事责任", "救助人应当承担民事责任"},
	{"民法典", "诉讼时效期间为三年", "诉讼时效期间为二年"},
	{"民法典", "超过二十年的", "超过十年的"},
	{"民法典", "人民法院不得主动适用诉讼时效的规定", "人民法院应当主动适用诉讼时效的规定"},
	{"民法典", "当事人对诉讼时效利益的预先放弃无效", "当事人对诉讼时效利益的预先放弃有效"},
	{"民法典", "自受害人年满十八周岁之日起计算", "自受害人年满十六周岁之日起计算"},
	{"民法典", "开始的当日不计入，自下一日开始计算", "开始的当日计入，自当日开始计算"},
	{"民法典", "截止时间为二十四时", "截止时间为十八时"},
	{"民法典", "按照公历年、月、日、小时计算", "按照农历年、月、日、小时计算"},
	{"民法典", "应当共同行使代理权", "可以各自单独行使代理权"},
	{"民法典", "营利法人经依法登记成立", "营利法人经主管机关批准成立"},
	{"民法典", "不可抗力是不能预见、不能避免且不能克服的客观情况", "不可抗力是不能预见、不能避免或者不能克服的客观情况"},
	{"民法典", "由引起险情发生的人承担民事责任", "由紧急避险人承担民事责任"},
	{"民法典", "自然人的个人信息受法律保护", "自然人的个人信息不受法律保护"},
	{"民法典", "依法成立的合同，对当事人具有法律约束力", "依法成立的合同，对当事人不具有法律约束力"},
}

// ---------------------------------------------------------------------
// Multiple choice: what an article enumerates.

type enumFact struct {
	law   string
	num   int
	stem  string
	quote string // a part of the article to quote; "" for all of it
	right []string
	wrong []string
	// extra cites further articles whose text the right items come from.
	extra []int
	// inText allows distractors the article holds in another role (法人's
	// 名称权 beside a natural person's rights; a later order of guardians).
	inText bool
}

var enumFacts = []enumFact{
	{law: "宪法", num: 35, stem: "根据《宪法》规定，中华人民共和国公民有（ ）的自由。",
		right: []string{"言论", "出版", "集会", "结社", "游行", "示威"}, wrong: []string{"罢工", "迁徙"}},
	{law: "宪法", num: 34, stem: "根据《宪法》规定，中华人民共和国年满十八周岁的公民，都有选举权和被选举权，不分（ ）。",
		right: []string{"民族、种族", "性别、职业", "家庭出身、宗教信仰", "教育程度、财产状况", "居住期限"}, wrong: []string{"是否被依法剥夺政治权利"}},
	{law: "宪法", num: 9, stem: "根据《宪法》规定，下列属于国家所有的自然资源有（ ）。",
		quote: "矿藏、水流、森林、山岭、草原、荒地、滩涂等自然资源，都属于国家所有，即全民所有；由法律规定属于集体所有的森林和山岭、草原、荒地、滩涂除外。",
		right: []string{"矿藏", "水流"}, wrong: []string{"宅基地", "自留地", "自留山"}},
	{law: "宪法", num: 62, stem: "根据《宪法》规定，下列属于全国人民代表大会职权的有（ ）。",
		right: []string{"修改宪法", "选举国家监察委员会主任", "决定特别行政区的设立及其制度", "决定战争和和平的问题", "批准省、自治区和直辖市的建置", "选举最高人民法院院长"},
		wrong: []string{"解释宪法", "解释法律", "决定特赦", "决定驻外全权代表的任免"}},
	{law: "宪法", num: 67, stem: "根据《宪法》规定，下列属于全国人民代表大会常务委员会职权的有（ ）。",
		right: []string{"解释宪法", "解释法律", "决定特赦", "决定驻外全权代表的任免", "决定全国总动员或者局部动员"},
		wrong: []string{"修改宪法", "选举最高人民法院院长", "决定特别行政区的设立及其制度", "批准省、自治区和直辖市的建置"}},
	{law: "宪法", num: 89, stem: "根据《宪法》规定，下列属于国务院职权的有（ ）。",
		right: []string{"制定行政法规", "编制和执行国民经济和社会发展计划和国家预算", "领导和管理国防建设事业", "管理对外事务，同外国缔结条约和协定"},
		wrong: []string{"制定和修改基本法律", "解释法律", "决定特赦"}},
	{law: "宪法", num: 80, stem: "根据《宪法》规定，中华人民共和国主席根据全国人民代表大会的决定和全国人民代表大会常务委员会的决定，可以（ ）。",
		right: []string{"公布法律", "发布特赦令", "宣布战争状态", "发布动员令", "宣布进入紧急状态"},
		wrong: []string{"解释法律", "制定行政法规"}},
	{law: "宪法", num: 70, stem: "根据《宪法》规定，全国人民代表大会设立的专门委员会有（ ）。",
		right: []string{"民族委员会", "宪法和法律委员会", "财政经济委员会", "教育科学文化卫生委员会", "外事委员会", "华侨委员会"},
		wrong: []string{"法制工作委员会", "预算工作委员会"}},
	{law: "宪法", num: 86, stem: "根据《宪法》规定，国务院由下列哪些人员组成（ ）。",
		right: []string{"总理", "国务委员若干人", "各部部长", "审计长"}, wrong: []string{"委员长", "最高人民法院院长"}},
	{law: "宪法", num: 65, stem: "根据《宪法》规定，全国人民代表大会常务委员会由下列哪些人员组成（ ）。",
		right: []string{"委员长", "副委员长若干人", "秘书长", "委员若干人"}, wrong: []string{"总理", "国务委员若干人", "审计长"}},
	{law: "宪法", num: 53, stem: "根据《宪法》规定，中华人民共和国公民必须（ ）。",
		right: []string{"遵守宪法和法律", "保守国家秘密", "爱护公共财产", "遵守劳动纪律", "遵守公共秩序", "尊重社会公德"},
		wrong: []string{"信仰宗教", "加入人民团体"}},
	{law: "宪法", num: 111, stem: "根据《宪法》规定，居民委员会、村民委员会设（ ）等委员会。",
		right: []string{"人民调解", "治安保卫", "公共卫生"}, wrong: []string{"行政复议", "劳动仲裁"},
		quote: "居民委员会、村民委员会设人民调解、治安保卫、公共卫生等委员会，办理本居住地区的公共事务和公益事业，调解民间纠纷，协助维护社会治安，并且向人民政府反映群众的意见、要求和提出建议。"},
	{law: "民法典", num: 110, stem: "根据《民法典》规定，自然人享有的权利有（ ）。",
		quote: "自然人享有生命权、身体权、健康权、姓名权、肖像权、名誉权、荣誉权、隐私权、婚姻自主权等权利。",
		right: []string{"生命权", "身体权", "健康权", "姓名权", "肖像权", "名誉权", "荣誉权", "隐私权", "婚姻自主权"}, wrong: []string{"名称权"}, inText: true},
	{law: "民法典", num: 110, stem: "根据《民法典》规定，法人、非法人组织享有的权利有（ ）。",
		quote: "法人、非法人组织享有名称权、名誉权和荣誉权。",
		right: []string{"名称权", "名誉权", "荣誉权"}, wrong: []string{"肖像权", "生命权", "婚姻自主权"}, inText: true},
	{law: "民法典", num: 179, stem: "根据《民法典》规定，下列属于承担民事责任的方式的有（ ）。",
		right: []string{"停止侵害", "排除妨碍", "消除危险", "返还财产", "恢复原状", "赔偿损失", "支付违约金", "赔礼道歉"},
		wrong: []string{"罚款", "行政拘留", "没收违法所得"}},
	{law: "民法典", num: 123, stem: "根据《民法典》规定，下列属于知识产权客体的有（ ）。",
		right: []string{"作品", "商标", "地理标志", "商业秘密", "集成电路布图设计", "植物新品种"},
		wrong: []string{"个人信息", "网络虚拟财产"}},
	{law: "民法典", num: 87, stem: "根据《民法典》规定，下列属于非营利法人的有（ ）。",
		right: []string{"事业单位", "社会团体", "基金会", "社会服务机构"}, wrong: []string{"有限责任公司", "股份有限公司"}},
	{law: "民法典", num: 76, stem: "根据《民法典》规定，下列属于营利法人的有（ ）。",
		right: []string{"有限责任公司", "股份有限公司"}, wrong: []string{"事业单位", "基金会", "社会团体"}},
	{law: "民法典", num: 96, stem: "根据《民法典》规定，下列属于特别法人的有（ ）。",
		right: []string{"机关法人", "农村集体经济组织法人", "城镇农村的合作经济组织法人", "基层群众性自治组织法人"},
		wrong: []string{"事业单位法人", "有限责任公司"}},
	{law: "民法典", num: 102, stem: "根据《民法典》规定，下列属于非法人组织的有（ ）。",
		right: []string{"个人独资企业", "合伙企业", "不具有法人资格的专业服务机构"}, wrong: []string{"有限责任公司", "基金会"}},
	{law: "民法典", num: 195, stem: "根据《民法典》规定，下列情形中，导致诉讼时效中断的有（ ）。",
		right: []string{"权利人向义务人提出履行请求", "义务人同意履行义务", "权利人提起诉讼或者申请仲裁"},
		wrong: []string{"不可抗力", "权利人被义务人或者其他人控制"}},
	{law: "民法典", num: 194, stem: "根据《民法典》规定，在诉讼时效期间的最后六个月内，因下列哪些障碍不能行使请求权的，诉讼时效中止（ ）。",
		right: []string{"不可抗力", "权利人被义务人或者其他人控制", "继承开始后未确定继承人或者遗产管理人"},
		wrong: []string{"权利人提起诉讼或者申请仲裁", "义务人同意履行义务"}},
	{law: "民法典", num: 196, stem: "根据《民法典》规定，下列请求权中，不适用诉讼时效规定的有（ ）。",
		right: []string{"请求停止侵害、排除妨碍、消除危险", "不动产物权和登记的动产物权的权利人请求返还财产", "请求支付抚养费、赡养费或者扶养费"},
		wrong: []string{"请求支付违约金", "请求赔偿损失"}},
	{law: "民法典", num: 143, stem: "根据《民法典》规定，民事法律行为有效应当具备的条件有（ ）。",
		right: []string{"行为人具有相应的民事行为能力", "意思表示真实", "不违反法律、行政法规的强制性规定，不违背公序良俗"},
		wrong: []string{"采用书面形式", "经公证机关公证"}},
	{law: "民法典", num: 39, stem: "根据《民法典》规定，下列情形中，监护关系终止的有（ ）。",
		right: []string{"被监护人取得或者恢复完全民事行为能力", "监护人丧失监护能力", "被监护人或者监护人死亡"},
		wrong: []string{"监护人变更住所", "监护人再婚"}},
	{law: "民法典", num: 5, stem: "根据《民法典》规定，民事主体从事民事活动，应当遵循的原则有（ ）。",
		quote: "民事主体从事民事活动，应当遵循自愿原则，按照自己的意思设立、变更、终止民事法律关系。",
		right: []string{"自愿原则", "公平原则", "诚信原则"}, wrong: []string{"等价有偿原则", "从旧兼从轻原则"}, extra: []int{6, 7}},
	{law: "民法典", num: 28, stem: "根据《民法典》规定，无民事行为能力或者限制民事行为能力的成年人，由下列有监护能力的人按顺序担任监护人，其中排在第一、二顺序的有（ ）。",
		right: []string{"配偶", "父母、子女"}, wrong: []string{"其他近亲属", "兄、姐", "祖父母、外祖父母"}, inText: true},
}

// Citizens' basic rights and duties (宪法 第二章), each tied to its
// article. 劳动 and 受教育 are both, and appear in neither list.
type item struct {
	text   string
	num    int
	anchor string // the text the article's quoted sentence contains
}

var rights = []item{
	{"选举权和被选举权", 34, "选举权和被选举权"},
	{"言论、出版、集会、结社、游行、示威的自由", 35, "言论、出版"},
	{"宗教信仰自由", 36, "宗教信仰自由"},
	{"人身自由不受侵犯", 37, "人身自由不受侵犯"},
	{"人格尊严不受侵犯", 38, "人格尊严不受侵犯"},
	{"住宅不受侵犯", 39, "住宅不受侵犯"},
	{"通信自由和通信秘密受法律的保护", 40, "通信自由和通信秘密受法律的保护"},
	{"对国家机关和国家工作人员提出批评和建议的权利", 41, "提出批评和建议的权利"},
	{"劳动者休息的权利", 43, "休息的权利"},
	{"年老、疾病时从国家和社会获得物质帮助的权利", 45, "获得物质帮助的权利"},
	{"进行科学研究、文学艺术创作和其他文化活动的自由", 47, "科学研究"},
}

var duties = []item{
	{"维护国家统一和全国各民族团结", 52, "维护国家统一"},
	{"保守国家秘密", 53, "保守国家秘密"},
	{"遵守公共秩序", 53, "遵守公共秩序"},
	{"维护祖国的安全、荣誉和利益", 54, "维护祖国的安全"},
	{"依照法律服兵役", 55, "服兵役"},
	{"依照法律纳税", 56, "纳税"},
}

// ---------------------------------------------------------------------
// Questions

type question struct {
	kind     int // index into plan
	stem     string
	options  []string
	answer   string // letters, √/×, or the blank's text
	analysis string
	law      string
	from     string // which generator made it, for the summary
}

// quote is an article's citation with a quoted sentence.
func quote(a *article, s string) string {
	s = strings.TrimSpace(s)
	if !strings.Contains(a.text(), strings.TrimSuffix(s, "。")) {
		log.Fatalf("quote not in %s%s: %s", a.law, a.label, s)
	}
	if !strings.HasSuffix(s, "。") && !strings.HasSuffix(s, "；") {
		s += "。"
	}
	return a.cite() + "：“" + s + "”"
}

const letters = "ABCDEFGH"

func lettersOf(idx []int) string {
	slices.Sort(idx)
	var b strings.Builder
	for _, i := range idx {
		b.WriteByte(letters[i])
	}
	return b.String()
}

type gen struct {
	rng   *rand.Rand
	laws  map[string]*law
	used  map[*sentence]bool
	cands [][]*question // per plan section
	// blanked counts the fill-in questions per answer.
	blanked map[string]int
}

func (g *gen) add(kind int, q *question) {
	q.kind = kind
	g.cands[kind] = append(g.cands[kind], q)
}

// singleArticle: "《宪法》规定“…”的条文是（ ）", four article labels.
func (g *gen) singleArticle(l *law, s *sentence) *question {
	// Four consecutive articles, the answer at a random place among them.
	n := s.a.num
	first := n - g.rng.IntN(4)
	first = max(1, min(first, len(l.articles)-3))
	var opts []int
	for m := first; m < first+4; m++ {
		opts = append(opts, m)
	}
	slices.Sort(opts)
	q := &question{law: l.name, from: "条文出处"}
	q.stem = fmt.Sprintf("《%s》规定“%s”的条文是（ ）。", l.name, strings.TrimSuffix(s.text, "。"))
	for i, m := range opts {
		q.options = append(q.options, l.byNum[m].label)
		if m == n {
			q.answer = letters[i : i+1]
		}
	}
	q.analysis = quote(s.a, s.text) + "故选" + q.answer + "。"
	return q
}

// singleTerm: a sentence with one term of a category taken out.
func (g *gen) singleTerm(l *law, s *sentence) *question {
	ts := tokens(s.text)
	for _, ci := range g.rng.Perm(len(categories)) {
		c := categories[ci]
		if c.law != "" && c.law != l.name {
			continue
		}
		if c.skip != nil && c.skip.MatchString(s.text) {
			continue
		}
		var found []string
		for _, t := range c.terms {
			if n, _ := occurrences(ts, t); n > 0 {
				found = append(found, t)
			}
		}
		if len(found) != 1 {
			continue
		}
		term := found[0]
		if n, _ := occurrences(ts, term); n != 1 {
			continue
		}
		_, at := occurrences(ts, term)
		if c.final && !strings.HasPrefix(s.text[at+len(term):], "。") {
			continue
		}
		if at == 0 && strings.HasPrefix(s.text[len(term):], "，") {
			continue // "（ ），由法律规定…" is too bare a stem
		}
		var others []string
		for _, t := range c.terms {
			if t == term {
				continue
			}
			alt := s.text[:at] + t + s.text[at+len(term):]
			if strings.Contains(g.laws[l.name].full, strings.TrimSuffix(alt, "。")) {
				others = nil // a distractor the law also says
				break
			}
			others = append(others, t)
		}
		if len(others) < 3 {
			continue
		}
		g.rng.Shuffle(len(others), func(i, j int) { others[i], others[j] = others[j], others[i] })
		opts := append([]string{term}, others[:3]...)
		g.rng.Shuffle(len(opts), func(i, j int) { opts[i], opts[j] = opts[j], opts[i] })
		q := &question{law: l.name, from: "选词:" + c.name}
		q.stem = fmt.Sprintf("根据《%s》规定，%s", l.name, s.text[:at]+"（ ）"+s.text[at+len(term):])
		q.options = opts
		q.answer = letters[slices.Index(opts, term) : slices.Index(opts, term)+1]
		q.analysis = quote(s.a, s.text) + "故选" + q.answer + "。"
		return q
	}
	return nil
}

// judgeTrue: the sentence verbatim.
func (g *gen) judgeTrue(l *law, s *sentence) *question {
	return &question{law: l.name, from: "判断:原文",
		stem:     fmt.Sprintf("根据《%s》规定，%s（ ）", l.name, s.text),
		answer:   "√",
		analysis: quote(s.a, s.text) + "题干表述与条文一致，说法正确。"}
}

// judgeFalse: the sentence with one swap.
func (g *gen) judgeFalse(l *law, s *sentence, sw swap) *question {
	if strings.Count(s.text, sw.from) != 1 || strings.Contains(s.text, sw.to) {
		return nil
	}
	at := strings.Index(s.text, sw.from)
	if r, _ := utf8.DecodeLastRuneInString(s.text[:at]); at > 0 && strings.ContainsRune("零一二三四五六七八九十百两", r) {
		if f, _ := utf8.DecodeRuneInString(sw.from); strings.ContainsRune("零一二三四五六七八九十百两", f) {
			return nil // "八周岁" inside "十八周岁"
		}
	}
	wrong := s.text[:at] + sw.to + s.text[at+len(sw.from):]
	if strings.Contains(l.full, strings.TrimSuffix(wrong, "。")) {
		log.Fatalf("swap %q→%q gives a sentence the law says: %s", sw.from, sw.to, wrong)
	}
	return &question{law: l.name, from: "判断:改写",
		stem:     fmt.Sprintf("根据《%s》规定，%s（ ）", l.name, wrong),
		answer:   "×",
		analysis: quote(s.a, s.text) + fmt.Sprintf("题干将“%s”改为“%s”，说法错误。", sw.from, sw.to)}
}

// noLead are terms too general to blank at the head of a sentence: "（ ）
// 应当依照法律的规定登记" would fit more than one answer.
var noLead = []string{"营利法人", "非营利法人", "非法人组织", "人民法院", "捐助法人", "特别法人", "法定代理人"}

// fill: one key term taken out.
func (g *gen) fill(l *law, s *sentence) *question {
	if strings.Contains(s.text, "依法享有") {
		return nil // "自然人依法享有（ ）" has many answers
	}
	ts := tokens(s.text)
	for _, t := range fillTerms[l.name] {
		n, at := occurrences(ts, t)
		if n != 1 {
			continue
		}
		if utf8.RuneCountInString(t) >= utf8.RuneCountInString(s.text)/2 {
			continue
		}
		if at == 0 && slices.Contains(noLead, t) {
			continue
		}
		if g.blanked[t] >= 2 {
			continue // spread the blanks over many terms
		}
		// Another key term the law also puts in this place makes the
		// blank ambiguous ("设立（ ）应当依法制定法人章程").
		ambiguous := false
		for _, u := range fillTerms[l.name] {
			alt := s.text[:at] + u + s.text[at+len(t):]
			if u != t && strings.Contains(l.full, strings.TrimSuffix(alt, "。")) {
				ambiguous = true
				break
			}
		}
		if ambiguous {
			continue
		}
		g.blanked[t]++
		return &question{law: l.name, from: "填空",
			stem:     fmt.Sprintf("《%s》规定：%s", l.name, s.text[:at]+"（ ）"+s.text[at+len(t):]),
			answer:   t,
			analysis: quote(s.a, s.text)}
	}
	return nil
}

// enum: items an article enumerates.
func (g *gen) enum(f enumFact, variant int) *question {
	l := g.laws[f.law]
	a := l.byNum[f.num]
	texts := []string{a.text()}
	for _, n := range f.extra {
		texts = append(texts, l.byNum[n].text())
	}
	all := strings.Join(texts, "")
	for _, r := range f.right {
		if !strings.Contains(all, r) {
			log.Fatalf("%s%s does not say %q", f.law, a.label, r)
		}
	}
	for _, w := range f.wrong {
		if strings.Contains(a.text(), w) && !f.inText {
			log.Fatalf("%s%s says distractor %q", f.law, a.label, w)
		}
	}
	if f.quote != "" && !strings.Contains(a.text(), f.quote) {
		log.Fatalf("%s%s: quote not found", f.law, a.label)
	}
	k := 2 + variant%2
	if len(f.right) < k {
		k = len(f.right)
	}
	if 4-k > len(f.wrong) {
		k = 4 - len(f.wrong)
	}
	if k < 2 || k > len(f.right) {
		return nil
	}
	right := slices.Clone(f.right)
	wrong := slices.Clone(f.wrong)
	g.rng.Shuffle(len(right), func(i, j int) { right[i], right[j] = right[j], right[i] })
	g.rng.Shuffle(len(wrong), func(i, j int) { wrong[i], wrong[j] = wrong[j], wrong[i] })
	opts := append(right[:k:k], wrong[:4-k]...)
	g.rng.Shuffle(len(opts), func(i, j int) { opts[i], opts[j] = opts[j], opts[i] })
	var idx []int
	for i, o := range opts {
		if slices.Contains(f.right, o) {
			idx = append(idx, i)
		}
	}
	q := &question{law: f.law, from: "多选:列举", stem: f.stem, options: opts, answer: lettersOf(idx)}
	switch {
	case f.quote != "":
		q.analysis = quote(a, f.quote)
	case utf8.RuneCountInString(a.text()) > 200:
		// A long list: its lead-in and the items the right options come
		// from, each verbatim, with the rest left out.
		var parts []string
		for _, p := range a.paras[1:] {
			if slices.ContainsFunc(idx, func(i int) bool { return strings.Contains(p, opts[i]) }) {
				parts = append(parts, p)
			}
		}
		if len(parts) == 0 {
			log.Fatalf("%s%s: no item holds the answers", f.law, a.label)
		}
		q.analysis = a.cite() + "：“" + a.paras[0] + "……" + strings.Join(parts, "……") + "……”"
	default:
		q.analysis = quote(a, a.text())
	}
	for _, n := range f.extra {
		b := l.byNum[n]
		q.analysis += quote(b, b.paras[0])
	}
	q.analysis += "故选" + q.answer + "。"
	return q
}

// rightsDuties: 第二章's rights against its duties.
func (g *gen) rightsDuties(wantRights bool, k int) *question {
	l := g.laws["宪法"]
	right, wrong := slices.Clone(rights), slices.Clone(duties)
	stem := "根据《宪法》规定，下列属于中华人民共和国公民基本权利的有（ ）。"
	if !wantRights {
		right, wrong = wrong, right
		stem = "根据《宪法》规定，下列属于中华人民共和国公民基本义务的有（ ）。"
	}
	g.rng.Shuffle(len(right), func(i, j int) { right[i], right[j] = right[j], right[i] })
	g.rng.Shuffle(len(wrong), func(i, j int) { wrong[i], wrong[j] = wrong[j], wrong[i] })
	picked := append(right[:k:k], wrong[:4-k]...)
	g.rng.Shuffle(len(picked), func(i, j int) { picked[i], picked[j] = picked[j], picked[i] })
	q := &question{law: "宪法", from: "多选:权利义务", stem: stem}
	var idx []int
	var cites []item
	for i, it := range picked {
		q.options = append(q.options, it.text)
		if i < 4 && slices.ContainsFunc(right[:k], func(r item) bool { return r.text == it.text }) {
			idx = append(idx, i)
			cites = append(cites, it)
		}
	}
	q.answer = lettersOf(idx)
	slices.SortStableFunc(cites, func(a, b item) int { return a.num - b.num })
	done := map[int]bool{}
	for _, it := range cites {
		if done[it.num] {
			continue
		}
		done[it.num] = true
		a := l.byNum[it.num]
		s := sentenceWith(a, it.anchor)
		q.analysis += quote(a, s)
	}
	q.analysis += "故选" + q.answer + "。"
	return q
}

// sentenceWith finds the sentence of a that holds anchor.
func sentenceWith(a *article, anchor string) string {
	for _, p := range a.paras {
		for _, s := range strings.SplitAfter(p, "。") {
			if strings.Contains(s, anchor) {
				return s
			}
		}
	}
	log.Fatalf("%s%s has no sentence with %q", a.law, a.label, anchor)
	return ""
}

// ---------------------------------------------------------------------
// Duplicate detection, as the importer does it: stem and option texts
// without punctuation and space, options in any order.

func key(q *question) string {
	norm := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
				continue
			}
			b.WriteRune(r)
		}
		return b.String()
	}
	opts := make([]string, len(q.options))
	for i, o := range q.options {
		opts[i] = norm(o)
	}
	slices.Sort(opts)
	return norm(q.stem) + "\x1f" + strings.Join(opts, "\x1f")
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("bank: ")
	initVocab()
	xf := readLaw("宪法", "xianfa.txt")
	mf := readLaw("民法典", "minfadian.txt")
	if len(xf.articles) != 143 {
		log.Fatalf("宪法 has %d articles, want 143", len(xf.articles))
	}
	g := &gen{
		rng:     rand.New(rand.NewPCG(20241204, 1982)),
		laws:    map[string]*law{"宪法": xf, "民法典": mf},
		used:    map[*sentence]bool{},
		blanked: map[string]int{},
		cands:   make([][]*question, len(plan)),
	}
	laws := []*law{xf, mf}

	// True/false with a swap come first: they need particular sentences.
	for _, sw := range swaps {
		l := g.laws[sw.law]
		hit := false
		for _, s := range l.sents {
			if g.used[s] {
				continue
			}
			if q := g.judgeFalse(l, s, sw); q != nil {
				g.used[s] = true
				g.add(2, q)
				hit = true
				break
			}
		}
		if !hit {
			log.Printf("note: swap %q→%q found no sentence", sw.from, sw.to)
		}
	}
	// Then the rest, over sentences in a fixed random order.
	var pool []*sentence
	for _, l := range laws {
		pool = append(pool, l.sents...)
	}
	order := g.rng.Perm(len(pool))
	for _, i := range order {
		s := pool[i]
		if g.used[s] {
			continue
		}
		l := g.laws[s.a.law]
		if q := g.singleTerm(l, s); q != nil {
			g.used[s] = true
			g.add(0, q)
		}
	}
	for _, i := range order {
		s := pool[i]
		if g.used[s] {
			continue
		}
		l := g.laws[s.a.law]
		if q := g.fill(l, s); q != nil {
			g.used[s] = true
			g.add(3, q)
		}
	}
	for _, i := range order {
		s := pool[i]
		if g.used[s] {
			continue
		}
		l := g.laws[s.a.law]
		// Alternate: which-article questions and verbatim statements.
		if i%2 == 0 {
			if q := g.singleArticle(l, s); q != nil {
				g.used[s] = true
				g.add(0, q)
			}
		} else if n := utf8.RuneCountInString(s.text); n >= 12 && n <= 80 {
			g.used[s] = true
			g.add(2, g.judgeTrue(l, s))
		}
	}
	for _, f := range enumFacts {
		for v := range 2 {
			if q := g.enum(f, v); q != nil {
				g.add(1, q)
			}
		}
	}
	for _, k := range []int{2, 3, 2, 3, 2, 3, 2, 3} {
		g.add(1, g.rightsDuties(true, k))
		g.add(1, g.rightsDuties(false, min(k, 3)))
	}

	// Pick each section's questions: drop duplicates, balance the two
	// laws and (for true/false) the two answers, shuffle.
	for si, sec := range plan {
		byFrom := map[string]int{}
		for _, q := range g.cands[si] {
			byFrom[q.law+" "+q.from]++
		}
		log.Printf("candidates %s: %d %v", sec.title, len(g.cands[si]), byFrom)
	}
	seen := map[string]bool{}
	var out strings.Builder
	out.WriteString("宪法与民法典（总则编）学习题库\n")
	out.WriteString("（演示数据：由 internal/demo/gen/bank.go 根据 xianfa.txt、minfadian.txt 生成，每题解析注明所依据的条文）\n\n")
	cn := []string{"一", "二", "三", "四"}
	stats := map[string]int{}
	for si, sec := range plan {
		var qs []*question
		for _, q := range g.cands[si] {
			k := key(q)
			if seen[k] {
				continue
			}
			seen[k] = true
			qs = append(qs, q)
		}
		qs = pick(g.rng, qs, sec.count, si == 2)
		if len(qs) < sec.count {
			log.Fatalf("%s: only %d candidates for %d questions", sec.title, len(qs), sec.count)
		}
		fmt.Fprintf(&out, "%s、%s（共%d题，每题%d分）\n", cn[si], sec.title, len(qs), sec.points)
		for n, q := range qs {
			stats[sec.title+" "+q.law+" "+q.from]++
			fmt.Fprintf(&out, "%d. %s\n", n+1, q.stem)
			for i, o := range q.options {
				fmt.Fprintf(&out, "%c. %s\n", letters[i], o)
			}
			fmt.Fprintf(&out, "答案：%s\n解析：%s\n\n", q.answer, q.analysis)
		}
	}
	path := filepath.Join(dataDir, "question-bank.txt")
	if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
		log.Fatal(err)
	}
	var keys []string
	for k := range stats {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		log.Printf("%-40s %d", k, stats[k])
	}
	log.Printf("wrote %s", path)
}

func priority(q *question) int {
	if q.from == "条文出处" {
		return 1
	}
	return 0
}

// pick chooses n of qs: about 60%% from the Constitution, and for
// true/false about as many true as false, then shuffles them.
func pick(rng *rand.Rand, qs []*question, n int, judge bool) []*question {
	group := func(q *question) string {
		g := q.law
		if judge {
			g += q.answer
		}
		return g
	}
	var groups []string
	by := map[string][]*question{}
	for _, q := range qs {
		k := group(q)
		if _, ok := by[k]; !ok {
			groups = append(groups, k)
		}
		by[k] = append(by[k], q)
	}
	slices.Sort(groups)
	for _, k := range groups {
		rng.Shuffle(len(by[k]), func(i, j int) { by[k][i], by[k][j] = by[k][j], by[k][i] })
		// A term to choose tests more than an article's number: those first.
		slices.SortStableFunc(by[k], func(a, b *question) int {
			return priority(a) - priority(b)
		})
	}
	share := func(k string) float64 {
		w := 0.4
		if strings.HasPrefix(k, "宪法") {
			w = 0.6
		}
		if judge {
			w /= 2
		}
		return w
	}
	var out []*question
	// Round robin by deficit: take from the group furthest below its share.
	taken := map[string]int{}
	for len(out) < n {
		best, bestDef := "", -1e9
		for _, k := range groups {
			if taken[k] >= len(by[k]) {
				continue
			}
			def := share(k)*float64(len(out)+1) - float64(taken[k])
			if def > bestDef {
				best, bestDef = k, def
			}
		}
		if best == "" {
			break
		}
		out = append(out, by[best][taken[best]])
		taken[best]++
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}
