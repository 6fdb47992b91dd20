package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"pufa/internal/account"
	"pufa/internal/app"
	"pufa/internal/blob"
	"pufa/internal/org"
	"pufa/internal/password"
	"pufa/internal/store"
	"pufa/internal/web"
)

func cmdServe(ctx context.Context, c *cli, name string, args []string) error {
	f := newFlags(name, flagOpts{server: true})
	if err := f.parse(c, args); err != nil {
		return err
	}
	cfg := f.cfg
	log := cfg.newLogger(c.stderr, true)
	d, err := cfg.open(ctx, log, migrateAll)
	if err != nil {
		return err
	}
	defer d.close()
	actx := cliContext(ctx, c, name)
	if _, err := bootstrap(actx, d.db, d.hasher, cfg.rootName, cfg.rootCode, c.stderr); err != nil {
		return err
	}
	return serve(ctx, cfg, d, cfg.secureCookies)
}

// adminAccount is one of the 三员 accounts bootstrap created.
type adminAccount struct {
	Role, Login, Password string
}

// bootstrap prepares an empty database for its first start: it creates the
// root region from name and code, and an account for each of the 三员
// roles that nobody holds yet (sysadmin, secadmin, auditor, one role each),
// with a random one-time password that must be changed at first sign-in.
// It prints the passwords to w, once, and returns the accounts it created;
// on a database that has them it creates and prints nothing.
func bootstrap(ctx context.Context, db *store.DB, h password.Hasher, rootName, rootCode string, w io.Writer) ([]adminAccount, error) {
	root, created, err := ensureRoot(ctx, db, rootName, rootCode)
	if err != nil {
		return nil, err
	}
	var made []adminAccount
	for _, role := range []string{account.RoleSysAdmin, account.RoleSecAdmin, account.RoleAuditor} {
		// Anyone holding the role, even a deactivated account, means the
		// role has been handed out; a new account would only add a door.
		if _, n, err := db.FindUsers(ctx, account.Filter{Role: &role, Limit: 1}); err != nil {
			return made, err
		} else if n > 0 {
			continue
		}
		pw, err := password.Generate()
		if err != nil {
			return made, err
		}
		hash, err := h.Hash(ctx, pw)
		if err != nil {
			return made, err
		}
		u := &account.User{Login: role, Name: account.RoleLabel(role), OrgID: root.ID, Roles: []string{role},
			Rank: account.RankStaff, MustChange: true, PasswordHash: hash}
		if err := db.CreateUser(ctx, u); err != nil {
			if app.ErrorCode(err) == app.ECONFLICT {
				// Another node starting on the same database may have
				// made the account a moment ago.
				if other, ferr := db.FindUserByLogin(ctx, role); ferr == nil && slices.Contains(other.Roles, role) {
					continue
				}
				return made, fmt.Errorf("无法创建%s账号：登录名“%s”已被一个没有该角色的账号使用，请改名后重试", account.RoleLabel(role), role)
			}
			return made, err
		}
		made = append(made, adminAccount{Role: role, Login: role, Password: pw})
	}
	if created || len(made) > 0 {
		printBootstrap(w, root, created, made)
	}
	return made, nil
}

func printBootstrap(w io.Writer, root *org.Org, rootCreated bool, made []adminAccount) {
	fmt.Fprintln(w)
	if rootCreated {
		fmt.Fprintf(w, "已创建根组织：%s（%s），可在组织管理中修改。\n", root.Name, root.Code)
	}
	if len(made) > 0 {
		fmt.Fprintln(w, "已创建三员账号。以下一次性密码只显示这一次，请立即记下并分别交给各管理员；首次登录须修改密码：")
		rows := [][]string{{"角色", "登录名", "一次性密码"}}
		for _, a := range made {
			rows = append(rows, []string{account.RoleLabel(a.Role), a.Login, a.Password})
		}
		printTable(w, rows)
	}
	fmt.Fprintln(w)
}

// ensureRoot returns the root org, creating it from name and code on an
// empty database.
func ensureRoot(ctx context.Context, db *store.DB, name, code string) (*org.Org, bool, error) {
	root, err := db.FindRootOrg(ctx)
	if err == nil {
		return root, false, nil
	} else if app.ErrorCode(err) != app.ENOTFOUND {
		return nil, false, err
	}
	if name == "" || code == "" {
		return nil, false, usagef("数据库是空的：请用 --root-name 和 --root-code（或环境变量 PUFA_ROOT_NAME、PUFA_ROOT_CODE）给出本级行政区的名称和 6 位行政区划代码，例如 --root-name 临江区 --root-code 330199；以后可在组织管理中修改")
	}
	root = &org.Org{Kind: org.KindRegion, Name: name, Code: code}
	if err := db.CreateOrg(ctx, root); err != nil {
		// Another node starting on the same database may have made the
		// root a moment ago.
		if other, ferr := db.FindRootOrg(ctx); ferr == nil {
			return other, false, nil
		}
		if app.ErrorCode(err) == app.EINVALID {
			return nil, false, usagef("--root-name/--root-code：%s", app.ErrorMessage(err))
		}
		return nil, false, err
	}
	return root, true, nil
}

