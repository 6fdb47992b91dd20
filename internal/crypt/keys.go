package crypt

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
)

// Key sizes are fixed by the algorithms: SM4 takes a 128-bit key, and the
// MAC master key is one SM3 output long so that derivation loses nothing.
const (
	dataKeySize = 16
	macKeySize  = 32
)

// maxKeyFileSize bounds how much of a key file is read; a real one is under
// 1 KiB, so anything far larger is not a key file.
const maxKeyFileSize = 64 << 10

// Keys is the secret material behind the software Provider. It is stored as
// JSON, byte fields base64-encoded, in a key file or in the PUFA_KEYS
// environment variable.
//
// Keys must never be logged: String, Format and LogValue print only the
// version, so an accidental fmt or slog call does not leak them.
type Keys struct {
	// Version identifies DataKey. Every ciphertext starts with it, so after
	// a rotation the old key, moved to RetiredDataKeys, still decrypts the
	// data sealed under it. Valid versions are 1 to 255.
	Version uint8 `json:"version"`

	// DataKey is the 16-byte SM4 key that encrypts new data.
	DataKey []byte `json:"data_key"`

	// RetiredDataKeys holds earlier data keys by version. They only decrypt.
	RetiredDataKeys map[uint8][]byte `json:"retired_data_keys,omitempty"`

	// MACKey is the 32-byte HMAC-SM3 master key; each Purpose uses the key
	// HMAC-SM3(MACKey, purpose).
	MACKey []byte `json:"mac_key"`

	// SignKey is the SM2 private key, PKCS #8 DER encoded, so that standard
	// tools (GmSSL, Tongsuo) and a hardware module can import it.
	SignKey []byte `json:"sm2_private_key"`
}

// NewKeys generates a fresh set of keys, version 1, from crypto/rand.
func NewKeys() (*Keys, error) {
	k := &Keys{
		Version: 1,
		DataKey: make([]byte, dataKeySize),
		MACKey:  make([]byte, macKeySize),
	}
	if _, err := rand.Read(k.DataKey); err != nil {
		return nil, fmt.Errorf("crypt: generating data key: %w", err)
	}
	if _, err := rand.Read(k.MACKey); err != nil {
		return nil, fmt.Errorf("crypt: generating MAC key: %w", err)
	}
	priv, err := sm2.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("crypt: generating SM2 key: %w", err)
	}
	if k.SignKey, err = smx509.MarshalPKCS8PrivateKey(priv); err != nil {
		return nil, fmt.Errorf("crypt: encoding SM2 key: %w", err)
	}
	return k, nil
}

// Validate reports whether k is complete and well formed: a non-zero
// version, keys of the right sizes, and a parseable SM2 private key.
func (k *Keys) Validate() error {
	_, err := k.signer()
	return err
}

// signer validates k and returns its parsed SM2 key, so NewSoftware does not
// parse it twice.
func (k *Keys) signer() (*sm2.PrivateKey, error) {
	if k == nil {
		return nil, errors.New("crypt: no keys")
	}
	if k.Version == 0 {
		return nil, errors.New("crypt: key version must be between 1 and 255")
	}
	if len(k.DataKey) != dataKeySize {
		return nil, fmt.Errorf("crypt: data key is %d bytes, want %d", len(k.DataKey), dataKeySize)
	}
	for v, key := range k.RetiredDataKeys {
		switch {
		case v == 0:
			return nil, errors.New("crypt: retired data key has version 0")
		case v == k.Version:
			return nil, fmt.Errorf("crypt: retired data key reuses the current version %d", v)
		case len(key) != dataKeySize:
			return nil, fmt.Errorf("crypt: retired data key %d is %d bytes, want %d", v, len(key), dataKeySize)
		}
	}
	if len(k.MACKey) != macKeySize {
		return nil, fmt.Errorf("crypt: MAC key is %d bytes, want %d", len(k.MACKey), macKeySize)
	}
	// Parse errors from smx509 describe the structure, never the key bytes.
	parsed, err := smx509.ParsePKCS8PrivateKey(k.SignKey)
	if err != nil {
		return nil, fmt.Errorf("crypt: SM2 private key: %w", err)
	}
	priv, ok := parsed.(*sm2.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("crypt: private key is %T, want an SM2 key", parsed)
	}
	// smx509 accepts d = 0 and d = n-1, but SM2 needs d in [1, n-2]: the
	// signature computes (1+d)^-1 mod n.
	limit := new(big.Int).Sub(priv.Params().N, big.NewInt(1))
	if priv.D.Sign() <= 0 || priv.D.Cmp(limit) >= 0 {
		return nil, errors.New("crypt: SM2 private key is out of range")
	}
	return priv, nil
}

// String describes k without revealing any key material.
func (k Keys) String() string {
	return fmt.Sprintf("crypt.Keys{version %d, redacted}", k.Version)
}

// Format makes every fmt verb, including %d and %#v which would otherwise
// print the byte slices, print String instead. It and String have value
// receivers so that a Keys value is redacted as well as a *Keys.
func (k Keys) Format(f fmt.State, _ rune) {
	io.WriteString(f, k.String())
}

// LogValue keeps key material out of slog output.
func (k Keys) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("version", int(k.Version)), slog.String("keys", "redacted"))
}

