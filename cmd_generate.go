package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"sunostudio/client"
	"sunostudio/internal/i18n"
	"sunostudio/store"
	"sunostudio/studio"
)

// genFlags are the fields of one generation, shared by `generate` and batch files.
type genFlags struct {
	Description  string `json:"description"`
	LyricsFile   string `json:"-"`
	Lyrics       string `json:"lyrics"`
	Title        string `json:"title"`
	Tags         string `json:"tags"`
	NegativeTags string `json:"negative_tags"`
	Instrumental bool   `json:"instrumental"`
	Model        string `json:"model"`
}

// request turns the fields into a music request, or says what is wrong with them.
func (f genFlags) request() (client.MusicRequest, error) {
	custom := f.Lyrics != "" || f.Title != "" || f.Tags != "" || f.NegativeTags != ""
	switch {
	case f.Description != "" && custom:
		return client.MusicRequest{}, errors.New(i18n.T("cli.err.both_modes"))
	case f.Description != "":
		return client.MusicRequest{Mode: client.ModeInspiration, Description: f.Description,
			Instrumental: f.Instrumental, Model: f.Model}, nil
	case custom || f.Instrumental:
		return client.MusicRequest{Mode: client.ModeCustom, Lyrics: f.Lyrics, Title: f.Title, Tags: f.Tags,
			NegativeTags: f.NegativeTags, Instrumental: f.Instrumental, Model: f.Model}, nil
	}
	return client.MusicRequest{}, errors.New(i18n.T("cli.err.nothing_to_make"))
}

func readLyrics(path string, stdin io.Reader) (string, error) {
	if path == "" {
		return "", nil
	}
	var r io.Reader = stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return "", err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return "", withCause(i18n.T("cli.err.read_lyrics", err), err)
	}
	return string(b), nil
}

