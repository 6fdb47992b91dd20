package password

import "context"

// Limited wraps h so that at most n Hash or Verify calls run at once; the
// others wait in a queue, which the Go runtime serves in about arrival
// order. A crowd signing in at the start of an exam must queue rather than
// each allocate Argon2id's 64 MiB at once. A caller whose ctx ends while
// waiting gets ctx.Err() and never runs. n below 1 is taken as 1. Give the
// whole process one Limited hasher, sized to the cores hashing may use.
func Limited(h Hasher, n int) Hasher {
	return &limited{h: h, slots: make(chan struct{}, max(n, 1))}
}

type limited struct {
	h     Hasher
	slots chan struct{} // one token per running call
}

func (l *limited) Hash(ctx context.Context, password string) (string, error) {
	if err := l.acquire(ctx); err != nil {
		return "", err
	}
	defer l.release()
	return l.h.Hash(ctx, password)
}

func (l *limited) Verify(ctx context.Context, password, encoded string) (ok, needsRehash bool, err error) {
	if err := l.acquire(ctx); err != nil {
		return false, false, err
	}
	defer l.release()
	return l.h.Verify(ctx, password, encoded)
}

func (l *limited) acquire(ctx context.Context) error {
	// Checked first because select picks at random when a slot is free and
	// ctx is also done; a cancelled caller should not take a slot.
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case l.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (l *limited) release() { <-l.slots }
