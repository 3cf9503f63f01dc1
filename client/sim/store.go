package sim

import (
	"crypto/rand"
	"fmt"
	"time"
)

// The store holds tasks and clips. Records are immutable once published (only the forced flags
// change, under Sim.mu), and a record's visible state is a pure function of its submit time,
// the clock, StageTime and its fate: there are no timers or goroutines per task, so an injected
// clock moves every task consistently and nothing leaks when the simulator is dropped.

// stage is the life-cycle position of one clip.
type stage int

const (
	stSubmitted stage = iota
	stQueued
	stStreaming
	stComplete
	stError
)

func (st stage) clipStatus() string {
	switch st {
	case stSubmitted:
		return "submitted"
	case stQueued:
		return "queued"
	case stStreaming:
		return "streaming"
	case stComplete:
		return "complete"
	}
	return "error"
}

// Task kinds (what the task produces); all music-like kinds report action MUSIC on the wire.
const (
	kindMusic  = "music"
	kindLyrics = "lyrics"
	kindConcat = "concat"
	kindWAV    = "wav"
	kindMP4    = "mp4"
)

// Clip types as Suno reports them in metadata.type.
const (
	typeGen    = "gen"
	typeConcat = "concat"
	typeStem   = "stem"
	typeUpload = "upload"
)

type clip struct {
	id      string
	task    *task // owning task; nil for standalone clips (stems from /act/stems, uploads)
	index   int   // position in the task; clip 2 finishes one stage later than clip 1
	created time.Time

	title   string
	tags    string
	negTags string
	lyrics  string // metadata.prompt
	desc    string // gpt_description_prompt ("" with hasDesc=false renders null)
	hasDesc bool
	mv      string
	typ     string
	seed    string // audio seed: songs differ by prompt
	// seconds is the song length asked for when the clip was made (Options.SongSeconds then),
	// so that its audio stays the same if the simulator restarts with other options.
	seconds float64

	// Lineage. Pointers, not ids, so that audio can be built without the store lock.
	parent     *clip   // extension parent (continue_clip_id)
	continueAt float64 // seconds into parent; <0 = from the end
	source     *clip   // cover / infill / stem / concat source
	infillFrom float64
	infillTo   float64
	personaID  string
	artistClip string
	stemLabel  string // "Vocals" / "Instrumental"
	uploadURL  string

	forced bool // Complete() on a standalone clip (guarded by Sim.mu)
}

type lyricsRec struct {
	id    string
	title string
	text  string
}

type task struct {
	id        string
	kind      string
	submitted time.Time
	hook      string
	fate      fate
	forced    bool // Complete() was called (guarded by Sim.mu)
	clips     []*clip
	lyr       *lyricsRec
	input     string // GoAmz "input" echo: the request body as a JSON string
	ref       *clip  // wav / mp4 jobs: the clip the asset is made from
	prompt    string // the raw text the fate keywords came from (for chat and logs)
}

func (t *task) action() string {
	if t.kind == kindLyrics {
		return "LYRICS"
	}
	return "MUSIC"
}

// newID returns a random UUID v4, the id format Suno and Suno-API use for clips and tasks.
func newID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// stages returns how many whole stages have elapsed since t0 (StageTime 0 means "all of them").
func (s *Sim) stages(t0, now time.Time) int {
	st := s.opts.StageTime
	if st <= 0 {
		return 1 << 20
	}
	e := now.Sub(t0)
	if e < 0 {
		return 0
	}
	return int(e / st)
}

// notStarted reports the NOT_START window: the first half stage, before the relay has polled
// upstream (new-api stores no data then).
func (s *Sim) notStarted(t *task, now time.Time) bool {
	st := s.opts.StageTime
	return !t.forced && st > 0 && now.Sub(t.submitted) < st/2
}

