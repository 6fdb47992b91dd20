package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sync"
	"time"

	"pufa/internal/app"
	"pufa/internal/audit"
	"pufa/internal/job"
	"pufa/internal/store"
	"pufa/internal/upload"
)

// jobRunner tracks the goroutines of background jobs.
type jobRunner struct{ wg sync.WaitGroup }

func (j *jobRunner) wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() { j.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// startJob records a job and runs fn in the background. The job keeps the
// request's actor and meta for its audit rows but not its cancellation: it
// outlives the request that started it.
func (s *Server) startJob(r *http.Request, kind, title string, fn job.Func) (*job.Job, error) {
	a := app.ActorFrom(r.Context())
	j := &job.Job{Kind: kind, Title: title, OwnerID: a.UserID}
	if err := s.db.CreateJob(r.Context(), j); err != nil {
		return nil, err
	}
	ctx := context.WithoutCancel(r.Context())
	s.jobs.wg.Add(1)
	go func() {
		defer s.jobs.wg.Done()
		var last time.Time
		progress := func(done, total int, msg string) {
			// Throttled: progress is for eyes, not a write per row.
			if now := time.Now(); now.Sub(last) >= 250*time.Millisecond || done == total {
				last = now
				if err := s.db.UpdateJobProgress(ctx, j.ID, done, total, msg); err != nil {
					s.log.Warn("job progress", "job", j.ID, "err", err.Error())
				}
			}
		}
		key, name, err := s.runJob(ctx, fn, progress)
		status, msg := job.StatusDone, ""
		if err != nil {
			status, msg = job.StatusFailed, app.ErrorMessage(err)
			if app.ErrorCode(err) == app.EINTERNAL {
				s.log.Error("job failed", "job", j.ID, "kind", kind, "err", err.Error())
			}
		}
		if err := s.db.FinishJob(ctx, j.ID, status, key, name, msg); err != nil {
			s.log.Error("finish job", "job", j.ID, "err", err.Error())
		}
	}()
	return j, nil
}

func (s *Server) runJob(ctx context.Context, fn job.Func, p job.Progress) (key, name string, err error) {
	defer func() {
		if rec := recover(); rec != nil {
			err = fmt.Errorf("job panic: %v", rec)
		}
	}()
	return fn(ctx, p)
}

// putBlob keeps a file in the blob store and records it in the database
// (name, use, size, who), so every stored file is accounted for.
func (s *Server) putBlob(ctx context.Context, data []byte, name, purpose, contentType string) (string, error) {
	b, err := s.opts.Blobs.Put(ctx, bytes.NewReader(data), int64(len(data))+1)
	if err != nil {
		return "", err
	}
	if contentType != "" {
		b.ContentType = contentType
	}
	if err := s.db.RecordBlob(ctx, store.BlobInfo{Blob: b, Name: name, Purpose: purpose}); err != nil {
		return "", err
	}
	return b.Key, nil
}

// Sweep deletes uploads kept for a confirm step that never came (a roster
// previewed but not imported, a plan document reviewed but not confirmed)
// once they are a day old: they hold personal data and serve nothing.
func (s *Server) Sweep(ctx context.Context) (int, error) {
	keys, err := s.db.FindAbandonedBlobs(ctx, s.clock.Now().Add(-24*time.Hour))
	if err != nil {
		return 0, err
	}
	for _, k := range keys {
		s.dropBlob(ctx, k)
	}
	return len(keys), nil
}

// ownUpload opens a blob the signed-in user stored for purpose, and
// nothing else: a key in a form is the user's own upload coming back for
// its confirm step, never a way to reach someone else's file.
func (s *Server) ownUpload(r *http.Request, key, purpose string) ([]byte, error) {
	info, err := s.db.FindBlob(r.Context(), key)
	if err != nil || info.Purpose != purpose || info.CreatedBy != app.ActorFrom(r.Context()).UserID {
		return nil, app.Errorf(app.EINVALID, "上传的文件已失效，请重新上传")
	}
	rc, err := s.opts.Blobs.Open(r.Context(), key)
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "上传的文件已失效，请重新上传")
	}
	defer rc.Close()
	return upload.ReadLimited(rc, s.opts.MaxUploadBytes)
}

