package store

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Row is the compact form of a clip for list views: what a library list shows, sorts and
// filters on, and nothing more. A 100k-clip library as rows is a few tens of MB; as full clips
// (lyrics, URLs, paths) it would be several times that, so lists hold rows and fetch the full
// clip (Clip) only for a details view.
type Row struct {
	ID       string
	TaskID   string
	Title    string
	Tags     string
	Model    string
	Status   string
	Duration float64
	Favorite bool
	Created  time.Time
	// HasFile: the clip's audio is in the library folder (LocalPath set).
	HasFile bool
	// Download is the download state (DownloadNone, DownloadPending, ...).
	Download string
	ParentID string
}

// RowOf is the row of a clip, for keeping a list in sync with change events.
func RowOf(c *Clip) Row {
	return Row{ID: c.ID, TaskID: c.TaskID, Title: c.Title, Tags: c.Tags, Model: c.Model,
		Status: c.Status, Duration: c.Duration, Favorite: c.Favorite, Created: c.CreatedAt,
		HasFile: c.LocalPath != "", Download: c.Download, ParentID: c.ParentID}
}

// Rows returns every clip as a row, newest first. It reads each record once and extracts only
// the row's fields with a small scanner that skips the others (lyrics above all) without
// decoding them, so the cost is one pass over the bytes and a few short strings per clip.
func (s *Store) Rows() ([]Row, error) {
	var out []Row
	err := s.view(func(tx *bolt.Tx) error {
		out = make([]Row, 0, clipCount(tx))
		c := tx.Bucket(bClips).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			r, err := rowFromJSON(v)
			if err != nil {
				return s.damaged("clip", k, err)
			}
			if r.Created.IsZero() {
				r.Created = keyTime(k)
			}
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// rowFromJSON extracts a Row from a clip record. Values of the fields it needs are decoded
// (strings with escapes go through strconv-compatible JSON unquoting); every other value is
// skipped by scanning. Field order does not matter.
func rowFromJSON(b []byte) (Row, error) {
	var r Row
	sc := rowScanner{b: b}
	sc.space()
	if !sc.eat('{') {
		return r, sc.fail("want an object")
	}
	sc.space()
	if sc.eat('}') {
		return r, nil
	}
	for {
		sc.space()
		key, err := sc.str()
		if err != nil {
			return r, err
		}
		sc.space()
		if !sc.eat(':') {
			return r, sc.fail("want ':'")
		}
		sc.space()
		switch key {
		case "id":
			r.ID, err = sc.str()
		case "task_id":
			r.TaskID, err = sc.str()
		case "title":
			r.Title, err = sc.str()
		case "tags":
			r.Tags, err = sc.str()
		case "model":
			r.Model, err = sc.str()
		case "status":
			r.Status, err = sc.str()
		case "download":
			r.Download, err = sc.str()
		case "parent_id":
			r.ParentID, err = sc.str()
		case "local_path":
			var p string
			p, err = sc.str()
			r.HasFile = p != ""
		case "favorite":
			r.Favorite, err = sc.boolean()
		case "duration":
			r.Duration, err = sc.number()
		case "created_at":
			var t string
			if t, err = sc.str(); err == nil {
				r.Created, err = time.Parse(time.RFC3339Nano, t)
			}
		default:
			err = sc.skip()
		}
		if err != nil {
			return r, fmt.Errorf("field %q: %w", key, err)
		}
		sc.space()
		if sc.eat(',') {
			continue
		}
		if sc.eat('}') {
			return r, nil
		}
		return r, sc.fail("want ',' or '}'")
	}
}

type rowScanner struct {
	b []byte
	i int
}

func (s *rowScanner) fail(what string) error {
	return fmt.Errorf("malformed JSON at byte %d: %s", s.i, what)
}

func (s *rowScanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *rowScanner) eat(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// strEnd returns the index just past the closing quote of the string starting at s.i, and
// whether it contains escapes.
func (s *rowScanner) strEnd() (int, bool, error) {
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return 0, false, s.fail("want a string")
	}
	esc := false
	for j := s.i + 1; j < len(s.b); j++ {
		switch s.b[j] {
		case '\\':
			esc = true
			j++
		case '"':
			return j + 1, esc, nil
		}
	}
	return 0, false, s.fail("unterminated string")
}

func (s *rowScanner) str() (string, error) {
	if s.i+4 <= len(s.b) && string(s.b[s.i:s.i+4]) == "null" {
		s.i += 4
		return "", nil
	}
	end, esc, err := s.strEnd()
	if err != nil {
		return "", err
	}
	raw := s.b[s.i:end]
	s.i = end
	if !esc {
		return string(raw[1 : len(raw)-1]), nil
	}
	var out string
	if err := json.Unmarshal(raw, &out); err != nil {
		return "", err
	}
	return out, nil
}

func (s *rowScanner) literal() []byte {
	start := s.i
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return s.b[start:s.i]
		}
		s.i++
	}
	return s.b[start:s.i]
}

func (s *rowScanner) boolean() (bool, error) {
	switch v := string(s.literal()); v {
	case "true":
		return true, nil
	case "false", "null":
		return false, nil
	default:
		return false, fmt.Errorf("not a boolean: %q", v)
	}
}

func (s *rowScanner) number() (float64, error) {
	v := string(s.literal())
	if v == "null" {
		return 0, nil
	}
	return strconv.ParseFloat(v, 64)
}

// skip passes over one value of any kind.
func (s *rowScanner) skip() error {
	if s.i >= len(s.b) {
		return s.fail("want a value")
	}
	switch s.b[s.i] {
	case '"':
		end, _, err := s.strEnd()
		s.i = end
		return err
	case '{', '[':
		depth := 0
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case '"':
				end, _, err := s.strEnd()
				if err != nil {
					return err
				}
				s.i = end
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					s.i++
					return nil
				}
			}
			s.i++
		}
		return s.fail("unterminated object or array")
	}
	if len(s.literal()) == 0 {
		return s.fail("want a value")
	}
	return nil
}