func newGenerateCmd(g *globals) *cobra.Command {
	var f genFlags
	var wait bool
	cmd := &cobra.Command{
		Use:     "generate",
		Short:   i18n.T("cli.generate.short"),
		Long:    i18n.T("cli.generate.long"),
		Example: i18n.T("cli.generate.example"),
		Args:    exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if f.Lyrics, err = readLyrics(f.LyricsFile, cmd.InOrStdin()); err != nil {
				return usageError{err}
			}
			req, err := f.request()
			if err != nil {
				return usageError{err}
			}
			return withApp(cmd, g, readWrite, engineRunning, func(a *app) error {
				t, err := a.eng.Submit(cmd.Context(), req, studio.SubmitOptions{})
				if err != nil {
					return err
				}
				fmt.Fprintln(a.errw, i18n.T("cli.generate.submitted", t.ID))
				return a.finishTask(cmd.Context(), t, wait)
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.Description, "description", "", i18n.T("cli.generate.flag.description"))
	fl.StringVar(&f.LyricsFile, "lyrics", "", i18n.T("cli.generate.flag.lyrics"))
	fl.StringVar(&f.Title, "title", "", i18n.T("cli.generate.flag.title"))
	fl.StringVar(&f.Tags, "tags", "", i18n.T("cli.generate.flag.tags"))
	fl.StringVar(&f.NegativeTags, "negative-tags", "", i18n.T("cli.generate.flag.negative_tags"))
	fl.BoolVar(&f.Instrumental, "instrumental", false, i18n.T("cli.generate.flag.instrumental"))
	fl.StringVar(&f.Model, "model", "", i18n.T("cli.generate.flag.model"))
	fl.BoolVar(&wait, "wait", false, i18n.T("cli.flag.wait_clips"))
	return cmd
}

// finishTask prints a submitted task, after waiting for it when asked. A failed or timed-out
// task is an error (exit 1) once printed.
func (a *app) finishTask(ctx context.Context, t *store.Task, wait bool) error {
	if wait {
		pp := newProgressPrinter(a.errw)
		var err error
		t, err = a.eng.Wait(ctx, t.ID, pp.event)
		if err != nil {
			return withCause(i18n.T("cli.err.stopped_waiting_task", t.ID, err), err)
		}
	}
	view, err := a.taskJSON(t)
	if err != nil {
		return err
	}
	if a.json {
		if err := printJSON(a.out, view); err != nil {
			return err
		}
	} else {
		clips, _ := a.st.ClipsOfTask(t.ID)
		printTask(a.out, t, clips)
	}
	switch t.Status {
	case store.TaskFailed:
		return errors.New(i18n.T("cli.err.task_failed", t.ID, studio.Localize(t.Error)))
	case store.TaskTimedOut:
		return errors.New(i18n.T("cli.err.task_timed_out", t.ID, studio.Localize(t.Error)))
	}
	return nil
}

func newLyricsCmd(g *globals) *cobra.Command {
	var wait bool
	cmd := &cobra.Command{
		Use:   "lyrics PROMPT", // i18n:ignore: command syntax
		Short: i18n.T("cli.lyrics.short"),
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if strings.TrimSpace(args[0]) == "" {
				return usageError{errors.New(i18n.T("cli.err.empty_prompt"))}
			}
			return withApp(cmd, g, readWrite, engineRunning, func(a *app) error {
				t, err := a.eng.SubmitLyrics(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				fmt.Fprintln(a.errw, i18n.T("cli.lyrics.submitted", t.ID))
				return a.finishTask(cmd.Context(), t, wait)
			})
		},
	}
	cmd.Flags().BoolVar(&wait, "wait", false, i18n.T("cli.lyrics.flag.wait"))
	return cmd
}

func newBatchCmd(g *globals) *cobra.Command {
	var parallel int
	cmd := &cobra.Command{
		Use:     "batch FILE.jsonl", // i18n:ignore: command syntax
		Short:   i18n.T("cli.batch.short"),
		Long:    i18n.T("cli.batch.long"),
		Example: i18n.T("cli.batch.example", "songs.jsonl"),
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if parallel < 1 {
				return usageError{errors.New(i18n.T("cli.err.parallel"))}
			}
			lines, err := readBatch(args[0])
			if err != nil {
				return usageError{err}
			}
			return withApp(cmd, g, readWrite, engineRunning, func(a *app) error {
				return a.runBatch(cmd.Context(), lines, parallel)
			})
		},
	}
	cmd.Flags().IntVar(&parallel, "parallel", 2, i18n.T("cli.batch.flag.parallel"))
	return cmd
}

type batchLine struct {
	n   int
	key string
	req client.MusicRequest
}

// readBatch parses and checks the whole file before anything is submitted, so a typo on line
// 40 does not leave a half-run batch.
func readBatch(path string) ([]batchLine, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	seen := map[string]int{}
	var out []batchLine
	for n := 1; sc.Scan(); n++ {
		raw := strings.TrimSpace(sc.Text())
		if raw == "" || strings.HasPrefix(raw, "#") || strings.HasPrefix(raw, "//") {
			continue
		}
		var gf genFlags
		dec := json.NewDecoder(strings.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&gf); err != nil {
			return nil, errors.New(i18n.T("cli.err.batch_line", path, n, err))
		}
		req, err := gf.request()
		if err != nil {
			return nil, errors.New(i18n.T("cli.err.batch_line", path, n, err))
		}
		// The key is the line's meaning plus how often the same line came before, so a file
		// that asks for the same song twice gets two songs, and a rerun skips both.
		canon, _ := json.Marshal(gf)
		seen[string(canon)]++
		sum := sha256.Sum256(fmt.Appendf(canon, "#%d", seen[string(canon)]))
		out = append(out, batchLine{n: n, key: "batch:" + hex.EncodeToString(sum[:12]), req: req})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(out) == 0 {
		return nil, errors.New(i18n.T("cli.err.batch_empty", path))
	}
	return out, nil
}

func (a *app) runBatch(ctx context.Context, lines []batchLine, parallel int) error {
	pp := newProgressPrinter(a.errw)
	var mu sync.Mutex // serialises stdout lines and the failure count
	failed := 0
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for _, l := range lines {
		prior, found := a.eng.FindTaskByBatchKey(l.key)
		if found {
			mu.Lock() // earlier lines' workers write to stderr too
			fmt.Fprintln(a.errw, i18n.T("cli.batch.already", l.n, prior.ID, statusWord(prior.Status)))
			mu.Unlock()
			if done, _ := a.eng.Settled(prior); done {
				a.reportBatch(&mu, l, prior, &failed)
				continue
			}
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return withCause(i18n.T("cli.err.batch_interrupted", ctx.Err()), ctx.Err())
		}
		wg.Add(1)
		go func(l batchLine, t *store.Task) {
			defer wg.Done()
			defer func() { <-sem }()
			var err error
			if t == nil { // not submitted in an earlier run
				t, err = a.eng.Submit(ctx, l.req, studio.SubmitOptions{BatchKey: l.key})
				if err != nil {
					mu.Lock()
					failed++
					fmt.Fprintln(a.errw, i18n.T("cli.batch.line_error", l.n, err))
					mu.Unlock()
					return
				}
				mu.Lock()
				fmt.Fprintln(a.errw, i18n.T("cli.batch.submitted", l.n, t.ID))
				mu.Unlock()
			}
			t, err = a.eng.Wait(ctx, t.ID, func(ev studio.Event) {
				mu.Lock()
				pp.event(ev)
				mu.Unlock()
			})
			if err != nil {
				return // interrupted: the task is saved and resumes next run
			}
			a.reportBatch(&mu, l, t, &failed)
		}(l, prior)
	}
	wg.Wait()
	if ctx.Err() != nil {
		return withCause(i18n.T("cli.err.batch_interrupted", ctx.Err()), ctx.Err())
	}
	if failed > 0 {
		return errors.New(i18n.T("cli.err.batch_failed", failed, len(lines)))
	}
	return nil
}

func (a *app) reportBatch(mu *sync.Mutex, l batchLine, t *store.Task, failed *int) {
	view, _ := a.taskJSON(t)
	mu.Lock()
	defer mu.Unlock()
	if t.Status == store.TaskFailed || t.Status == store.TaskTimedOut {
		*failed++
	}
	if a.json {
		b, _ := json.Marshal(struct {
			Line int `json:"line"`
			studio.TaskJSON
		}{l.n, view})
		fmt.Fprintln(a.out, string(b))
		return
	}
	fmt.Fprintln(a.out, i18n.T("cli.batch.result", l.n, t.ID, statusWord(t.Status), len(view.Clips)))
}