// readyKey carries a function serve calls with its bound address once it
// listens; tests listen on port 0 and learn the port this way.
type readyKey struct{}

func withReady(ctx context.Context, fn func(addr string)) context.Context {
	return context.WithValue(ctx, readyKey{}, fn)
}

// serve runs the web server on cfg.addr until ctx ends, then shuts down
// gracefully: it stops accepting, lets requests in flight finish within
// the shutdown timeout, and waits for background work.
func serve(ctx context.Context, cfg *config, d *deps, secureCookies bool) error {
	log := d.log
	blobs, err := blob.NewLocal(filepath.Join(cfg.dataDir, "blobs"))
	if err != nil {
		return err
	}
	// Everything the server keeps in the blob folder (exports with
	// personal data, uploaded rosters, one-time password sheets) is
	// encrypted with the data key.
	srv, err := web.New(web.Options{
		DB: d.db, Auth: d.auth, Crypto: d.crypto, Blobs: blob.Seal(blobs, d.crypto), Logger: log,
		Clock: app.SystemClock{}, SecureCookies: secureCookies, Version: versionString(),
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("监听 %s 失败: %w", cfg.addr, err)
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		// Generous for a 20 MB upload on a slow county link, but bounded,
		// so a trickling client cannot hold a connection forever.
		ReadTimeout:    5 * time.Minute,
		WriteTimeout:   5 * time.Minute,
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	// Live streams never end by themselves: end them, or Shutdown waits
	// its whole timeout for the screens of a knowledge contest's final.
	hs.RegisterOnShutdown(srv.StopStreams)
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()

	bg, stopBG := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { maintain(bg, d, blobs, srv, cfg, log) })
	wg.Go(func() { submitDue(bg, srv, log) })
	defer func() { stopBG(); wg.Wait() }()

	addr := ln.Addr().String()
	log.Info("pufa 已启动", "url", "http://"+addr, "version", versionString(), "dialect", d.db.Dialect, "schema", d.schema, "node", cfg.nodeID)
	if fn, ok := ctx.Value(readyKey{}).(func(string)); ok {
		fn(addr)
	}

	select {
	case err := <-served:
		return fmt.Errorf("服务异常停止: %w", err)
	case <-ctx.Done():
	}
	log.Info("正在停止：不再接受新连接，等待进行中的请求完成", "timeout", cfg.shutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer cancel()
	err = hs.Shutdown(sctx)
	if e := <-served; !errors.Is(e, http.ErrServerClosed) && err == nil {
		err = e
	}
	if e := srv.Close(sctx); e != nil && err == nil {
		err = e
	}
	if err != nil {
		return fmt.Errorf("停止服务: %w", err)
	}
	log.Info("pufa 已停止")
	return nil
}

// submitEvery is how often the server looks for exam attempts whose grace
// has ended: an attempt is submitted at most this long after it.
const submitEvery = 5 * time.Second

// submitDue submits exam attempts left open past their grace, with their
// last saved answers, until ctx ends. Several nodes may do it at once:
// submitting a submitted attempt changes nothing.
func submitDue(ctx context.Context, srv *web.Server, log *slog.Logger) {
	t := time.NewTicker(submitEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if n, err := srv.SubmitDue(ctx); err != nil && ctx.Err() == nil {
			log.Error("考试到时自动交卷失败", "err", err)
		} else if n > 0 {
			log.Info("考试到时自动交卷", "count", n)
		}
	}
}

// maintainEvery is how often the server sweeps expired sessions.
const maintainEvery = 5 * time.Minute

// maintain deletes expired sessions and stale upload leftovers now and
// every few minutes until ctx ends. Several nodes may sweep the same
// database: the deletes are idempotent.
func maintain(ctx context.Context, d *deps, blobs *blob.Local, srv *web.Server, cfg *config, log *slog.Logger) {
	t := time.NewTicker(maintainEvery)
	defer t.Stop()
	timeouts := cfg.timeouts()
	for {
		n, err := d.db.DeleteExpiredSessions(ctx, time.Now().UTC(), timeouts)
		if err != nil && ctx.Err() == nil {
			log.Error("清理过期会话失败", "err", err)
		} else if n > 0 {
			log.Info("已清理过期会话", "count", n)
		}
		if _, err := blobs.RemoveStaleTemp(time.Now().Add(-time.Hour)); err != nil {
			log.Warn("清理附件临时文件失败", "err", err)
		}
		if n, err := srv.Sweep(ctx); err != nil && ctx.Err() == nil {
			log.Warn("清理未确认的上传文件失败", "err", err)
		} else if n > 0 {
			log.Info("已清理未确认的上传文件", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
