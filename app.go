package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"sunostudio/client"
	"sunostudio/client/sim"
	"sunostudio/config"
	"sunostudio/internal/i18n"
	"sunostudio/store"
	"sunostudio/studio"
)

// globals are the flags every command has.
type globals struct {
	dataDir string
	profile string
	json    bool
}

// app is one run's wiring: config, library, relay client (or the demo simulator) and engine.
type app struct {
	cfg     *config.Config
	st      *store.Store
	cl      *client.Client
	eng     *studio.Engine
	demo    *sim.Sim
	log     *slog.Logger
	logFile *os.File
	out     io.Writer // data only
	errw    io.Writer // progress, notices, warnings
	json    bool
}

// access says what a command needs from the library.
type access int

const (
	readOnly  access = iota // browsing: a snapshot will do when another sunostudio holds the library
	readWrite               // changes the library or talks to the relay
)

// errLibraryBusy is returned by commands that must write while another process holds the lock.
// Its text is looked up when it is printed: the language is chosen after package variables are set.
var errLibraryBusy error = libraryBusyError{}

type libraryBusyError struct{}

func (libraryBusyError) Error() string { return i18n.T("cli.err.library_busy") }

func openApp(cmd *cobra.Command, g *globals, need access) (*app, error) {
	a := &app{out: cmd.OutOrStdout(), errw: cmd.ErrOrStderr(), json: g.json}
	cfg, err := config.Load(config.Options{DataDir: g.dataDir, Profile: g.profile})
	if err != nil {
		return nil, err
	}
	a.cfg = cfg
	for _, w := range cfg.Warnings {
		fmt.Fprintln(a.errw, i18n.T("cli.app.warning", w))
	}
	if cfg.Created {
		fmt.Fprintln(a.errw, i18n.T("cli.app.wrote_config", cfg.Paths.ConfigFile))
	}
	if err := a.openLog(); err != nil {
		return nil, err
	}
	if err := a.openStore(need); err != nil {
		a.close()
		return nil, err
	}
	if err := a.openClient(); err != nil {
		a.close()
		return nil, err
	}
	eng, err := studio.New(studio.Options{Client: a.cl, Store: a.st, SongsDir: cfg.Paths.SongsDir(),
		Profile: a.cl.Profile().Name, Logger: a.log, PollBase: cfg.PollInterval})
	if err != nil {
		a.close()
		return nil, err
	}
	a.eng = eng
	return a, nil
}

func (a *app) openLog() error {
	dir := a.cfg.Paths.LogDir
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return withCause(i18n.T("cli.err.log_dir", err), err)
	}
	f, err := os.OpenFile(a.cfg.Paths.LogFile(), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return withCause(i18n.T("cli.err.log_file", err), err)
	}
	a.logFile = f
	level := slog.LevelInfo
	if strings.EqualFold(os.Getenv("SUNOSTUDIO_LOG"), "debug") {
		level = slog.LevelDebug
	}
	a.log = slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: level})).With("pid", os.Getpid())
	return nil
}

func (a *app) openStore(need access) error {
	if err := os.MkdirAll(a.cfg.Paths.DataDir, 0o700); err != nil {
		return withCause(i18n.T("cli.err.library_dir", err), err)
	}
	path := a.cfg.Paths.Library()
	st, err := store.Open(path, store.OpenOptions{Timeout: 500 * time.Millisecond})
	if errors.Is(err, store.ErrLocked) {
		if need == readWrite {
			return withCause(i18n.T("cli.err.locked_busy", err, errLibraryBusy), err, errLibraryBusy)
		}
		fmt.Fprintln(a.errw, i18n.T("cli.app.snapshot", err))
		st, err = store.OpenSnapshot(path, store.OpenOptions{})
	}
	if err != nil {
		return err
	}
	a.st = st
	return nil
}

// openClient builds the relay client, or starts the built-in simulator in demo mode. The
// simulator keeps its state next to the library so demo tasks resume after a restart.
func (a *app) openClient() error {
	p := a.cfg.Profile
	if a.cfg.Demo {
		fmt.Fprintln(a.errw, i18n.T("cli.app.demo"))
		opts := sim.DemoOptions()
		opts.StateFile = filepath.Join(a.cfg.Paths.DataDir, "demo-relay.json")
		opts.Logf = func(format string, args ...any) { a.log.Debug(fmt.Sprintf(format, args...), "component", "sim") }
		s, err := sim.Start(opts)
		if err != nil {
			return withCause(i18n.T("cli.err.sim_start", err), err)
		}
		a.demo = s
		p.BaseURL, p.APIKey, p.Dialect = s.URL(), s.Key(), client.DialectTask
	}
	cl, err := client.New(p, client.WithLogger(a.log))
	if err != nil {
		return err
	}
	a.cl = cl
	return nil
}

// start resumes the engine's background work: tracking and downloads.
func (a *app) start() error { return a.eng.Start() }

// engineUse says whether a command needs the engine's background work (tracking, downloads).
type engineUse bool

const (
	engineIdle    engineUse = false // library and relay calls only
	engineRunning engineUse = true  // the engine is started before the command runs
)

// withApp opens the app, starts the engine when asked, runs fn and closes the app.
func withApp(cmd *cobra.Command, g *globals, need access, eng engineUse, fn func(a *app) error) error {
	a, err := openApp(cmd, g, need)
	if err != nil {
		return err
	}
	defer a.close()
	if eng == engineRunning {
		if err := a.start(); err != nil {
			return err
		}
	}
	return fn(a)
}

func (a *app) close() {
	if a.eng != nil {
		a.eng.Close()
	}
	if a.demo != nil {
		a.demo.Close()
	}
	if a.st != nil {
		a.st.Close()
	}
	if a.logFile != nil {
		a.logFile.Close()
	}
}
