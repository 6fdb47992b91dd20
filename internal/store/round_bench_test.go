package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/assess"
	"pufa/internal/crypt"
	"pufa/internal/org"
	"pufa/internal/store"
	"pufa/internal/store/storetest"
)

// The round benchmark's size and cache, from the environment.
const (
	// benchSubjectsEnv sets the number of subjects (default 5,000);
	// PUFA_BENCH_SUBJECTS=200 makes a quick check of the whole path.
	benchSubjectsEnv = "PUFA_BENCH_SUBJECTS"
	// benchRatersEnv sets the panel's raters per subject (default 20).
	benchRatersEnv = "PUFA_BENCH_RATERS"
	// benchCacheEnv set to 0 builds the SQLite fixture afresh in a
	// temporary directory instead of keeping it in os.TempDir for the
	// next run.
	benchCacheEnv = "PUFA_BENCH_CACHE"
)

// fixtureVersion names the fixture's layout in the cache file's name:
// change it whenever what buildRoundFixture writes changes.
const fixtureVersion = 1

// benchIndicators is the scheme's size: 4 level-1 × 4 level-2 × 5 level-3
// indicators, 100 in all (80 leaves). A submitted sheet stores a score for
// every indicator, parents included, so a sheet is 100 score rows.
const benchIndicators = 4 + 4*4 + 4*4*5

// benchVoters is the public votes each subject gets.
const benchVoters = 10

// roundFixture is a stored round and what regenerates its data: every
// sheet's inputs follow from Seed, the subject's position and the rater's.
type roundFixture struct {
	Version  int
	Subjects int
	Raters   int
	Seed     uint64
	SchemeID app.ID
	RoundID  app.ID
	// Built is how long building took, for the log.
	Built time.Duration
}

// Rows is the number of score rows the round holds.
func (f *roundFixture) Rows() int { return f.Subjects * f.Raters * benchIndicators }

// BenchmarkRoundAggregate aggregates a stored round of 5,000 subjects × 100
// indicators × 20 panel raters (10 million score rows) into totals, grades
// and ranks with assess.ComputeResults, on SQLite and, when
// PUFA_TEST_POSTGRES is set, on PostgreSQL. Building the fixture is not
// timed; see docs/BENCHMARKS.md.
func BenchmarkRoundAggregate(b *testing.B) {
	subjects, raters := envInt(b, benchSubjectsEnv, 5000), envInt(b, benchRatersEnv, 20)
	for _, d := range storetest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			var db *store.DB
			var fx *roundFixture
			if d == store.SQLite && os.Getenv(benchCacheEnv) != "0" {
				db, fx = cachedRoundFixture(b, subjects, raters)
			} else {
				db = storetest.Open(b, d, nil)
				fx = buildRoundFixture(b, db, subjects, raters)
			}
			benchComputeResults(b, db, fx)
		})
	}
}

// TestRoundAggregateFixture builds a small fixture the benchmark's way and
// checks ComputeResults on it, so the benchmark's code keeps working
// without anyone running it.
func TestRoundAggregateFixture(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			db := storetest.Open(t, d, nil)
			fx := buildRoundFixture(t, db, 12, 6)
			ctx := context.Background()
			sc, err := db.FindSchemeByID(ctx, fx.SchemeID)
			must(t, err)
			rd, err := db.FindRoundByID(ctx, fx.RoundID)
			must(t, err)
			results, err := assess.ComputeResults(ctx, db, sc.Scheme, rd, nil)
			must(t, err)
			checkRoundResults(t, fx, sc.Scheme, rd, results)
		})
	}
}