// EnvValue encodes k the way KeysFromEnv reads it: compact JSON, then
// standard base64, one line with no spaces.
func (k *Keys) EnvValue() (string, error) {
	if err := k.Validate(); err != nil {
		return "", err
	}
	data, err := json.Marshal(k)
	if err != nil {
		return "", fmt.Errorf("crypt: encoding keys: %w", err)
	}
	return base64.StdEncoding.EncodeToString(data), nil
}

// KeysFromEnv parses keys from value, the base64-encoded JSON of a key file
// as EnvValue produces it; it is meant for the PUFA_KEYS environment
// variable, for deployments that cannot keep a key file on disk.
func KeysFromEnv(value string) (*Keys, error) {
	data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(value))
	if err != nil {
		return nil, fmt.Errorf("crypt: keys value is not base64: %w", err)
	}
	return parseKeys(data)
}

// parseKeys decodes and validates the JSON form of Keys. Unknown fields are
// an error: a key file from a newer pufa may carry keys this one would
// silently drop.
func parseKeys(data []byte) (*Keys, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var k Keys
	if err := dec.Decode(&k); err != nil {
		// A SyntaxError quotes the offending character, which could be a
		// piece of a key, so report only where it is.
		if se, ok := errors.AsType[*json.SyntaxError](err); ok {
			return nil, fmt.Errorf("crypt: keys are not valid JSON (error at byte %d)", se.Offset)
		}
		return nil, fmt.Errorf("crypt: decoding keys: %w", err)
	}
	if dec.More() {
		return nil, errors.New("crypt: unexpected data after the keys JSON object")
	}
	if err := k.Validate(); err != nil {
		return nil, err
	}
	return &k, nil
}

// LoadOrCreateKeyFile reads the key file at path. If there is no file, it
// generates fresh keys and writes them there, creating the directory if
// needed, and reports created = true; the caller should log that, since a
// new key file on a server with existing data means the old keys were lost.
//
// The file must be readable by its owner only (mode 0600): a key file that
// grants any access to group or others is refused, not silently fixed, so
// the operator learns that it may have leaked.
func LoadOrCreateKeyFile(path string) (k *Keys, created bool, err error) {
	k, err = loadKeyFile(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return k, false, err
	}
	if k, err = NewKeys(); err != nil {
		return nil, false, err
	}
	err = createKeyFile(path, k)
	if errors.Is(err, fs.ErrExist) {
		// Another process created the file first. Its keys are the ones on
		// disk, so they are the ones to use.
		k, err = loadKeyFile(path)
		return k, false, err
	}
	if err != nil {
		return nil, false, err
	}
	return k, true, nil
}

// loadKeyFile reads and validates the key file at path. It checks the
// permissions of the file it opened, not of the path, so that the file
// cannot be swapped between the check and the read.
func loadKeyFile(path string) (*Keys, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("crypt: opening key file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("crypt: key file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("crypt: key file %s is not a regular file", path)
	}
	// Windows has no Unix permission bits; os reports 0666 for every
	// writable file there, so the check would refuse every key file.
	if perm := fi.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return nil, fmt.Errorf("crypt: key file %s has mode %04o, which lets other users access it; "+
			"fix it with: chmod 600 %s (and consider whether the keys have leaked)", path, perm, path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("crypt: reading key file: %w", err)
	}
	if len(data) > maxKeyFileSize {
		return nil, fmt.Errorf("crypt: key file %s is larger than %d bytes", path, maxKeyFileSize)
	}
	k, err := parseKeys(data)
	if err != nil {
		return nil, fmt.Errorf("%w (key file %s)", err, path)
	}
	return k, nil
}

// createKeyFile writes k to path atomically with mode 0600: a crash leaves
// either no key file or a complete one, never a truncated one that would
// lock pufa out of its data. It fails with an error wrapping fs.ErrExist if
// path already exists.
func createKeyFile(path string, k *Keys) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("crypt: creating key directory: %w", err)
	}
	data, err := json.MarshalIndent(k, "", "  ")
	if err != nil {
		return fmt.Errorf("crypt: encoding keys: %w", err)
	}
	data = append(data, '\n')

	// CreateTemp makes the file 0600 from the start, so the keys are never
	// readable by others, not even briefly.
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("crypt: creating key file: %w", err)
	}
	tmpName := tmp.Name()
	// After a successful link this removes only the temporary name; after a
	// rename it finds nothing; on failure it cleans up.
	defer os.Remove(tmpName)
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("crypt: writing key file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("crypt: syncing key file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("crypt: writing key file: %w", err)
	}

	// A hard link publishes the file atomically like rename, but fails if
	// path exists. Rename would replace a key file another process created
	// a moment ago, and that process would go on encrypting with keys that
	// are no longer on disk.
	if err := os.Link(tmpName, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("crypt: creating key file: %w", err)
		}
		// Some filesystems have no hard links. Fall back to rename, which
		// only risks the race above if the file appeared since we looked.
		if _, statErr := os.Lstat(path); statErr == nil {
			return fmt.Errorf("crypt: creating key file %s: %w", path, fs.ErrExist)
		}
		if err := os.Rename(tmpName, path); err != nil {
			return fmt.Errorf("crypt: creating key file: %w", err)
		}
	}
	syncDir(dir)
	return nil
}

// syncDir makes a new directory entry durable. It is best effort: some
// systems (Windows, some network filesystems) cannot sync a directory, and
// the file itself is already synced.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	d.Sync()
	d.Close()
}
