package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// client speaks the exam JSON API. One client, and so one pool of
// connections, serves every examinee of a run.
type client struct {
	base string
	hc   *http.Client
}

// newClient returns a client for the server at base that keeps up to
// conns idle connections open, one per concurrent examinee, so that no
// request waits for a new TCP connection once the pool is warm.
func newClient(base string, conns int, timeout time.Duration) *client {
	tr := &http.Transport{
		// A load test talks to the server itself, never through a proxy
		// taken from the environment.
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		// Below the server's idle timeout (2 minutes), so the client,
		// not the server, closes an idle connection: a save sent on a
		// connection the server is closing would fail and not be retried.
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: 30 * time.Second,
		DisableCompression:  true,
	}
	return &client{base: strings.TrimRight(base, "/"), hc: &http.Client{Transport: tr, Timeout: timeout}}
}

// close drops the idle connections.
func (c *client) close() { c.hc.CloseIdleConnections() }

// apiError is a response with a status outside 2xx.
type apiError struct {
	Status  int
	Code    string // the API's error code, empty if the body was not the API's
	Message string
}

func (e *apiError) Error() string {
	s := fmt.Sprintf("HTTP %d", e.Status)
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// errBadResponse marks a 2xx response whose body was not what the API
// promises.
var errBadResponse = errors.New("unexpected response")

// do sends one request with in as its JSON body (none if nil), decodes a
// 2xx response's body into out (if not nil) and returns an *apiError for
// any other status. The body is always read to its end and closed, so
// the connection goes back to the pool.
func (c *client) do(ctx context.Context, method, path, token string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("User-Agent", "pufa-loadtest")
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	defer io.Copy(io.Discard, resp.Body)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return readAPIError(resp)
	}
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			return fmt.Errorf("%w: %s %s: %v", errBadResponse, method, path, err)
		}
	}
	return nil
}

// readAPIError reads the API's error body, {"error":{"code","message"}},
// or keeps the start of any other body as the message.
func readAPIError(resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	var body struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	e := &apiError{Status: resp.StatusCode}
	if json.Unmarshal(b, &body) == nil && body.Error.Code != "" {
		e.Code, e.Message = body.Error.Code, body.Error.Message
	} else {
		e.Message = strings.TrimSpace(string(b))
	}
	return e
}

// login signs in and returns the session's bearer token.
func (c *client) login(ctx context.Context, login, password string) (string, error) {
	var out struct {
		Token string `json:"token"`
	}
	err := c.do(ctx, http.MethodPost, "/api/v1/login", "", map[string]string{"login": login, "password": password}, &out)
	if err == nil && out.Token == "" {
		err = fmt.Errorf("%w: login returned no token", errBadResponse)
	}
	return out.Token, err
}

// paper is what starting or resuming an attempt returns, as far as the
// load generator needs it; decoding still reads the whole body.
type paper struct {
	AttemptID string `json:"attempt_id"`
	Questions []struct {
		ID      string `json:"id"`
		Type    string `json:"type"`
		Options []struct {
			Label string `json:"label"`
		} `json:"options"`
	} `json:"questions"`
	Answers map[string]struct {
		Seq int64 `json:"seq"`
	} `json:"answers"`
}

// start starts the examinee's attempt at the exam, or resumes it.
func (c *client) start(ctx context.Context, token, examID string) (*paper, error) {
	var p paper
	err := c.do(ctx, http.MethodPost, "/api/v1/exams/"+url.PathEscape(examID)+"/attempts", token, struct{}{}, &p)
	if err == nil && p.AttemptID == "" {
		err = fmt.Errorf("%w: start returned no attempt_id", errBadResponse)
	}
	return &p, err
}

// save saves one answer.
func (c *client) save(ctx context.Context, token, attemptID, questionID string, answer []string, seq int64) error {
	path := "/api/v1/attempts/" + url.PathEscape(attemptID) + "/answers/" + url.PathEscape(questionID)
	in := struct {
		Answer []string `json:"answer"`
		Seq    int64    `json:"seq"`
	}{answer, seq}
	return c.do(ctx, http.MethodPut, path, token, in, nil)
}

// submit submits the attempt.
func (c *client) submit(ctx context.Context, token, attemptID string) error {
	return c.do(ctx, http.MethodPost, "/api/v1/attempts/"+url.PathEscape(attemptID)+"/submit", token, struct{}{}, nil)
}

// healthz asks whether the server is up.
func (c *client) healthz(ctx context.Context) error {
	return c.do(ctx, http.MethodGet, "/healthz", "", nil, nil)
}