// dropBlob deletes a blob and its record; failures are logged, not
// returned: the user's action has succeeded by then.
func (s *Server) dropBlob(ctx context.Context, key string) {
	if err := s.opts.Blobs.Delete(ctx, key); err != nil {
		s.log.Warn("delete blob", "key", key, "err", err.Error())
		return
	}
	if err := s.db.ForgetBlob(ctx, key); err != nil {
		s.log.Warn("forget blob", "key", key, "err", err.Error())
	}
}

// ownJob finds a job of the signed-in user; others' jobs do not exist for
// them.
func (s *Server) ownJob(r *http.Request) (*job.Job, error) {
	id, err := app.ParseID("id", r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	j, err := s.db.FindJobByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if j.OwnerID != app.ActorFrom(r.Context()).UserID {
		return nil, app.Errorf(app.ENOTFOUND, "任务不存在")
	}
	return j, nil
}

func (s *Server) jobShow(w http.ResponseWriter, r *http.Request) error {
	j, err := s.ownJob(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "json" {
		writeJSON(w, http.StatusOK, map[string]any{"id": j.ID.String(), "status": j.Status, "status_label": j.Status.Label(),
			"done": j.Done, "total": j.Total, "percent": j.Percent(), "message": j.Message, "error": j.Error,
			"download": j.ResultKey != ""})
		return nil
	}
	return s.render(w, r, http.StatusOK, "job", s.newView(r, j.Title, j))
}

func (s *Server) jobDownload(w http.ResponseWriter, r *http.Request) error {
	j, err := s.ownJob(r)
	if err != nil {
		return err
	}
	if j.Status != job.StatusDone || j.ResultKey == "" {
		return app.Errorf(app.ENOTFOUND, "该任务没有可下载的文件")
	}
	rc, err := s.opts.Blobs.Open(r.Context(), j.ResultKey)
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := s.db.WriteAudit(r.Context(), audit.Record{Action: "export.download", ObjectType: "job", ObjectID: j.ID.String(), Detail: j.ResultName}); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", attachment(j.ResultName))
	if _, err = io.Copy(w, rc); err != nil {
		return err
	}
	if j.Kind == "import" {
		// One-time passwords are handed out once: the sheet is deleted
		// after its first complete download.
		s.dropBlob(r.Context(), j.ResultKey)
		if err := s.db.FinishJob(r.Context(), j.ID, job.StatusDone, "", "", ""); err != nil {
			s.log.Warn("clear password sheet", "job", j.ID, "err", err.Error())
		}
	}
	return nil
}

func (s *Server) noticeList(w http.ResponseWriter, r *http.Request) error {
	a := app.ActorFrom(r.Context())
	list, unread, err := s.db.FindNotices(r.Context(), a.UserID, 100)
	if err != nil {
		return err
	}
	v := s.newView(r, "通知", map[string]any{"Notices": list, "Unread": unread})
	v.Active = "notices"
	return s.render(w, r, http.StatusOK, "notices", v)
}

func (s *Server) noticeRead(w http.ResponseWriter, r *http.Request) error {
	id, err := app.ParseID("id", r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := s.db.MarkNoticeRead(r.Context(), app.ActorFrom(r.Context()).UserID, id); err != nil {
		return err
	}
	return s.redirect(w, r, "/notices", "")
}

// attachment is a Content-Disposition header for a download named name;
// mime.FormatMediaType encodes non-ASCII names (RFC 2231) and refuses to
// let a name break out of the header.
func attachment(name string) string {
	if v := mime.FormatMediaType("attachment", map[string]string{"filename": name}); v != "" {
		return v
	}
	return "attachment"
}