// benchComputeResults times ComputeResults on the fixture's round and
// reports rows per second and the peak heap while it ran.
func benchComputeResults(b *testing.B, db *store.DB, fx *roundFixture) {
	ctx := context.Background()
	sc, err := db.FindSchemeByID(ctx, fx.SchemeID)
	must(b, err)
	rd, err := db.FindRoundByID(ctx, fx.RoundID)
	must(b, err)
	b.Logf("fixture: %d subjects × %d indicators × %d raters = %d score rows, %d sheets; built in %v",
		fx.Subjects, benchIndicators, fx.Raters, fx.Rows(), fx.Subjects*fx.Raters, fx.Built.Round(time.Millisecond))

	runtime.GC()
	base := heapObjects()
	peak := watchHeap()
	var results []assess.SubjectResult
	b.ReportAllocs()
	for b.Loop() {
		results = nil // let the last run's results go before the next
		if results, err = assess.ComputeResults(ctx, db, sc.Scheme, rd, nil); err != nil {
			b.Fatal(err)
		}
	}
	top := peak()
	b.ReportMetric(float64(fx.Rows())*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(top)/(1<<20), "peak-heap-MB")
	b.Logf("heap: %.1f MiB before, peak %.1f MiB while aggregating", float64(base)/(1<<20), float64(top)/(1<<20))
	checkRoundResults(b, fx, sc.Scheme, rd, results)
}

// heapObjects is the bytes of heap objects, live or not yet swept.
func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// watchHeap samples the heap every millisecond until the returned function
// is called, which returns the highest figure seen.
func watchHeap() func() uint64 {
	done := make(chan struct{})
	var top uint64
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			top = max(top, heapObjects())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() uint64 {
		close(done)
		wg.Wait()
		return top
	}
}

func envInt(tb testing.TB, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		tb.Fatalf("%s=%q: want a positive number", name, v)
	}
	return n
}

// benchRoundScheme is the fixture's scheme: 4 level-1 indicators of 25
// points, each of 4 level-2 ones of 6.25, each of 5 leaves of 1.25 whose
// rules cycle through direct scoring, deduction, yes/no and tiers.
func benchRoundScheme() *assess.Scheme {
	s := &assess.Scheme{Name: "基准考评指标体系", Version: 1, FullMarks: 100}
	leaf := 0
	for i := range 4 {
		l1 := &assess.Indicator{Code: string(rune('A' + i)), Name: "一级指标", Max: 25}
		for j := range 4 {
			l2 := &assess.Indicator{Code: fmt.Sprintf("%s%d", l1.Code, j+1), Name: "二级指标", Max: 6.25}
			for k := range 5 {
				l3 := &assess.Indicator{Code: fmt.Sprintf("%s.%d", l2.Code, k+1), Name: "三级指标", Max: 1.25}
				switch leaf % 4 {
				case 0:
					l3.Rule = assess.Direct{Step: 0.05}
				case 1:
					l3.Rule = assess.Deduction{PerOccurrence: 0.25}
				case 2:
					l3.Rule = assess.YesNo{}
				case 3:
					l3.Rule = assess.Tiered{Levels: []assess.Tier{{Label: "完全达到", Points: 1.25}, {Label: "基本达到", Points: 0.75}, {Label: "未达到", Points: 0}}}
				}
				leaf++
				l2.Children = append(l2.Children, l3)
			}
			l1.Children = append(l1.Children, l2)
		}
		s.Roots = append(s.Roots, l1)
	}
	return s
}

// subjectQuality is how good subject i is, 0.55–1: the same for every rater.
func subjectQuality(seed uint64, i int) float64 {
	return 0.55 + 0.45*rand.New(rand.NewPCG(seed, uint64(i)<<32|0xffffffff)).Float64()
}

