package password

import (
	"crypto/rand"
	"fmt"
	"math/big"
)

// Character sets for generated passwords, without the look-alikes 0/O/o
// and 1/l/I, and with symbols that are easy to read aloud and to type on
// any keyboard layout.
const (
	genLower  = "abcdefghijkmnpqrstuvwxyz"
	genUpper  = "ABCDEFGHJKLMNPQRSTUVWXYZ"
	genDigit  = "23456789"
	genSymbol = "@#$%&*+-=?!"
	genLength = 12
)

// Generate returns a random 12-character one-time password, for an
// administrator to hand over after creating an account or resetting a
// password. It has at least one character of each class, so it meets the
// length and class rules of [Dengbao], and avoids characters that look alike
// when read off a screen or paper. About 70 bits of entropy.
func Generate() (string, error) {
	sets := []string{genLower, genUpper, genDigit, genSymbol}
	all := genLower + genUpper + genDigit + genSymbol
	out := make([]byte, 0, genLength)
	for _, set := range sets {
		c, err := pick(set)
		if err != nil {
			return "", err
		}
		out = append(out, c)
	}
	for len(out) < genLength {
		c, err := pick(all)
		if err != nil {
			return "", err
		}
		out = append(out, c)
	}
	// Shuffle so the guaranteed classes are not always the first four.
	for i := len(out) - 1; i > 0; i-- {
		j, err := randInt(i + 1)
		if err != nil {
			return "", err
		}
		out[i], out[j] = out[j], out[i]
	}
	return string(out), nil
}

func pick(set string) (byte, error) {
	i, err := randInt(len(set))
	if err != nil {
		return 0, err
	}
	return set[i], nil
}

// randInt returns a uniform random int in [0, n) from crypto/rand.
func randInt(n int) (int, error) {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		return 0, fmt.Errorf("password: generating: %w", err)
	}
	return int(v.Int64()), nil
}
