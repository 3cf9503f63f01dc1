package client_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"sunostudio/client"
	"sunostudio/client/sim"
)

// clock is an injectable simulator clock: with the same start, two simulators report the
// same times, so results can be compared field by field.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

var clockStart = time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)

func newClock() *clock { return &clock{t: clockStart} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Shapes are the domain results with ids and hosts normalised, and times as offsets from the
// clock's start, so two simulators' answers compare equal when they mean the same.
type clipShape struct {
	ID, TaskID, Status, Title, Tags, Lyrics, Model, ModelVersion   string
	Audio, Stream, Video, Image, ImageLarge, Type, StemFrom, Error string
	Duration                                                       float64
	Created                                                        string
	VideoPending                                                   bool
}

type taskShape struct {
	Err, ID, Kind, Status, RawStatus, FailReason string
	Progress                                     int
	Submit, Start, Finish                        string
	Clips                                        []clipShape
	Lyrics                                       *client.Lyrics
}

func offset(t time.Time) string {
	if t.IsZero() {
		return "zero"
	}
	// Whole seconds: the mainstream shape has second resolution, Quirks.Millis has more.
	return t.Truncate(time.Second).Sub(clockStart).String()
}

func shapeClip(c client.Clip) clipShape {
	return clipShape{ID: c.ID, TaskID: c.TaskID, Status: string(c.Status), Title: c.Title, Tags: c.Tags, Lyrics: c.Lyrics,
		Model: c.Model, ModelVersion: c.ModelVersion, Audio: c.AudioURL, Stream: c.StreamURL, Video: c.VideoURL,
		Image: c.ImageURL, ImageLarge: c.ImageLargeURL, Type: c.Type, StemFrom: c.StemFromID, Error: c.Error,
		Duration: c.Duration, Created: offset(c.CreatedAt), VideoPending: c.VideoPending}
}

func shapeTask(tk client.Task, err error) taskShape {
	if err != nil {
		return taskShape{Err: client.KindOf(err).String() + ": " + err.Error()}
	}
	s := taskShape{ID: tk.ID, Kind: string(tk.Kind), Status: string(tk.Status), RawStatus: tk.RawStatus,
		FailReason: tk.FailReason, Progress: tk.Progress, Submit: offset(tk.SubmitTime), Start: offset(tk.StartTime),
		Finish: offset(tk.FinishTime), Lyrics: tk.Lyrics}
	for _, c := range tk.Clips {
		s.Clips = append(s.Clips, shapeClip(c))
	}
	return s
}

// scenario is everything one quirk can change, step by step.
type scenario struct {
	Submit      []string // task ids of the submits
	NotStarted  taskShape
	Streaming   taskShape
	Complete    taskShape
	Lyrics      taskShape
	Batch       []taskShape
	EmptyBatch  string
	Asset       string
	AssetTask   taskShape
	Stems       []clipShape
	StemPolled  taskShape
	TimingWords int
}

func runScenario(t *testing.T, q sim.Quirks) (scenario, string) {
	t.Helper()
	clk := newClock()
	e := newEnv(t, sim.Options{StageTime: time.Second, Quirks: q, Now: clk.Now}, client.DialectTask)
	ctx := ctxT(t)
	var sc scenario
	sub, err := e.c.SubmitMusic(ctx, client.MusicRequest{Mode: client.ModeCustom, Lyrics: verseLyrics, Title: "Quirk",
		Tags: "quirk rock", Model: "chirp-v4"})
	noErr(t, err, "submit")
	lyr, err := e.c.SubmitLyrics(ctx, "a song about quirks")
	noErr(t, err, "lyrics")
	sc.Submit = []string{sub.TaskID, lyr.TaskID}

	// relay-api 9.5: before the relay's first upstream poll a task has no data (NOT_START).
	sc.NotStarted = shapeTask(e.c.FetchTask(ctx, sub.TaskID, client.KindMusic))
	clk.Add(2500 * time.Millisecond)
	sc.Streaming = shapeTask(e.c.FetchTask(ctx, sub.TaskID, client.KindMusic))
	clk.Add(10 * time.Second)
	done, err := e.c.FetchTask(ctx, sub.TaskID, client.KindMusic)
	sc.Complete = shapeTask(done, err)
	sc.Lyrics = shapeTask(e.c.FetchTask(ctx, lyr.TaskID, client.KindLyrics))

	tasks, err := e.c.FetchTasks(ctx, []string{lyr.TaskID, "00000000-0000-4000-8000-000000000000", sub.TaskID})
	noErr(t, err, "batch")
	slices.SortFunc(tasks, func(a, b client.Task) int { return strings.Compare(string(a.Kind), string(b.Kind)) })
	for _, tk := range tasks {
		sc.Batch = append(sc.Batch, shapeTask(tk, nil))
	}
	empty, err := e.c.FetchTasks(ctx, []string{"00000000-0000-4000-8000-000000000000"})
	sc.EmptyBatch = fmt.Sprintf("%d tasks, err %v", len(empty), err)

	if len(done.Clips) == 0 {
		t.Fatalf("no clips to continue the scenario with: %+v", sc.Complete)
	}
	clip := done.Clips[0].ID
	a, err := e.c.WAV(ctx, clip)
	noErr(t, err, "wav")
	sc.Asset = fmt.Sprintf("clip %s url %q id set %v", a.ClipID, a.URL, a.ID != "")
	clk.Add(5 * time.Second)
	sc.AssetTask = shapeTask(e.c.FetchTask(ctx, a.ID, client.KindMusic))

	st, err := e.c.Stems(ctx, clip)
	noErr(t, err, "stems")
	for _, c := range st.Clips {
		sc.Stems = append(sc.Stems, shapeClip(c))
	}
	clk.Add(5 * time.Second)
	sc.StemPolled = shapeTask(e.c.FetchTask(ctx, st.Clips[0].ID, client.KindMusic))
	tm, err := e.c.Timing(ctx, clip)
	noErr(t, err, "timing")
	sc.TimingWords = len(tm.Words)
	return sc, e.sim.URL()
}

var anyUUID = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// normalise renders a scenario as indented JSON with the base URL and every id replaced by
// its order of first appearance.
func normalise(sc scenario, base string) string {
	b, _ := json.MarshalIndent(sc, "", "  ")
	s := strings.ReplaceAll(string(b), base, "BASE")
	names := map[string]string{}
	return anyUUID.ReplaceAllStringFunc(s, func(id string) string {
		if id == "00000000-0000-4000-8000-000000000000" {
			return "UNKNOWN"
		}
		if _, ok := names[id]; !ok {
			names[id] = fmt.Sprintf("ID%d", len(names)+1)
		}
		return names[id]
	})
}

// TestContractQuirks: every wire variation of sim.Quirks decodes to the same domain result as
// the mainstream shape, except for what the variation really removes (the bare fetch has no
// task times or status spelling; flattened clips have no metadata.type or major version).
func TestContractQuirks(t *testing.T) {
	t.Parallel()
	baseSc, baseURL := runScenario(t, sim.Quirks{})
	for _, tc := range []struct {
		name string
		q    sim.Quirks
	}{
		{"BareFetch", sim.Quirks{BareFetch: true}},
		{"Millis", sim.Quirks{Millis: true}},
		{"IntCode", sim.Quirks{IntCode: true}},
		{"NullEmptyBatch", sim.Quirks{NullEmptyBatch: true}},
		{"FlatClips", sim.Quirks{FlatClips: true}},
		{"StringNumbers", sim.Quirks{StringNumbers: true}},
		{"SubmitObject", sim.Quirks{SubmitObject: true}},
		{"all", sim.Quirks{BareFetch: true, Millis: true, IntCode: true, NullEmptyBatch: true, FlatClips: true,
			StringNumbers: true, SubmitObject: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sc, url := runScenario(t, tc.q)
			want := baseSc
			want.Batch = slices.Clone(want.Batch)
			strip := func(ts *taskShape, bare bool) {
				if tc.q.FlatClips {
					// The flattened shape has no metadata: no type, stem source or major version.
					cl := slices.Clone(ts.Clips)
					for i := range cl {
						cl[i].Type, cl[i].ModelVersion, cl[i].StemFrom = "", "", ""
					}
					ts.Clips = cl
				}
				if bare && tc.q.BareFetch && ts.Err == "" {
					// Suno-API's bare data: no task envelope, so no times, progress or spelling.
					ts.RawStatus, ts.Submit, ts.Start, ts.Finish, ts.Progress = "", "zero", "zero", "zero", -1
				}
			}
			for _, ts := range []*taskShape{&want.NotStarted, &want.Streaming, &want.Complete, &want.Lyrics, &want.AssetTask, &want.StemPolled} {
				strip(ts, true)
			}
			for i := range want.Batch {
				strip(&want.Batch[i], false)
			}
			// Stems announced by /act/stems are raw Suno clips, not task data: no quirk
			// touches them except StringNumbers, so want.Stems is compared as is.
			got, exp := normalise(sc, url), normalise(want, baseURL)
			if got != exp {
				t.Errorf("quirk %s decodes differently from the mainstream shape:\n%s", tc.name, diffLines(exp, got))
			}
		})
	}
}

// diffLines shows the lines that differ between want and got (same line count expected for
// a field-by-field dump; otherwise both are shown whole).
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	if len(w) != len(g) {
		return "want:\n" + want + "\ngot:\n" + got
	}
	for i := range w {
		if w[i] != g[i] {
			fmt.Fprintf(&b, "line %d\n  want %s\n  got  %s\n", i+1, strings.TrimSpace(w[i]), strings.TrimSpace(g[i]))
		}
	}
	return b.String()
}
