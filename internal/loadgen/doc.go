// Package loadgen drives pufa's exam JSON API the way a room of examinees
// would, and reports how fast the server answered. `pufa loadtest` runs
// it against a server whose examinees `pufa loadtest-fixture` created.
//
// # Examinees and phases
//
// Each examinee of the fixture is one goroutine with its own session; all
// share one HTTP client whose pool keeps an idle keep-alive connection
// per examinee. A run is a sequence of phases, and only the requests
// inside a phase are measured. In a phase that starts "at once" every
// goroutine is created first and all are released at the same moment,
// the phase's start. The modes:
//
//   - saves (the default). Setup: every examinee signs in and starts (or
//     resumes) its attempt, at most --setup-concurrency at a time.
//     Signing in is deliberately slow on the server (Argon2id, a bounded
//     number at a time), so it is kept out of the save phase and reported
//     on its own row, with the setup's wall time. Save phase: at once,
//     each examinee saves answers for --duration, then stops. Healthz
//     phase: as many goroutines call GET /healthz back to back for
//     --healthz-duration, so that the save rate can be set against the
//     rate of the cheapest request the server answers, on the same run,
//     machine and connections. With --submit, every attempt is then
//     submitted, at once.
//   - start-warm. Every examinee signs in (bounded as in setup, not the
//     point here) and makes one request to leave a connection open; then
//     all start at once. It measures the start latency and the time until
//     the last examinee had its questions.
//   - start-cold. Every examinee signs in at the same moment and then
//     starts, with no limit on the client's side: it measures how long the
//     sign-in queue makes the last one wait, and what fails.
//   - healthz. Only the healthz phase, with --examinees goroutines.
//
// # Saves
//
// A save is PUT /api/v1/attempts/{id}/answers/{qid} for a random question
// of the examinee's paper, with one of its option labels at random
// ("true" or "false" for a judgement; if a paper has neither kind, a short
// text for any question). Each examinee numbers its saves with a seq that
// goes up by one per save of its attempt and starts above the highest seq
// the resumed attempt returned, so no save of the run is stale. Between
// two saves an examinee thinks: it sleeps a pause drawn uniformly from
// --think (0: back to back). Its first pause is drawn from [0, maximum]
// so the examinees' saves are spread over the think time from the start.
// Think time is never timed. After a failure that may pass (a network
// error, 429, 5xx) an examinee pauses at least 100 ms; after 401, 403,
// 404, 409 or 410 (the session or the attempt is over) it stops saving.
// When --duration has passed no new save begins, a save in flight is
// waited for and counts, and the phase ends when the last examinee has
// stopped.
//
// # What is timed
//
// A request's latency runs from just before it is sent until its response
// has been read to the end: for a start, until every question has been
// decoded. It includes waiting for a connection from the pool. Only
// successful (2xx) requests enter the latency figures; failures are
// counted by operation and kind (status and API error code, or the
// network failure) with the first two messages as examples. A phase's
// rate is its successful requests over its wall time, from release until
// its last goroutine returned. Latencies go into one histogram per
// operation with 128 linear buckets per power of two nanoseconds, as an
// HDR histogram does: a percentile (nearest rank) is off by at most 0.4%,
// the maximum is exact, and memory stays fixed however long the run.
//
// # Acknowledged
//
// A save or submit is acknowledged when the server answered it with a 2xx
// status; by the API's contract the answer is then stored durably (or a
// newer one already was). With --ack-log, each acknowledgement appends
// one JSON line to a file after its response arrived:
//
//	{"op":"save","attempt_id":"…","question_id":"…","seq":12,"answer":["B"]}
//	{"op":"submit","attempt_id":"…"}
//
// An attempt's lines come in seq order, since one goroutine saves for it.
// So after a crash and a restart, every attempt must hold for each
// question in the log a stored seq at least that of the question's last
// acknowledged save, and that save's answer when the seqs are equal (a
// higher seq is a later save that reached the disk but whose answer was
// lost with the connection). A save that failed or was cut off is not in
// the log: it may or may not have been stored.
package loadgen