// benchSheet is rater r's sheet for subject i: each leaf scored around the
// subject's quality, shifted by the rater's leniency, with noise.
func benchSheet(s *assess.Scheme, seed uint64, i, r int) assess.Sheet {
	q := subjectQuality(seed, i)
	lenient := 0.16*rand.New(rand.NewPCG(seed, uint64(r)<<32|0xfffffffe)).Float64() - 0.08
	rng := rand.New(rand.NewPCG(seed, uint64(i)<<32|uint64(r)))
	sh := assess.Sheet{Values: make(map[string]assess.Input, 80)}
	s.Walk(func(ind, _ *assess.Indicator, _ int) {
		if ind.Rule == nil {
			return
		}
		p := min(max(q+lenient+0.12*rng.NormFloat64(), 0), 1)
		var in assess.Input
		switch ind.Rule.(type) {
		case assess.Direct:
			in.Points = math.Round(p*25) / 20 // 0–1.25 in steps of 0.05
		case assess.Deduction:
			in.Count = int(math.Round((1 - p) * 5))
		case assess.YesNo:
			in.Yes = rng.Float64() < p
		case assess.Tiered:
			switch {
			case p >= 0.8:
				in.Tier = "完全达到"
			case p >= 0.45:
				in.Tier = "基本达到"
			default:
				in.Tier = "未达到"
			}
		}
		sh.Values[ind.Code] = in
	})
	return sh
}

