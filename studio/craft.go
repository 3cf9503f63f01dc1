package studio

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/url"
	"strings"

	"sunostudio/client"
	"sunostudio/internal/i18n"
	"sunostudio/store"
)

// Song craft: making new songs out of library clips (extend, full song, cover, replace a
// section, persona songs). Every action is a music request recorded through submitWith, so a
// paid request is in the library before the relay is asked, and a refusal leaves nothing.

// CraftOptions are the words and style of a song made from another. Empty fields take the
// source's where that is what a person means (an extension keeps the title and style).
type CraftOptions struct {
	Lyrics string
	Tags   string
	Title  string
	// Model is the mv value; empty means the one the source was made with, else the profile's.
	Model string
}

// ErrBadInput marks a request the engine refuses before asking the relay (a point past the end
// of the song, an empty window). The CLI exits 2 for it; the TUI shows it next to the field.
var ErrBadInput error = i18n.Text("studio.err.bad_input")

type inputError struct{ msg string }

func (e *inputError) Error() string        { return e.msg }
func (e *inputError) Is(target error) bool { return target == ErrBadInput }

// badInput refuses a request; msg is in words for people (i18n.T).
func badInput(msg string) error {
	return &inputError{msg: msg}
}

// notInLibrary is store.ErrNotFound in words a person reads.
type notInLibrary string

func (n notInLibrary) Error() string        { return i18n.T("studio.err.not_in_library", string(n)) }
func (n notInLibrary) Is(target error) bool { return target == store.ErrNotFound }

// finishedClip is a library clip that the relay can work from: it must be complete.
func (e *Engine) finishedClip(id string) (*store.Clip, error) {
	c, err := e.st.Clip(id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notInLibrary(id)
	}
	if err != nil {
		return nil, err
	}
	if c.Status != store.ClipComplete {
		return nil, errors.New(i18n.T("studio.err.not_finished", id, c.Status))
	}
	return c, nil
}

// relayTaskID is the relay task that made a clip, which extend and infill must name (relays
// answer 400 without it, relay-api 9.13). Clips that stand alone on the relay (stems, uploads)
// are their own handle, and so are clips whose task id is ours (a chat's).
func (e *Engine) relayTaskID(c *store.Clip) string {
	if c.TaskID == "" || strings.HasPrefix(c.TaskID, "local-") || strings.HasPrefix(c.TaskID, "chat-") {
		return c.ID
	}
	if t, err := e.st.Task(c.TaskID); err == nil {
		switch client.Kind(t.Kind) {
		case client.KindStems, client.KindUpload, client.KindChat:
			return c.ID
		}
	}
	return c.TaskID
}

// requestedModel is the mv the source clip was asked for. The clip's own model_name lags
// behind versions ("chirp-v3" for v3.5, relay-api 7), so the request is the reliable record.
func (e *Engine) requestedModel(c *store.Clip) string {
	t, err := e.st.Task(c.TaskID)
	if err != nil {
		return ""
	}
	var req Request
	if json.Unmarshal(t.Request, &req) != nil || req.Music == nil {
		return ""
	}
	return req.Music.Model
}

// timeInSong checks a point or window edge against the clip's length, with half a second of
// slack for relays that round durations. what names the point in words (i18n.T).
func timeInSong(c *store.Clip, what string, at float64) error {
	if math.IsNaN(at) || math.IsInf(at, 0) || at < 0 {
		return badInput(i18n.T("studio.err.not_seconds", what, at))
	}
	if c.Duration > 0 && at > c.Duration+0.5 {
		return badInput(i18n.T("studio.err.past_end", what, at, c.ID, c.Duration))
	}
	return nil
}

// Extend continues a library clip from at seconds with new lyrics and tags for the
// continuation. The new clips are linked to their parent (ParentID, Derivation extend,
// ContinueAt). Empty title and tags keep the source's; empty lyrics make the continuation
// instrumental. The relay needs the task that made the clip as well as the clip (task_id with
// continue_clip_id), which the library knows.
func (e *Engine) Extend(ctx context.Context, clipID string, at float64, lyrics, tags, title, model string) (*store.Task, error) {
	if e.st.ReadOnly() {
		return nil, ErrReadOnly
	}
	src, err := e.finishedClip(clipID)
	if err != nil {
		return nil, err
	}
	if err := timeInSong(src, i18n.T("studio.what.extend_point"), at); err != nil {
		return nil, err
	}
	if at == 0 {
		// new-api drops continue_at 0 (omitempty) and continues from the end instead.
		return nil, badInput(i18n.T("studio.err.extend_at_start"))
	}
	r := client.MusicRequest{Mode: client.ModeContinue, TaskID: e.relayTaskID(src), ContinueClipID: src.ID,
		ContinueAt: &at, Lyrics: lyrics,
		Tags: firstNonEmpty(tags, src.Tags), Title: firstNonEmpty(title, src.Title),
		Model: firstNonEmpty(model, e.requestedModel(src))}
	if src.Derivation == store.DeriveUpload {
		r.Mode = client.ModeUploadExt // Suno extends uploaded audio through its own sub-operation
	}
	return e.Submit(ctx, r, SubmitOptions{ParentClipID: src.ID, Derivation: store.DeriveExtend})
}

