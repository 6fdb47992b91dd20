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
	"strings"

	"pufa/internal/app"
	"pufa/internal/question/qfile"
	"pufa/internal/upload"
)

// cmdQuestions parses a question-bank file (.txt, .docx or .xlsx; "-" for
// standard input) and prints what the importer would see as JSON: the
// sections, the questions and every warning. It opens no database.
func cmdQuestions(ctx context.Context, c *cli, name string, args []string) error {
	f := newFlags(name, flagOpts{})
	// The shared flags are accepted, as by every command, before or after
	// the file.
	var files []string
	for rest := args; ; {
		if err := f.Parse(rest); err != nil {
			return f.parse(c, rest) // reports the error, or the usage for -h
		}
		if f.NArg() == 0 {
			break
		}
		files = append(files, f.Arg(0))
		rest = f.Args()[1:]
	}
	switch {
	case len(files) == 0:
		return usagef("请给出题库文件（.txt、.docx 或 .xlsx），或用 - 从标准输入读取")
	case len(files) > 1:
		return usagef("多余的参数“%s”", strings.Join(files[1:], " "))
	}
	if err := f.parse(c, nil); err != nil {
		return err
	}

	data, err := readQuestionFile(c, files[0])
	if err != nil {
		return err
	}
	bank, err := qfile.Read(data)
	if err != nil {
		return errors.New(app.ErrorMessage(err))
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(bank); err != nil {
		return fmt.Errorf("输出 JSON：%w", err)
	}
	// Nothing reaches stdout unless all of it does.
	_, err = c.stdout.Write(out.Bytes())
	return err
}

// readQuestionFile reads path, or standard input for "-", refusing more
// than an upload may hold.
func readQuestionFile(c *cli, path string) ([]byte, error) {
	limit := qfile.Limits().MaxBytes
	var r io.Reader
	if path == "-" {
		if c.stdin == nil {
			return nil, errors.New("无法读取标准输入")
		}
		r = c.stdin
	} else {
		fh, err := os.Open(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("文件“%s”不存在", path)
		case errors.Is(err, fs.ErrPermission):
			return nil, fmt.Errorf("没有权限读取文件“%s”", path)
		case err != nil:
			return nil, fmt.Errorf("无法打开文件“%s”", path)
		}
		defer fh.Close()
		if st, err := fh.Stat(); err == nil && st.IsDir() {
			return nil, fmt.Errorf("“%s”是目录，不是题库文件", path)
		}
		r = fh
	}
	data, err := upload.ReadLimited(r, limit)
	var tooLarge *upload.TooLargeError
	switch {
	case errors.As(err, &tooLarge):
		return nil, errors.New(tooLarge.Error())
	case err != nil:
		return nil, fmt.Errorf("无法读取文件“%s”", path)
	}
	return data, nil
}