// buildRoundFixture stores a round the way the application would leave it
// once scoring is done: a published 100-indicator scheme; subjects as
// communities under subdistricts; a panel stage (weight 80, trimmed mean)
// where every rater scores every subject, and a public stage (weight 20)
// with benchVoters votes per subject; every sheet submitted. Scheme, orgs,
// users, round and assignments go through the store's methods; sheets,
// their score rows and the votes go in with LoadRaw, in the order the
// application writes them (a sheet and its 100 rows at a time), so the
// score table's B-tree has the page fill real submissions give it. Sheet
// totals and score rows come from assess.Score on the generated sheets.
func buildRoundFixture(tb testing.TB, db *store.DB, subjects, raters int) *roundFixture {
	tb.Helper()
	start := time.Now()
	ctx := context.Background()
	fx := &roundFixture{Version: fixtureVersion, Subjects: subjects, Raters: raters, Seed: 20231101}

	root := &org.Org{Kind: org.KindRegion, Name: "基准区", Code: "310104"}
	must(tb, db.CreateOrg(ctx, root))
	officer := &account.User{Login: "bench.office", Name: "普法办", OrgID: root.ID, Roles: []string{account.RoleOffice}, PasswordHash: "x"}
	must(tb, db.CreateUser(ctx, officer))
	office := app.WithActor(ctx, &app.Actor{UserID: officer.ID, Login: officer.Login, Roles: officer.Roles, OrgID: root.ID, OrgPath: root.Path})

	sc, err := db.CreateScheme(office, root.ID, 0, benchRoundScheme())
	must(tb, err)
	must(tb, db.PublishScheme(office, sc.ID))
	fx.SchemeID = sc.ID
	if sc, err = db.FindSchemeByID(ctx, sc.ID); err != nil {
		tb.Fatal(err)
	}
	s, codes := sc.Scheme, sc.Scheme.Codes()
	if len(codes) != benchIndicators {
		tb.Fatalf("scheme has %d indicators, want %d", len(codes), benchIndicators)
	}

	t0 := time.Now()
	var subs []assess.Subject
	var street *org.Org
	for i := range subjects {
		if i%900 == 0 {
			street = &org.Org{ParentID: root.ID, Kind: org.KindSubdistrict, Name: fmt.Sprintf("第%d街道", i/900+1), Code: fmt.Sprintf("310104%03d", i/900+1)}
			must(tb, db.CreateOrg(ctx, street))
		}
		o := &org.Org{ParentID: street.ID, Kind: org.KindCommunity, Name: fmt.Sprintf("第%d社区", i+1), Code: fmt.Sprintf("%s%03d", street.Code, i%900+1)}
		must(tb, db.CreateOrg(ctx, o))
		subs = append(subs, assess.Subject{OrgID: o.ID})
	}
	var reviewers []app.ID
	for r := range raters {
		u := &account.User{Login: fmt.Sprintf("bench.reviewer%d", r), Name: fmt.Sprintf("评议员%d", r), OrgID: root.ID, Roles: []string{account.RoleReviewer}, PasswordHash: "x"}
		must(tb, db.CreateUser(ctx, u))
		reviewers = append(reviewers, u.ID)
	}
	tOrgs := time.Since(t0)

	rd := &assess.Round{OrgID: root.ID, SchemeID: sc.ID, Title: "基准考评", Period: "2023年度", Subjects: subs,
		Stages: []*assess.RoundStage{
			{Stage: assess.Stage{Kind: assess.StagePanel, Weight: 80, MinRaters: min(5, raters), Combine: assess.TrimmedMean}},
			{Stage: assess.Stage{Kind: assess.StagePublic, Weight: 20, MinRaters: 3}, Public: assess.PublicSettings{Mode: assess.VoteByToken}},
		},
		Grading: assess.Grading{Ranked: true, Quota: assess.Quota{Share: 0.2}}}
	must(tb, db.CreateRound(office, rd))
	fx.RoundID = rd.ID
	panel, public := rd.Stages[0].ID, rd.Stages[1].ID
	t0 = time.Now()
	as := make([]assess.Assignment, 0, subjects*raters)
	for _, sub := range subs {
		for _, u := range reviewers {
			as = append(as, assess.Assignment{StageID: panel, RaterID: u, SubjectID: sub.OrgID})
		}
	}
	must(tb, db.SetAssignments(office, panel, as))
	tAssign := time.Since(t0)
	must(tb, db.SetRoundStatus(office, rd.ID, assess.RoundDraft, assess.RoundOpen))

	// Scores, a few hundred thousand sheets' worth per transaction.
	t0 = time.Now()
	now := db.Clock().Now().UnixMilli()
	sheetCols := []string{"id", "round_id", "stage_id", "subject_id", "rater_id", "status", "inputs", "note", "result", "total", "updated_at", "submitted_at"}
	scoreCols := []string{"round_id", "subject_id", "stage_id", "ind", "sheet_id", "score"}
	voteCols := []string{"id", "round_id", "stage_id", "subject_id", "voter", "rating", "comment", "client", "excluded", "created_at"}
	per := max(1, 1_000_000/(raters*benchIndicators))
	for from := 0; from < subjects; from += per {
		err := db.LoadRaw(ctx, func(l *store.RawLoader) error {
			for i := from; i < min(from+per, subjects); i++ {
				subject := subs[i].OrgID
				for r, rater := range reviewers {
					sh := &assess.StoredSheet{Sheet: benchSheet(s, fx.Seed, i, r)}
					res, err := assess.Score(s, sh.Sheet)
					if err != nil {
						return fmt.Errorf("subject %d rater %d: %w", i, r, err)
					}
					inputs, err := store.SheetInputsForTest(sh)
					if err != nil {
						return err
					}
					result, err := json.Marshal(res)
					if err != nil {
						return err
					}
					id := db.NewID()
					if err := l.Insert("sheets", sheetCols, id, rd.ID, panel, subject, rater, string(assess.SheetSubmitted), inputs, "", string(result),
						assess.ToMicro(res.Total), now, now); err != nil {
						return err
					}
					for ind, code := range codes {
						if err := l.Insert("sheet_scores", scoreCols, rd.ID, subject, panel, ind, id, assess.ToMicro(res.Scores[code])); err != nil {
							return err
						}
					}
				}
				rng := rand.New(rand.NewPCG(fx.Seed, uint64(i)<<32|0xfffffffd))
				q := subjectQuality(fx.Seed, i)
				for v := range benchVoters {
					rating := min(max(int(math.Round(1+4*q+rng.NormFloat64())), 1), 5)
					if err := l.Insert("public_votes", voteCols, db.NewID(), rd.ID, public, subject, fmt.Sprintf("bench-voter-%d", v), rating, "", "", false, now); err != nil {
						return err
					}
				}
			}
			return nil
		})
		must(tb, err)
	}
	tLoad := time.Since(t0)
	must(tb, db.SetRoundStatus(office, rd.ID, assess.RoundOpen, assess.RoundLocked))
	t0 = time.Now()
	if db.Dialect == store.Postgres {
		// What autovacuum does to a table after millions of inserts, done
		// now rather than at some point during the benchmark.
		for _, table := range []string{"sheets", "sheet_scores", "public_votes", "stage_raters"} {
			must(tb, db.ExecRaw(ctx, "VACUUM (ANALYZE) "+table))
		}
	}
	fx.Built = time.Since(start)
	tb.Logf("fixture built in %v: orgs and users %v, %d assignments %v, %d sheets and %d score rows %v (%.0f rows/s), vacuum %v",
		fx.Built.Round(time.Millisecond), tOrgs.Round(time.Millisecond), len(as), tAssign.Round(time.Millisecond),
		subjects*raters, fx.Rows(), tLoad.Round(time.Millisecond), float64(fx.Rows())/tLoad.Seconds(), time.Since(t0).Round(time.Millisecond))
	return fx
}