// FullSong joins an extended clip with the clips it extends into one song (concat). The result
// is linked to the extended clip (ParentID, Derivation concat) and its task records every part,
// first first, so lineage can show them even after a part is deleted. After a replaced section
// the relay is told so (is_infill).
func (e *Engine) FullSong(ctx context.Context, clipID string) (*store.Task, error) {
	if e.st.ReadOnly() {
		return nil, ErrReadOnly
	}
	c, err := e.finishedClip(clipID)
	if err != nil {
		return nil, err
	}
	if c.Derivation != store.DeriveExtend && c.Derivation != store.DeriveInfill {
		return nil, badInput(i18n.T("studio.err.not_extension", clipID))
	}
	infill := c.Derivation == store.DeriveInfill
	req := Request{Kind: client.KindConcat, ClipID: c.ID, Infill: infill, Parts: e.chain(c)}
	return e.submitWith(req, SubmitOptions{ParentClipID: c.ID, Derivation: store.DeriveConcat}, func() (client.Submission, error) {
		sub, err := e.cl.Concat(ctx, c.ID, infill)
		e.noteSupport(client.OpConcat, err)
		return sub, err
	})
}

// chain lists the clips a full song of c is made of: c's extension ancestors, root first,
// then c. A parent missing from the library still counts (the relay has it).
func (e *Engine) chain(c *store.Clip) []string {
	ids := []string{c.ID}
	seen := map[string]bool{c.ID: true}
	cur := c
	for len(ids) < 64 && cur != nil && cur.ParentID != "" && !seen[cur.ParentID] &&
		(cur.Derivation == store.DeriveExtend || cur.Derivation == store.DeriveInfill) {
		seen[cur.ParentID] = true
		ids = append([]string{cur.ParentID}, ids...)
		cur, _ = e.st.Clip(cur.ParentID)
	}
	return ids
}

// Cover restyles a library clip, or a song uploaded with Upload (its id), with new tags. The
// lyrics stay the source's unless new ones are given.
//
// On a stock new-api/one-hub relay a cover comes back as an ordinary song: the relay drops the
// fields it does not know. That cannot be seen in its answer; once the relay has answered
// "unsupported" to any extended endpoint, covers are refused before anything is sent.
func (e *Engine) Cover(ctx context.Context, clipID string, o CraftOptions) (*store.Task, error) {
	if e.st.ReadOnly() {
		return nil, ErrReadOnly
	}
	if err := e.refuseOnStockRelay(i18n.T("studio.op.cover")); err != nil {
		return nil, err
	}
	src, err := e.finishedClip(clipID)
	if errors.Is(err, store.ErrNotFound) && e.isUpload(clipID) {
		src, err = &store.Clip{ID: clipID}, nil // uploaded, not fetched into the library yet
	}
	if err != nil {
		return nil, err
	}
	r := client.MusicRequest{Mode: client.ModeCover, CoverClipID: clipID,
		Lyrics: firstNonEmpty(o.Lyrics, src.Lyrics), Tags: o.Tags, Title: firstNonEmpty(o.Title, src.Title), Model: o.Model}
	return e.Submit(ctx, r, SubmitOptions{ParentClipID: clipID, Derivation: store.DeriveCover})
}

func (e *Engine) isUpload(id string) bool {
	t, err := e.st.Task(id)
	return err == nil && client.Kind(t.Kind) == client.KindUpload
}

// Upload registers a public audio URL with the relay (relay-api 3.1). The task's id is the
// relay's upload id, which Cover (and extend) accept; where the relay shows uploads as clips
// (the simulator does), the tracker brings the song into the library like any other.
func (e *Engine) Upload(ctx context.Context, audioURL string) (*store.Task, error) {
	if e.st.ReadOnly() {
		return nil, ErrReadOnly
	}
	audioURL = strings.TrimSpace(audioURL)
	if u, err := url.Parse(audioURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, badInput(i18n.T("studio.err.not_audio_url", audioURL))
	}
	req := Request{Kind: client.KindUpload, URL: audioURL}
	return e.submitWith(req, SubmitOptions{Derivation: store.DeriveUpload}, func() (client.Submission, error) {
		id, err := e.cl.UploadURL(ctx, audioURL)
		e.noteSupport(client.OpUpload, err)
		if err != nil {
			return client.Submission{}, err
		}
		return client.Submission{TaskID: id}, nil
	})
}

