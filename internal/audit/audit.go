// Package audit is the append-only, hash-chained audit log. Each row stores
// an HMAC-SM3 over the previous row's MAC and its own content; there is one
// chain per node (or partition), so chaining never serializes writes across
// nodes, and Verify names the first row that was altered.
package audit

import (
	"context"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"pufa/internal/app"
)

// Result of an audited action.
const (
	ResultOK     = "ok"
	ResultFailed = "failed"
	ResultDenied = "denied"
)

// Entry is one audit row.
type Entry struct {
	ID         app.ID
	ChainID    string
	Seq        int64
	At         time.Time
	ActorID    app.ID
	ActorLogin string
	Roles      string
	OrgID      app.ID
	Action     string // e.g. "user.create", "auth.login_failed"
	ObjectType string
	ObjectID   string
	Result     string
	Detail     string
	IP         string
	RequestID  string
	PrevMAC    string
	MAC        string
}

// Canonical is the byte string the MAC covers: every field but the MAC, in
// a fixed order, length-prefixed so no two entries encode alike.
func (e *Entry) Canonical() []byte {
	var b strings.Builder
	for _, f := range []string{
		e.ChainID, strconv.FormatInt(e.Seq, 10), strconv.FormatInt(e.At.UnixMilli(), 10),
		e.ActorID.String(), e.ActorLogin, e.Roles, e.OrgID.String(), e.Action,
		e.ObjectType, e.ObjectID, e.Result, e.Detail, e.IP, e.RequestID, e.PrevMAC,
	} {
		fmt.Fprintf(&b, "%d:%s;", len(f), f)
	}
	return []byte(b.String())
}

// MACFunc computes the keyed MAC (HMAC-SM3 with the audit key).
type MACFunc func(data []byte) []byte

// Seal sets e.PrevMAC and e.MAC.
func (e *Entry) Seal(prevMAC string, mac MACFunc) {
	e.PrevMAC = prevMAC
	e.MAC = hex.EncodeToString(mac(e.Canonical()))
}

// Problem is the first defect Verify found in a chain.
type Problem struct {
	ChainID string
	Seq     int64
	ID      app.ID
	Reason  string
}

func (p *Problem) Error() string {
	return fmt.Sprintf("审计链 %s 第 %d 条（编号 %s）：%s", p.ChainID, p.Seq, p.ID, p.Reason)
}

// Verifier checks one chain's entries, fed in seq order.
type Verifier struct {
	mac     MACFunc
	chainID string
	prevMAC string
	nextSeq int64
	Count   int64
}

// NewVerifier starts checking a chain.
func NewVerifier(chainID string, mac MACFunc) *Verifier {
	return &Verifier{mac: mac, chainID: chainID, nextSeq: 1}
}

// Next checks the next entry; it returns a *Problem for a gap, a broken
// link, or a MAC that does not match the content.
func (v *Verifier) Next(e *Entry) error {
	bad := func(reason string) error {
		return &Problem{ChainID: v.chainID, Seq: e.Seq, ID: e.ID, Reason: reason}
	}
	switch {
	case e.Seq != v.nextSeq:
		return &Problem{ChainID: v.chainID, Seq: v.nextSeq, Reason: fmt.Sprintf("缺失（下一条是第 %d 条），记录可能被删除", e.Seq)}
	case e.PrevMAC != v.prevMAC:
		return bad("与上一条的链接不符，记录可能被删除或替换")
	}
	want := hex.EncodeToString(v.mac(e.Canonical()))
	if want != e.MAC {
		return bad("内容与校验码不符，记录已被篡改")
	}
	v.prevMAC, v.nextSeq = e.MAC, e.Seq+1
	v.Count++
	return nil
}

// Finish checks the chain's end against its head (the last seq and MAC the
// writer recorded), catching rows deleted from the tail.
func (v *Verifier) Finish(headSeq int64, headMAC string) error {
	if headSeq != v.nextSeq-1 || headMAC != v.prevMAC {
		return &Problem{ChainID: v.chainID, Seq: v.nextSeq, Reason: fmt.Sprintf("链尾应为第 %d 条，实际只到第 %d 条，末尾记录可能被删除", headSeq, v.nextSeq-1)}
	}
	return nil
}

// Record is what a store method hands the audit writer; the rest comes from
// the context (actor, request meta) and the chain.
type Record struct {
	Action     string
	ObjectType string
	ObjectID   string
	Result     string // default ResultOK
	Detail     string
}

// Filter selects entries for the audit admin's browser.
type Filter struct {
	Action  *string
	ActorID *app.ID
	Since   *time.Time
	Until   *time.Time
	Result  *string
	Query   *string
	Offset  int
	Limit   int
}

// Store reads and writes the log.
type Store interface {
	// WriteAudit appends one row in its own transaction, for events that
	// change nothing else (a failed sign-in, a reveal, an export).
	WriteAudit(ctx context.Context, r Record) error
	// FindAuditEntries returns a page, newest first, and the total.
	FindAuditEntries(ctx context.Context, f Filter) ([]*Entry, int, error)
	// VerifyAudit walks every chain and returns the first problem, or nil
	// and the number of rows checked.
	VerifyAudit(ctx context.Context) (int64, error)
}