// cachedRoundFixture opens the SQLite fixture of this size kept in
// os.TempDir, or builds it there. A file whose description is missing or
// does not match, whose schema is not this binary's, or whose rows do not
// add up is removed and built again.
func cachedRoundFixture(b *testing.B, subjects, raters int) (*store.DB, *roundFixture) {
	ctx := context.Background()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("pufa-bench-round-v%d-%dx%dx%d.db", fixtureVersion, subjects, benchIndicators, raters))
	meta := path + ".json"
	open := func() (*store.DB, error) {
		provider, err := crypt.NewEphemeral()
		if err != nil {
			return nil, err
		}
		return store.Open(ctx, path, store.Options{Crypto: provider})
	}
	if db, fx, err := loadRoundFixture(ctx, open, meta, subjects, raters); err == nil {
		b.Logf("fixture: reusing %s (%s=0 to build afresh)", path, benchCacheEnv)
		b.Cleanup(func() { db.Close() })
		return db, fx
	} else if !errors.Is(err, os.ErrNotExist) {
		b.Logf("fixture: %s unusable, building it again: %v", path, err)
	}
	for _, f := range []string{meta, path, path + "-wal", path + "-shm"} {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			b.Fatal(err)
		}
	}
	db, err := open()
	must(b, err)
	b.Cleanup(func() { db.Close() })
	_, err = db.Migrate(ctx)
	must(b, err)
	fx := buildRoundFixture(b, db, subjects, raters)
	data, err := json.Marshal(fx)
	must(b, err)
	must(b, os.WriteFile(meta, data, 0o644)) // last: a file without it is incomplete
	b.Logf("fixture: kept in %s for the next run", path)
	return db, fx
}

// loadRoundFixture opens a cached fixture and checks it is whole.
func loadRoundFixture(ctx context.Context, open func() (*store.DB, error), meta string, subjects, raters int) (_ *store.DB, _ *roundFixture, err error) {
	data, err := os.ReadFile(meta)
	if err != nil {
		return nil, nil, err
	}
	var fx roundFixture
	if err := json.Unmarshal(data, &fx); err != nil {
		return nil, nil, err
	}
	if fx.Version != fixtureVersion || fx.Subjects != subjects || fx.Raters != raters {
		return nil, nil, fmt.Errorf("description %s does not match", data)
	}
	db, err := open()
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if err != nil {
			db.Close()
		}
	}()
	before, err := db.SchemaVersion(ctx)
	if err != nil {
		return nil, nil, err
	}
	if after, err := db.Migrate(ctx); err != nil || after != before {
		return nil, nil, fmt.Errorf("schema version %d, this binary's %d (%v)", before, after, err)
	}
	rd, err := db.FindRoundByID(ctx, fx.RoundID)
	if err != nil {
		return nil, nil, err
	}
	if len(rd.Subjects) != subjects {
		return nil, nil, fmt.Errorf("round has %d subjects", len(rd.Subjects))
	}
	for _, c := range []struct {
		q    string
		want int
	}{
		{`SELECT COUNT(*) FROM sheets WHERE round_id = ? AND status = 'submitted'`, subjects * raters},
		{`SELECT COUNT(*) FROM sheet_scores WHERE round_id = ?`, fx.Rows()},
		{`SELECT COUNT(*) FROM public_votes WHERE round_id = ?`, subjects * benchVoters},
	} {
		n, err := db.CountRaw(ctx, c.q, fx.RoundID)
		if err != nil {
			return nil, nil, err
		}
		if n != c.want {
			return nil, nil, fmt.Errorf("%s: %d rows, want %d", c.q, n, c.want)
		}
	}
	return db, &fx, nil
}

