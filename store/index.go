package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"sunostudio/internal/i18n"
)

// Buckets of schema 1.
var (
	bMeta     = []byte("meta")
	bTasks    = []byte("tasks")    // timeKey(CreatedAt, id) -> Task JSON
	bTaskIDs  = []byte("task_ids") // id -> timeKey
	bClips    = []byte("clips")    // timeKey(CreatedAt, id) -> Clip JSON
	bClipIDs  = []byte("clip_ids") // id -> timeKey
	bDrafts   = []byte("drafts")   // name -> Draft JSON
	bSettings = []byte("settings") // key -> JSON
)

// Index buckets added by schema 2. Every one is derived data: the migration builds them from
// tasks and clips, and every put keeps them in sync inside the same transaction.
var (
	bPending   = []byte("pending_tasks") // task timeKey -> "" for every unfinished task
	bBatchKeys = []byte("batch_keys")    // BatchKey -> task id
	bSearch    = []byte("search")        // clip timeKey -> compact search record
	bDownloads = []byte("downloads")     // clip timeKey -> "" while complete && Download != done
	bChildren  = []byte("children")      // prefixKey(ParentID) + child timeKey -> ""
	bTaskClips = []byte("task_clips")    // prefixKey(TaskID) + clip timeKey -> ""
)

var (
	schema1Buckets = [][]byte{bMeta, bTasks, bTaskIDs, bClips, bClipIDs, bDrafts, bSettings}
	schema2Buckets = [][]byte{bPending, bBatchKeys, bSearch, bDownloads, bChildren, bTaskClips}
)

// Keys in the meta bucket.
var (
	mSchema    = []byte("schema")     // decimal ASCII
	mClipCount = []byte("clip_count") // 8-byte big-endian, kept by every insert and delete
)

const maxIDLen = 1024

// timeKey is 8 bytes of CreatedAt followed by the id, so a cursor walk is a walk in time and
// two records created in the same nanosecond still get distinct keys. The nanoseconds are
// stored with the sign bit flipped so that dates before 1970 still sort first.
func timeKey(t time.Time, id string) []byte {
	k := make([]byte, 8+len(id))
	binary.BigEndian.PutUint64(k, uint64(t.UnixNano())^(1<<63))
	copy(k[8:], id)
	return k
}

// keyTime is the CreatedAt a timeKey encodes.
func keyTime(k []byte) time.Time {
	return time.Unix(0, int64(binary.BigEndian.Uint64(k)^(1<<63)))
}

// prefixKey makes the "owner" part of a composite index key: a length prefix, so that no id
// can be a prefix of another id's entries whatever bytes the ids contain.
func prefixKey(owner string) []byte {
	p := binary.AppendUvarint(make([]byte, 0, len(owner)+2), uint64(len(owner)))
	return append(p, owner...)
}

func compositeKey(owner string, key []byte) []byte {
	return append(prefixKey(owner), key...)
}

// validID checks an id (task, clip, parent, draft name). Ids are opaque keys, never paths, but
// they must survive a JSON round trip (valid UTF-8) and be printable in an error message.
func validID(what, id string) error {
	switch {
	case id == "":
		return i18n.Wrap(i18n.T("store.err.id_empty", ErrInvalid, what), ErrInvalid)
	case len(id) > maxIDLen:
		return i18n.Wrap(i18n.T("store.err.id_long", ErrInvalid, what, maxIDLen), ErrInvalid)
	case !utf8.ValidString(id):
		return i18n.Wrap(i18n.T("store.err.id_utf8", ErrInvalid, what, id), ErrInvalid)
	}
	for _, r := range id {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return i18n.Wrap(i18n.T("store.err.id_control", ErrInvalid, what, id), ErrInvalid)
		}
	}
	return nil
}

// ValidID reports why an id cannot be a library key (empty, too long, not UTF-8, control
// characters), or nil. The engine checks relay ids with it before storing anything.
func ValidID(id string) error { return validID("id", id) }

// validTime rejects dates whose UnixNano is undefined (outside 1678..2262): they cannot be keys.
func validTime(what string, t time.Time) error {
	if t.IsZero() {
		return nil
	}
	if y := t.Year(); y < 1678 || y > 2261 {
		return i18n.Wrap(i18n.T("store.err.time_range", ErrInvalid, what, t.Format(time.RFC3339)), ErrInvalid)
	}
	return nil
}