// CoverURL uploads a song by URL and covers it. When the upload works and the cover does not,
// the upload is kept (cover its id later) and the error says so.
func (e *Engine) CoverURL(ctx context.Context, audioURL string, o CraftOptions) (upload, cover *store.Task, err error) {
	if err := e.refuseOnStockRelay(i18n.T("studio.op.cover")); err != nil {
		return nil, nil, err
	}
	upload, err = e.Upload(ctx, audioURL)
	if err != nil {
		return nil, nil, err
	}
	cover, err = e.Cover(ctx, upload.ID, o)
	if err != nil {
		return upload, nil, i18n.Wrap(i18n.T("studio.err.uploaded_not_covered", upload.ID, err), err)
	}
	return upload, cover, nil
}

// ReplaceSection regenerates the window start..end seconds of a clip with new lyrics (Suno's
// Replace Section, an infill task). The result is linked to the clip (Derivation infill);
// joining it with FullSong makes the whole edited song. Stock relays: see Cover.
func (e *Engine) ReplaceSection(ctx context.Context, clipID string, start, end float64, o CraftOptions) (*store.Task, error) {
	if e.st.ReadOnly() {
		return nil, ErrReadOnly
	}
	if err := e.refuseOnStockRelay(i18n.T("studio.op.replace_section")); err != nil {
		return nil, err
	}
	src, err := e.finishedClip(clipID)
	if err != nil {
		return nil, err
	}
	if err := timeInSong(src, i18n.T("studio.what.section_start"), start); err != nil {
		return nil, err
	}
	if err := timeInSong(src, i18n.T("studio.what.section_end"), end); err != nil {
		return nil, err
	}
	if end <= start {
		return nil, badInput(i18n.T("studio.err.section_window", start, end))
	}
	r := client.MusicRequest{Mode: client.ModeInfill, ContinueClipID: src.ID, TaskID: e.relayTaskID(src),
		InfillStart: start, InfillEnd: end, Lyrics: o.Lyrics,
		Tags: firstNonEmpty(o.Tags, src.Tags), Title: firstNonEmpty(o.Title, src.Title),
		Model: firstNonEmpty(o.Model, e.requestedModel(src))}
	return e.Submit(ctx, r, SubmitOptions{ParentClipID: src.ID, Derivation: store.DeriveInfill})
}

// CreatePersona makes a persona (a reusable voice and style) from a library clip and keeps it
// in the library: relays offer no way to list personas. A persona is not a task (nothing to
// poll, nothing billed as a song), so it is recorded when the relay answers.
func (e *Engine) CreatePersona(ctx context.Context, clipID, name, description string) (*store.Persona, error) {
	if e.st.ReadOnly() {
		return nil, ErrReadOnly
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, badInput(i18n.T("studio.err.persona_needs_name"))
	}
	src, err := e.finishedClip(clipID)
	if err != nil {
		return nil, err
	}
	p, err := e.cl.CreatePersona(ctx, client.PersonaRequest{RootClipID: src.ID, Name: name, Description: description})
	e.noteSupport(client.OpCreatePersona, err)
	if err != nil {
		return nil, err
	}
	rec := &store.Persona{ID: p.ID, Name: firstNonEmpty(clean(p.Name), name), Description: clean(p.Description),
		RootClipID: firstNonEmpty(p.RootClipID, src.ID), Profile: e.o.Profile}
	if err := e.st.PutPersona(rec); err != nil {
		return nil, i18n.Wrap(i18n.T("studio.err.persona_not_recorded", p.ID, err), err)
	}
	return rec, nil
}

// Personas lists the personas in the library, newest first.
func (e *Engine) Personas() ([]*store.Persona, error) { return e.st.Personas() }

// GenerateWithPersona makes a new song sung by a persona (Suno's artist consistency). clipID is
// the clip whose voice to follow; empty means the persona's own clip. A persona id the library
// does not know is passed on as is, with a clip. Stock relays: see Cover.
func (e *Engine) GenerateWithPersona(ctx context.Context, personaID, clipID string, o CraftOptions) (*store.Task, error) {
	if e.st.ReadOnly() {
		return nil, ErrReadOnly
	}
	if strings.TrimSpace(personaID) == "" {
		return nil, badInput(i18n.T("studio.err.persona_missing"))
	}
	if err := e.refuseOnStockRelay(i18n.T("studio.op.persona_song")); err != nil {
		return nil, err
	}
	if clipID == "" {
		p, err := e.st.Persona(personaID)
		if errors.Is(err, store.ErrNotFound) {
			return nil, badInput(i18n.T("studio.err.persona_unknown", personaID))
		}
		if err != nil {
			return nil, err
		}
		clipID = p.RootClipID
	}
	if strings.TrimSpace(o.Lyrics+o.Tags+o.Title) == "" {
		return nil, badInput(i18n.T("studio.err.persona_song_needs_words"))
	}
	r := client.MusicRequest{Mode: client.ModePersona, PersonaID: personaID, ArtistClipID: clipID,
		Lyrics: o.Lyrics, Tags: o.Tags, Title: o.Title, Model: o.Model}
	return e.Submit(ctx, r, SubmitOptions{ParentClipID: clipID, Derivation: store.DerivePersona})
}
