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
		return client.MusicRequest{}, errors.New("use either a description (inspiration mode) or lyrics/title/tags (custom mode), not both")
	case f.Description != "":
		return client.MusicRequest{Mode: client.ModeInspiration, Description: f.Description,
			Instrumental: f.Instrumental, Model: f.Model}, nil
	case custom || f.Instrumental:
		return client.MusicRequest{Mode: client.ModeCustom, Lyrics: f.Lyrics, Title: f.Title, Tags: f.Tags,
			NegativeTags: f.NegativeTags, Instrumental: f.Instrumental, Model: f.Model}, nil
	}
	return client.MusicRequest{}, errors.New("say what to make: --description TEXT, or --lyrics FILE with --title/--tags")
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
		return "", fmt.Errorf("read lyrics: %w", err)
	}
	return string(b), nil
}

func newGenerateCmd(g *globals) *cobra.Command {
	var f genFlags
	var wait bool
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Generate a song (inspiration or custom mode)",
		Long: `Generate a song. Inspiration mode: --description says what the song is about and Suno
writes title, lyrics and style. Custom mode: --lyrics FILE (or - for stdin) with --title,
--tags and --negative-tags. An empty lyrics file makes an instrumental.

The task is saved in the library as soon as the relay accepts it. With --wait the command
follows it until its clips are downloaded (progress on stderr) and exits 1 if it failed.`,
		Example: `  sunostudio generate --description "a summer song about the sea" --wait
  sunostudio generate --lyrics song.txt --title "City Lights" --tags "synthpop, female vocals" --json`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if f.Lyrics, err = readLyrics(f.LyricsFile, cmd.InOrStdin()); err != nil {
				return usageError{err}
			}
			req, err := f.request()
			if err != nil {
				return usageError{err}
			}
			a, err := openApp(cmd, g, readWrite)
			if err != nil {
				return err
			}
			defer a.close()
			if err := a.start(); err != nil {
				return err
			}
			t, err := a.eng.Submit(cmd.Context(), req, studio.SubmitOptions{})
			if err != nil {
				return err
			}
			fmt.Fprintf(a.errw, "submitted task %s\n", t.ID)
			return a.finishTask(cmd.Context(), t, wait)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.Description, "description", "", "what the song is about (inspiration mode)")
	fl.StringVar(&f.LyricsFile, "lyrics", "", "file with the lyrics, or - for stdin (custom mode)")
	fl.StringVar(&f.Title, "title", "", "song title (custom mode)")
	fl.StringVar(&f.Tags, "tags", "", "style tags, e.g. \"synthpop, female vocals\" (custom mode)")
	fl.StringVar(&f.NegativeTags, "negative-tags", "", "styles to avoid (custom mode; not every relay passes it on)")
	fl.BoolVar(&f.Instrumental, "instrumental", false, "no vocals")
	fl.StringVar(&f.Model, "model", "", "model version (mv), e.g. chirp-v4, chirp-auk; default: the profile's")
	fl.BoolVar(&wait, "wait", false, "wait until the clips are downloaded")
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
			return fmt.Errorf("stopped waiting for task %s (it stays in the library and resumes next time): %w", t.ID, err)
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
	case store.TaskFailed, store.TaskTimedOut:
		return fmt.Errorf("task %s %s: %s", t.ID, strings.ReplaceAll(t.Status, "_", " "), t.Error)
	}
	return nil
}

func newLyricsCmd(g *globals) *cobra.Command {
	var wait bool
	cmd := &cobra.Command{
		Use:   "lyrics PROMPT",
		Short: "Have Suno write lyrics from a short prompt",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if strings.TrimSpace(args[0]) == "" {
				return usageError{errors.New("the prompt is empty")}
			}
			a, err := openApp(cmd, g, readWrite)
			if err != nil {
				return err
			}
			defer a.close()
			if err := a.start(); err != nil {
				return err
			}
			t, err := a.eng.SubmitLyrics(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(a.errw, "submitted lyrics task %s\n", t.ID)
			return a.finishTask(cmd.Context(), t, wait)
		},
	}
	cmd.Flags().BoolVar(&wait, "wait", false, "wait for the lyrics and print them")
	return cmd
}

func newBatchCmd(g *globals) *cobra.Command {
	var parallel int
	cmd := &cobra.Command{
		Use:   "batch FILE.jsonl",
		Short: "Generate many songs from a file, a few at a time",
		Long: `Generate one song per line of a JSON Lines file. Each line is an object with the
fields of generate: description, lyrics, title, tags, negative_tags, instrumental, model.
At most --parallel songs are in flight at once; progress goes to stderr and one result
per line to stdout. Run it again and lines already submitted are skipped (their saved
tasks are reported instead), so an interrupted batch can simply be restarted.`,
		Example: `  printf '%s\n' '{"description":"rainy jazz"}' '{"description":"夏日海边","model":"chirp-v4"}' > songs.jsonl
  sunostudio batch songs.jsonl --parallel 2 --json`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if parallel < 1 {
				return usageError{errors.New("--parallel must be at least 1")}
			}
			lines, err := readBatch(args[0])
			if err != nil {
				return usageError{err}
			}
			a, err := openApp(cmd, g, readWrite)
			if err != nil {
				return err
			}
			defer a.close()
			if err := a.start(); err != nil {
				return err
			}
			return a.runBatch(cmd.Context(), lines, parallel)
		},
	}
	cmd.Flags().IntVar(&parallel, "parallel", 2, "songs in flight at once")
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
			return nil, fmt.Errorf("%s line %d: %v", path, n, err)
		}
		req, err := gf.request()
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %v", path, n, err)
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
		return nil, fmt.Errorf("%s has no songs in it", path)
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
			fmt.Fprintf(a.errw, "line %d: already submitted as task %s (%s)\n", l.n, prior.ID, prior.Status)
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
			return fmt.Errorf("batch interrupted; run it again to continue: %w", ctx.Err())
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
					fmt.Fprintf(a.errw, "line %d: %v\n", l.n, err)
					mu.Unlock()
					return
				}
				mu.Lock()
				fmt.Fprintf(a.errw, "line %d: submitted task %s\n", l.n, t.ID)
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
		return fmt.Errorf("batch interrupted; run it again to continue: %w", ctx.Err())
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d songs failed", failed, len(lines))
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
	fmt.Fprintf(a.out, "line %d\t%s\t%s\t%d clips\n", l.n, t.ID, t.Status, len(view.Clips))
}