// checkRoundResults checks what ComputeResults gave: a result per subject in
// the round's order, complete; grades within the quota; ranks a valid
// competition ranking; and a few subjects' panel figures equal to a trimmed
// mean and plain means worked out here from the regenerated sheets.
func checkRoundResults(tb testing.TB, fx *roundFixture, s *assess.Scheme, rd *assess.Round, results []assess.SubjectResult) {
	tb.Helper()
	if len(results) != fx.Subjects {
		tb.Fatalf("%d results, want %d", len(results), fx.Subjects)
	}
	excellent := 0
	for i, res := range results {
		if res.SubjectID != rd.Subjects[i].OrgID {
			tb.Fatalf("result %d is subject %s, want %s", i, res.SubjectID, rd.Subjects[i].OrgID)
		}
		if !res.Complete || len(res.Stages) != 2 || res.Stages[0].Raters != fx.Raters || res.Stages[1].Raters != benchVoters || res.Total < 0 || res.Total > 100 {
			tb.Fatalf("result of subject %d: %+v", i, res)
		}
		if res.Grade == assess.Excellent {
			excellent++
		}
	}
	if quota := int(math.Floor(0.2 * float64(fx.Subjects))); excellent > quota {
		tb.Fatalf("%d subjects graded %s, quota %d", excellent, assess.Excellent, quota)
	}

	// Competition ranking: sorted by rank, a rank shared only by equal
	// totals, and otherwise the rank is the position.
	order := make([]int, len(results))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return results[a].Rank - results[b].Rank })
	for pos, i := range order {
		res := results[i]
		switch {
		case pos == 0:
			if res.Rank != 1 {
				tb.Fatalf("best rank is %d", res.Rank)
			}
		case res.Rank == results[order[pos-1]].Rank:
			if prev := results[order[pos-1]]; math.Abs(prev.Total-res.Total) >= assess.Precision/2 {
				tb.Fatalf("rank %d shared by totals %v and %v", res.Rank, prev.Total, res.Total)
			}
		default:
			if prev := results[order[pos-1]]; res.Rank != pos+1 || prev.Total <= res.Total {
				tb.Fatalf("at position %d: rank %d with %v after rank %d with %v", pos+1, res.Rank, res.Total, prev.Rank, prev.Total)
			}
		}
	}

	// Spot checks, from the generated data and not the database.
	codes := s.Codes()
	for _, i := range []int{0, fx.Subjects / 2, fx.Subjects - 1} {
		totals := make([]float64, fx.Raters)
		sums := make([]float64, len(codes))
		for r := range fx.Raters {
			res, err := assess.Score(s, benchSheet(s, fx.Seed, i, r))
			if err != nil {
				tb.Fatal(err)
			}
			totals[r] = res.Total
			for k, code := range codes {
				sums[k] += res.Scores[code]
			}
		}
		slices.Sort(totals)
		kept := totals
		if fx.Raters >= assess.TrimMinRaters {
			kept = totals[1 : len(totals)-1]
		}
		var sum float64
		for _, t := range kept {
			sum += t
		}
		panel := results[i].Stages[0]
		if want := sum / float64(len(kept)); math.Abs(panel.Total-want) > assess.Precision {
			tb.Fatalf("subject %d: panel total %v, want the trimmed mean %v of %v", i, panel.Total, want, totals)
		}
		for k := range codes {
			if want := sums[k] / float64(fx.Raters); math.Abs(panel.PerIndicator[k]-want) > assess.Precision {
				tb.Fatalf("subject %d: indicator %s mean %v, want %v", i, codes[k], panel.PerIndicator[k], want)
			}
		}
	}
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}
