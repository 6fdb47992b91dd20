package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"

	"pufa/internal/app"
	"pufa/internal/outline"
	"pufa/internal/upload"
)

// cmdOutline prints the structure of a document as JSON: its documents,
// numbered sections and items, and warnings. FILE is a .docx or a text
// file, or - for standard input. It opens no database: the shared flags
// are accepted, as every command accepts them, and ignored.
func cmdOutline(ctx context.Context, c *cli, name string, args []string) error {
	f := newFlags(name, flagOpts{})
	if err := f.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			f.usage(c.stdout)
			return errHelp
		}
		return usagef("参数错误：%s", translateFlagError(err))
	}
	if f.NArg() != 1 {
		return usagef("请给出一个文件（.docx 或文本文件），或用 - 从标准输入读取")
	}
	path := f.Arg(0)
	data, err := readOutlineInput(c, path)
	if err != nil {
		return err
	}
	res, err := outline.Parse(data)
	if err != nil {
		return fmt.Errorf("%s：%s", outlineInputName(path), outlineMessage(err))
	}
	// Encode fully before writing, so a failure leaves stdout empty.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		return err
	}
	_, err = c.stdout.Write(buf.Bytes())
	return err
}

// readOutlineInput reads FILE, or standard input for "-", refusing more than
// the document upload limit before reading it all.
func readOutlineInput(c *cli, path string) ([]byte, error) {
	limit := upload.DefaultDocument().MaxBytes
	if path == "-" {
		if c.stdin == nil {
			return nil, errors.New("标准输入：文件是空的")
		}
		data, err := upload.ReadLimited(c.stdin, limit)
		if err != nil {
			return nil, fmt.Errorf("标准输入：%s", outlineMessage(err))
		}
		return data, nil
	}
	fh, err := os.Open(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("找不到文件 %s", path)
	case errors.Is(err, fs.ErrPermission):
		return nil, fmt.Errorf("没有权限读取文件 %s", path)
	case err != nil:
		return nil, fmt.Errorf("无法打开文件 %s：%v", path, err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, fmt.Errorf("无法读取文件 %s：%v", path, err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s 是目录，不是文件", path)
	}
	if st.Mode().IsRegular() && st.Size() > limit {
		return nil, fmt.Errorf("%s：%s", path, (&upload.TooLargeError{Limit: limit}).Error())
	}
	data, err := upload.ReadLimited(fh, limit)
	if err != nil {
		return nil, fmt.Errorf("%s：%s", path, outlineMessage(err))
	}
	return data, nil
}

// outlineInputName names the input in messages.
func outlineInputName(path string) string {
	if path == "-" {
		return "标准输入"
	}
	return path
}

// outlineMessage returns the Chinese message of a refusal, and the error
// itself for anything else (an I/O failure), which the user also needs
// to see on the command line.
func outlineMessage(err error) string {
	if app.ErrorCode(err) != app.EINTERNAL {
		return app.ErrorMessage(err)
	}
	return "读取失败：" + err.Error()
}
