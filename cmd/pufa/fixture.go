package main

import (
	"context"
	"encoding/json"

	"pufa/internal/demo"
)

// cmdLoadtestFixture makes an exam and examinee accounts for a load test
// of the exam API and prints what `pufa loadtest` needs to drive them.
func cmdLoadtestFixture(ctx context.Context, c *cli, name string, args []string) error {
	f := newFlags(name, flagOpts{})
	examinees, questions := 200, 50
	f.IntVar(&examinees, "examinees", examinees, "考生账号数")
	f.IntVar(&questions, "questions", questions, "试卷题数（单选题）")
	if err := f.parse(c, args); err != nil {
		return err
	}
	if examinees < 1 || examinees > 100_000 || questions < 1 || questions > 1_000 {
		return usagef("考生数应在 1 到 100000 之间，题数应在 1 到 1000 之间")
	}
	cfg := f.cfg
	d, err := cfg.open(ctx, cfg.newLogger(c.stderr, false), migrateAll)
	if err != nil {
		return err
	}
	defer d.close()
	// A load test may start from an empty database: name its root region
	// unless told otherwise.
	name, code := cfg.rootName, cfg.rootCode
	if name == "" && code == "" {
		name, code = "压测区", "330199"
	}
	root, _, err := ensureRoot(ctx, d.db, name, code)
	if err != nil {
		return err
	}
	fx, err := demo.ExamFixture(ctx, d.db, d.hasher, root, examinees, questions)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(c.stdout)
	return enc.Encode(fx)
}