// validPath: a local file path is empty or absolute; no NUL (it could never be opened).
func validPath(what, p string) error {
	if p == "" {
		return nil
	}
	if strings.IndexByte(p, 0) >= 0 || !filepath.IsAbs(p) {
		return i18n.Wrap(i18n.T("store.err.not_absolute", ErrInvalid, what, p), ErrInvalid)
	}
	return nil
}

func validateTask(t *Task) error {
	if err := validID("task id", t.ID); err != nil {
		return err
	}
	if t.ParentClipID != "" {
		if err := validID("parent clip id", t.ParentClipID); err != nil {
			return err
		}
	}
	for _, id := range t.ClipIDs {
		if err := validID("clip id", id); err != nil {
			return err
		}
	}
	if len(t.BatchKey) > maxIDLen {
		return fmt.Errorf("%w: batch key longer than %d bytes", ErrInvalid, maxIDLen)
	}
	return validTime("created_at", t.CreatedAt)
}

func validateClip(c *Clip) error {
	if err := validID("clip id", c.ID); err != nil {
		return err
	}
	if c.TaskID != "" {
		if err := validID("task id", c.TaskID); err != nil {
			return err
		}
	}
	if c.ParentID != "" {
		if err := validID("parent id", c.ParentID); err != nil {
			return err
		}
	}
	for _, p := range [...]struct{ what, path string }{
		{"local_path", c.LocalPath}, {"cover_path", c.CoverPath}, {"lyrics_path", c.LyricsPath},
		{"wav_path", c.WAVPath}, {"mp4_path", c.MP4Path},
	} {
		if err := validPath(p.what, p.path); err != nil {
			return err
		}
	}
	if math.IsNaN(c.Duration) || math.IsInf(c.Duration, 0) {
		return i18n.Wrap(i18n.T("store.err.duration_nan", ErrInvalid), ErrInvalid)
	}
	return validTime("created_at", c.CreatedAt)
}

// needsDownload is the rule of the downloads index.
func needsDownload(c *Clip) bool {
	return c.Status == ClipComplete && c.Download != DownloadDone
}

// The compact search record: everything Clips(Query) filters and sorts on, so a query over
// 100k clips reads ~1-2 KB per clip and decodes JSON only for the page it returns.
//
//	[0]      format (searchFormat)
//	[1]      flags: bit 0 favourite
//	[2:10]   duration, float64 bits, big-endian
//	uvarint len + model
//	uvarint len + status
//	uvarint len + lowercased title
//	rest:    lowercased tags + "\x00" + lowercased lyrics
//
// The query text never contains NUL, so a match cannot straddle two fields.
const searchFormat = 1

type searchRec struct {
	fav      bool
	duration float64
	model    []byte
	status   []byte
	title    []byte // lowercased
	rest     []byte // lowercased tags \x00 lyrics
}

func encodeSearch(c *Clip) []byte {
	title := lowerField(c.Title)
	tags := lowerField(c.Tags)
	lyrics := lowerField(c.Lyrics)
	b := make([]byte, 0, 10+len(c.Model)+len(c.Status)+len(title)+len(tags)+len(lyrics)+8)
	b = append(b, searchFormat, 0)
	if c.Favorite {
		b[1] |= 1
	}
	b = binary.BigEndian.AppendUint64(b, math.Float64bits(c.Duration))
	for _, s := range [...]string{c.Model, c.Status, title} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = append(b, tags...)
	b = append(b, 0)
	return append(b, lyrics...)
}

func lowerField(s string) string {
	s = strings.ToLower(s)
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", " ")
	}
	return s
}

// decodeSearch parses a record without copying: the slices alias b (the mmap), so the result is
// valid only inside the transaction that read it.
func decodeSearch(b []byte) (searchRec, bool) {
	var r searchRec
	if len(b) < 10 || b[0] != searchFormat {
		return r, false
	}
	r.fav = b[1]&1 != 0
	r.duration = math.Float64frombits(binary.BigEndian.Uint64(b[2:10]))
	b = b[10:]
	for _, f := range [...]*[]byte{&r.model, &r.status, &r.title} {
		n, w := binary.Uvarint(b)
		if w <= 0 || n > uint64(len(b)-w) {
			return r, false
		}
		*f = b[w : w+int(n)]
		b = b[w+int(n):]
	}
	r.rest = b
	return r, true
}

func (r *searchRec) contains(text []byte) bool {
	return bytes.Contains(r.title, text) || bytes.Contains(r.rest, text)
}