// clipStage computes a clip's stage. Must be called with s.mu held (reads forced flags).
func (s *Sim) clipStage(c *clip, now time.Time) stage {
	if c.typ == typeUpload {
		return stComplete
	}
	if c.task == nil { // standalone stem: queued -> streaming -> complete
		if c.forced {
			return stComplete
		}
		switch n := s.stages(c.created, now); {
		case n < 1:
			return stQueued
		case n < 2:
			return stStreaming
		}
		return stComplete
	}
	t := c.task
	lag := 0
	if c.index > 0 {
		lag = 1
	}
	n := s.stages(t.submitted, now)
	if t.forced {
		n = 1 << 20
	}
	switch t.fate {
	case fateFail:
		if n < 1 {
			return stSubmitted
		}
		return stError
	case fatePolicy:
		if n >= 2 {
			return stError
		}
	case fateNever:
		if t.forced {
			return stComplete
		}
		if n > 2 {
			n = 2
		}
	}
	switch {
	case n < 1:
		return stSubmitted
	case n < 2:
		return stQueued
	case n < 3+lag:
		return stStreaming
	}
	return stComplete
}

// taskState is the task-level view derived from its clips.
type taskState struct {
	status     string // NOT_START, SUBMITTED, QUEUED, IN_PROGRESS, SUCCESS, FAILURE
	progress   int
	startTime  time.Time
	finishTime time.Time
	failReason string
	stages     []stage
	hasData    bool
}

func (ts taskState) done() bool { return ts.status == "SUCCESS" || ts.status == "FAILURE" }

// taskStateOf computes a task's state. Must be called with s.mu held.
func (s *Sim) taskStateOf(t *task, now time.Time) taskState {
	st := s.opts.StageTime
	var ts taskState
	if s.notStarted(t, now) {
		ts.status = "NOT_START"
		return ts
	}
	ts.hasData = true
	switch t.kind {
	case kindLyrics, kindWAV, kindMP4:
		// One-step jobs: running for a while, then done.
		doneAfter := st
		if t.kind != kindLyrics {
			doneAfter = 2 * st
		}
		elapsed := now.Sub(t.submitted)
		switch {
		case t.fate == fateFail && (elapsed >= st/2 || t.forced):
			ts.status = "FAILURE"
			ts.failReason = failText
			ts.hasData = false
			ts.finishTime = t.submitted.Add(st / 2)
		case t.forced || st <= 0 || elapsed >= doneAfter:
			ts.status = "SUCCESS"
			ts.finishTime = t.submitted.Add(doneAfter)
		default:
			ts.status = "IN_PROGRESS"
			ts.hasData = t.kind != kindLyrics
			ts.progress = int(100 * elapsed / doneAfter)
		}
		ts.startTime = t.submitted.Add(st / 2)
		if ts.done() {
			ts.progress = 100
		}
		if t.kind == kindLyrics && ts.status != "SUCCESS" {
			ts.hasData = false
		}
		return ts
	}
	worst := stComplete
	for _, c := range t.clips {
		cs := s.clipStage(c, now)
		ts.stages = append(ts.stages, cs)
		if cs == stError {
			worst = stError
		} else if worst != stError && cs < worst {
			worst = cs
		}
	}
	switch worst {
	case stSubmitted:
		ts.status = "SUBMITTED"
	case stQueued:
		ts.status = "QUEUED"
	case stStreaming:
		ts.status = "IN_PROGRESS"
	case stComplete:
		ts.status = "SUCCESS"
	default:
		ts.status = "FAILURE"
		ts.failReason = failText
		if t.fate == fatePolicy {
			ts.failReason = policyText
		}
	}
	if s.stages(t.submitted, now) >= 1 || t.forced {
		ts.startTime = t.submitted.Add(st)
	}
	if ts.done() {
		ts.progress = 100
		total := 3
		if len(t.clips) > 1 {
			total = 4
		}
		switch {
		case t.fate == fateFail:
			total = 1
		case t.fate == fatePolicy:
			total = 2
		}
		ts.finishTime = t.submitted.Add(time.Duration(total) * st)
		if t.forced && ts.finishTime.After(now) {
			ts.finishTime = now
		}
	} else if st > 0 {
		p := int(100 * now.Sub(t.submitted) / (4 * st))
		ts.progress = min(max(p, 0), 99)
	}
	return ts
}

const (
	failText   = "Audio generation failed: upstream error, please try again (sim:fail)"
	policyText = "Sorry, your request was blocked by the content policy. Please revise your lyrics or style and try again (sim:policy)"
)
