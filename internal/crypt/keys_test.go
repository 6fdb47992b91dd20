package crypt_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"pufa/internal/crypt"
)

func TestLoadOrCreateKeyFile(t *testing.T) {
	// A directory that does not exist yet: the first start creates it.
	path := filepath.Join(t.TempDir(), "secrets", "keys.json")

	k1, created, err := crypt.LoadOrCreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !created {
		t.Error("first call: created = false, want true")
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm != 0o600 {
			t.Errorf("key file mode = %04o, want 0600", perm)
		}
	}

	k2, created, err := crypt.LoadOrCreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if created {
		t.Error("second call: created = true, want false")
	}
	if diff := cmp.Diff(k1, k2); diff != "" {
		t.Errorf("reloaded keys differ (-created +loaded):\n%s", diff)
	}

	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("key directory holds %q, want only the key file", names)
	}
}

// TestLoadOrCreateKeyFile_Concurrent starts several processes' worth of
// callers at once: all must end up with the one set of keys on disk.
func TestLoadOrCreateKeyFile_Concurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.json")
	const n = 8
	keys := make([]*crypt.Keys, n)
	created := make([]bool, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			var err error
			keys[i], created[i], err = crypt.LoadOrCreateKeyFile(path)
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}

	onDisk, _, err := crypt.LoadOrCreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	creators := 0
	for i := range n {
		if created[i] {
			creators++
		}
		if diff := cmp.Diff(onDisk, keys[i]); diff != "" {
			t.Errorf("caller %d got keys that are not the ones on disk:\n%s", i, diff)
		}
	}
	if creators != 1 {
		t.Errorf("%d callers report creating the file, want 1", creators)
	}
}

func TestLoadOrCreateKeyFile_RefusesOpenPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows files have no Unix permission bits")
	}
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660, 0o620, 0o602, 0o700 | 0o010} {
		t.Run(fmt.Sprintf("%04o", mode), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "keys.json")
			if _, _, err := crypt.LoadOrCreateKeyFile(path); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, mode); err != nil {
				t.Fatal(err)
			}
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}

			_, _, err = crypt.LoadOrCreateKeyFile(path)
			if err == nil || !strings.Contains(err.Error(), "chmod 600") {
				t.Errorf("err = %v, want a refusal that says to chmod 600", err)
			}
			after, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(before, after) {
				t.Error("the refused key file was modified")
			}
		})
	}
}

func TestLoadOrCreateKeyFile_InvalidFile(t *testing.T) {
	_, k := newProvider(t)
	valid, err := json.Marshal(k)
	if err != nil {
		t.Fatal(err)
	}
	var withExtra map[string]any
	if err := json.Unmarshal(valid, &withExtra); err != nil {
		t.Fatal(err)
	}
	withExtra["hsm_slot"] = 3
	extra, err := json.Marshal(withExtra)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name    string
		content []byte
	}{
		{"empty", nil},
		{"not JSON", []byte("data_key=abc\n")},
		{"empty object", []byte("{}")},
		{"unknown field", extra},
		{"trailing data", append(bytes.Clone(valid), []byte(" {}")...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "keys.json")
			if err := os.WriteFile(path, tt.content, 0o600); err != nil {
				t.Fatal(err)
			}
			if _, _, err := crypt.LoadOrCreateKeyFile(path); err == nil {
				t.Fatal("invalid key file accepted")
			}
			after, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(after, tt.content) {
				t.Error("an invalid key file was overwritten; the keys in it may be all that decrypts the data")
			}
		})
	}

	t.Run("directory", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "keys.json")
		if err := os.Mkdir(path, 0o700); err != nil {
			t.Fatal(err)
		}
		if _, _, err := crypt.LoadOrCreateKeyFile(path); err == nil {
			t.Error("a directory was accepted as key file")
		}
	})
}

func TestKeysFromEnv(t *testing.T) {
	_, k := newProvider(t)
	v, err := k.EnvValue()
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(v, " \n") {
		t.Errorf("EnvValue %q is not a single token", v)
	}
	for _, in := range []string{v, v + "\n", "  " + v + "  "} {
		got, err := crypt.KeysFromEnv(in)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(k, got); diff != "" {
			t.Errorf("KeysFromEnv(EnvValue()) differs (-want +got):\n%s", diff)
		}
	}

	// The env value is the key file's JSON, so an operator can produce it
	// with: base64 -w0 keys.json
	fileJSON, err := json.MarshalIndent(k, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := crypt.KeysFromEnv(base64.StdEncoding.EncodeToString(fileJSON)); err != nil {
		t.Errorf("KeysFromEnv(base64 of key file): %v", err)
	}
}

func TestKeysFromEnv_Invalid(t *testing.T) {
	_, k := newProvider(t)
	encode := func(change func(m map[string]any)) string {
		data, err := json.Marshal(k)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		change(m)
		if data, err = json.Marshal(m); err != nil {
			t.Fatal(err)
		}
		return base64.StdEncoding.EncodeToString(data)
	}
	tests := []struct {
		name, value string
	}{
		{"empty", ""},
		{"not base64", "!!!"},
		{"raw JSON", `{"version":1}`},
		{"base64 of text", base64.StdEncoding.EncodeToString([]byte("hello"))},
		{"missing version", encode(func(m map[string]any) { delete(m, "version") })},
		{"missing data key", encode(func(m map[string]any) { delete(m, "data_key") })},
		{"missing MAC key", encode(func(m map[string]any) { delete(m, "mac_key") })},
		{"missing SM2 key", encode(func(m map[string]any) { delete(m, "sm2_private_key") })},
		{"short data key", encode(func(m map[string]any) { m["data_key"] = base64.StdEncoding.EncodeToString(make([]byte, 8)) })},
		{"data key not base64", encode(func(m map[string]any) { m["data_key"] = "zz" })},
		{"version out of range", encode(func(m map[string]any) { m["version"] = 256 })},
		{"unknown field", encode(func(m map[string]any) { m["extra"] = true })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := crypt.KeysFromEnv(tt.value); err == nil {
				t.Error("invalid value accepted")
			}
		})
	}
}

// TestKeys_Redacted checks that printing or logging Keys, by value or by
// pointer, never shows key material.
func TestKeys_Redacted(t *testing.T) {
	_, k := newProvider(t)
	secrets := func(out string) []string {
		var leaked []string
		for name, key := range map[string][]byte{"data": k.DataKey, "mac": k.MACKey, "sm2": k.SignKey} {
			for _, form := range []string{
				hex.EncodeToString(key[:8]),
				strings.ToUpper(hex.EncodeToString(key[:8])),
				base64.StdEncoding.EncodeToString(key)[:10],
				strings.Trim(fmt.Sprint(key[:6]), "[]"),
			} {
				if strings.Contains(out, form) {
					leaked = append(leaked, name)
				}
			}
		}
		return leaked
	}

	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%X", "%q"} {
		for _, arg := range []any{k, *k} {
			out := fmt.Sprintf(verb, arg)
			if leaked := secrets(out); len(leaked) > 0 {
				t.Errorf("Sprintf(%q, %T) = %q leaks %v", verb, arg, out, leaked)
			}
		}
	}

	var buf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewJSONHandler(&buf, nil), slog.NewTextHandler(&buf, nil)} {
		slog.New(h).Info("loaded", "keys", k, "value", *k)
	}
	if leaked := secrets(buf.String()); len(leaked) > 0 {
		t.Errorf("slog output leaks %v:\n%s", leaked, buf.String())
	}
}
