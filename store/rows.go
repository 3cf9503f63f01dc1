package store

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

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
	Created  time.Time
	// Download is the download state (DownloadNone, DownloadPending, ...).
	Download string
	ParentID string
	Favorite bool
	// HasFile: the clip's audio is in the library folder (LocalPath set). (The two booleans
	// sit together so that they share one word: at 100k rows every word is 0.8 MB.)
	HasFile bool
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
//
// The rows' strings are packed: they are copied into shared chunks (rowStrings) instead of
// one allocation each, and the values that repeat (model, status, download state, the task of
// consecutive clips) are stored once. At 100k clips that is a third less memory for the strings
// and a few hundred allocations instead of several hundred thousand.
func (s *Store) Rows() ([]Row, error) {
	var out []Row
	err := s.view(func(tx *bolt.Tx) error {
		n := clipCount(tx)
		out = make([]Row, 0, n)
		strs := newRowStrings(n)
		c := tx.Bucket(bClips).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			r, err := decodeRow(v, strs)
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
// skipped by scanning. Field order does not matter. Each string is its own allocation.
func rowFromJSON(b []byte) (Row, error) {
	return decodeRow(b, nil)
}

// decodeRow is rowFromJSON with the strings copied into strs (nil: one allocation each).
// Nothing in the row refers to b, which may be the database's memory map.
func decodeRow(b []byte, strs *rowStrings) (Row, error) {
	sc := rowScanner{b: b}
	if strs != nil {
		sc.tmp = strs.tmp // reused from row to row
	}
	r, err := sc.row(strs)
	if strs != nil {
		strs.tmp = sc.tmp
	}
	return r, err
}

func (sc *rowScanner) row(strs *rowStrings) (Row, error) {
	var r Row
	sc.space()
	if !sc.eat('{') {
		return r, sc.fail("want an object")
	}
	sc.space()
	if sc.eat('}') {
		return r, nil
	}
	for {
		sc.tmp = sc.tmp[:0]
		sc.space()
		key, err := sc.bytes()
		if err != nil {
			return r, err
		}
		sc.space()
		if !sc.eat(':') {
			return r, sc.fail("want ':'")
		}
		sc.space()
		var v []byte
		switch string(key) {
		case "id":
			v, err = sc.bytes()
			r.ID = strs.copy(v)
		case "task_id":
			v, err = sc.bytes()
			r.TaskID = strs.task(v)
		case "title":
			v, err = sc.bytes()
			r.Title = strs.copy(v)
		case "tags":
			v, err = sc.bytes()
			r.Tags = strs.copy(v)
		case "model":
			v, err = sc.bytes()
			r.Model = strs.common(v)
		case "status":
			v, err = sc.bytes()
			r.Status = strs.common(v)
		case "download":
			v, err = sc.bytes()
			r.Download = strs.common(v)
		case "parent_id":
			v, err = sc.bytes()
			r.ParentID = strs.copy(v)
		case "local_path":
			v, err = sc.bytes()
			r.HasFile = len(v) > 0
		case "favorite":
			r.Favorite, err = sc.boolean()
		case "duration":
			r.Duration, err = sc.number()
		case "created_at":
			if v, err = sc.bytes(); err == nil {
				r.Created, err = time.Parse(time.RFC3339Nano, string(v))
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
	// tmp holds the decoded values of the current field's strings that have escapes: a key
	// and its value, one after the other.
	tmp []byte
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

// bytes reads a string value (or null, as empty). The result is only valid until the next
// field: without escapes it is the value's bytes inside s.b (the transaction's memory map, for
// a record), with escapes the decoded value in s.tmp. The caller copies what it keeps.
func (s *rowScanner) bytes() ([]byte, error) {
	if s.i+4 <= len(s.b) && string(s.b[s.i:s.i+4]) == "null" {
		s.i += 4
		return nil, nil
	}
	end, esc, err := s.strEnd()
	if err != nil {
		return nil, err
	}
	raw := s.b[s.i:end]
	s.i = end
	if !esc {
		return raw[1 : len(raw)-1], nil
	}
	start := len(s.tmp)
	var ok bool
	if s.tmp, ok = appendUnquoted(s.tmp, raw[1:len(raw)-1]); ok {
		return s.tmp[start:], nil
	}
	// Something encoding/json never writes: let it decide (and word the error).
	s.tmp = s.tmp[:start]
	var out string
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, err
	}
	return []byte(out), nil
}

// appendUnquoted appends the value of a JSON string's contents (without the quotes) to dst,
// decoding escapes exactly as encoding/json does: invalid UTF-8 and unpaired surrogates become
// U+FFFD. ok is false for what JSON does not allow in a string (a bad escape, a control
// character, a quote).
func appendUnquoted(dst, s []byte) (_ []byte, ok bool) {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\':
			if i+1 >= len(s) {
				return dst, false
			}
			switch e := s[i+1]; e {
			case '"', '\\', '/':
				dst = append(dst, e)
			case 'b':
				dst = append(dst, '\b')
			case 'f':
				dst = append(dst, '\f')
			case 'n':
				dst = append(dst, '\n')
			case 'r':
				dst = append(dst, '\r')
			case 't':
				dst = append(dst, '\t')
			case 'u':
				r := hex4(s[i:])
				if r < 0 {
					return dst, false
				}
				i += 6
				if utf16.IsSurrogate(r) {
					if dec := utf16.DecodeRune(r, hex4(s[i:])); dec != unicode.ReplacementChar {
						r = dec
						i += 6
					} else {
						r = unicode.ReplacementChar
					}
				}
				dst = utf8.AppendRune(dst, r)
				continue
			default:
				return dst, false
			}
			i += 2
		case c == '"' || c < ' ':
			return dst, false
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			i++
		default:
			r, n := utf8.DecodeRune(s[i:])
			dst = utf8.AppendRune(dst, r) // RuneError for an invalid byte, as encoding/json
			i += n
		}
	}
	return dst, true
}

// hex4 is the rune of a "\uXXXX" escape at the start of s, or -1.
func hex4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
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
	switch v := s.literal(); string(v) {
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
