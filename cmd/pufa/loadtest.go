package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"pufa/internal/loadgen"
)

// cmdLoadtest drives the exam JSON API of a running server with the
// examinees of a fixture (from loadtest-fixture) and prints the request
// rates and latency percentiles; package loadgen describes the method.
// It opens no database: the shared flags are accepted and ignored.
func cmdLoadtest(ctx context.Context, c *cli, name string, args []string) error {
	f := newFlags(name, flagOpts{})
	cfg := loadgen.Config{Mode: loadgen.ModeSaves}
	var fixture, ackLog string
	var asJSON bool
	f.StringVar(&cfg.URL, "url", "http://127.0.0.1:8080", "服务器地址")
	f.StringVar(&fixture, "fixture", "", "loadtest-fixture 打印的 JSON 文件，- 为标准输入（healthz 模式可省略）")
	f.IntVar(&cfg.Examinees, "examinees", 0, "只用夹具中的前 N 个考生（默认全部）；healthz 模式下为并发数")
	f.Var(&cfg.Mode, "mode", "saves（保存答案）、start-warm（已登录后同时开考）、start-cold（同时登录并开考）或 healthz")
	f.DurationVar(&cfg.Duration, "duration", 30*time.Second, "保存阶段的时长")
	f.Var(&cfg.Think, "think", "同一考生两次保存之间的思考时间：0（连续保存）、5s 或区间 5s-20s（均匀随机）")
	f.DurationVar(&cfg.HealthzDuration, "healthz-duration", 10*time.Second, "healthz 阶段的时长（saves 模式在保存阶段之后进行，0 为跳过）")
	f.IntVar(&cfg.SetupConcurrency, "setup-concurrency", 8, "saves 和 start-warm 模式中同时登录的考生数")
	f.DurationVar(&cfg.Timeout, "timeout", 5*time.Minute, "单个请求的超时（0 为不限）")
	f.BoolVar(&cfg.Submit, "submit", false, "最后交卷")
	f.StringVar(&ackLog, "ack-log", "", "把每个得到 2xx 确认的保存和交卷追加到此文件，一行一个 JSON（供崩溃测试核对）")
	f.BoolVar(&asJSON, "json", false, "以 JSON 打印报告")
	if err := f.parse(c, args); err != nil {
		return err
	}
	switch {
	case fixture != "":
		fx, err := readFixture(c, fixture)
		if err != nil {
			return err
		}
		cfg.Fixture = fx
	case cfg.Mode != loadgen.ModeHealthz:
		return usagef("请用 --fixture 给出 loadtest-fixture 的输出（- 为标准输入）")
	case cfg.Examinees < 1:
		return usagef("healthz 模式没有夹具时，请用 --examinees 给出并发数")
	}
	if ackLog != "" {
		fh, err := os.OpenFile(ackLog, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			return fmt.Errorf("无法打开确认日志：%w", err)
		}
		defer fh.Close()
		cfg.AckLog = fh
	}
	if err := cfg.Validate(); err != nil {
		return usagef("%s", err.Error())
	}
	cfg.Progress = c.stderr
	rep, runErr := loadgen.Run(ctx, cfg)
	if rep == nil {
		return runErr
	}
	var out bytes.Buffer
	if asJSON {
		enc := json.NewEncoder(&out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else if err := rep.WriteText(&out); err != nil {
		return err
	}
	if _, err := c.stdout.Write(out.Bytes()); err != nil {
		return err
	}
	if runErr != nil {
		return runErr
	}
	if rep.Interrupted {
		return &exitError{code: 1}
	}
	return nil
}

// readFixture reads the fixture from path, or standard input for "-".
func readFixture(c *cli, path string) (loadgen.Fixture, error) {
	var r io.Reader = c.stdin
	if path != "-" {
		fh, err := os.Open(path)
		if errors.Is(err, fs.ErrNotExist) {
			return loadgen.Fixture{}, fmt.Errorf("找不到夹具文件 %s", path)
		} else if err != nil {
			return loadgen.Fixture{}, err
		}
		defer fh.Close()
		r = fh
	} else if r == nil {
		return loadgen.Fixture{}, errors.New("标准输入：没有夹具")
	}
	fx, err := loadgen.ReadFixture(r)
	if err != nil {
		return loadgen.Fixture{}, fmt.Errorf("%s：%w", path, err)
	}
	return fx, nil
}
