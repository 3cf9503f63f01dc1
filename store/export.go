package store

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	bolt "go.etcd.io/bbolt"

	"sunostudio/internal/i18n"
)

// The export document.
const (
	exportFormat  = "sunostudio-library"
	exportVersion = 1
)

// exportChunk is how many records one short read transaction copies out. The writer is the
// caller's (a pipe, a slow disk): it is never called while a transaction is open, so a slow
// reader cannot stall the library's writers waiting for a remap. (A variable for the tests.)
var exportChunk = 1000

// Export writes tasks, clips and drafts (not settings: they are this machine's state) as one
// JSON document, streamed record by record in key order:
//
//	{"format":"sunostudio-library","version":1,"exported_at":"...","tasks":[...],"clips":[...],"drafts":[...]}
//
// Records are copied as stored, so the export is as exact as the library. Each chunk is its
// own snapshot: a clip added during a long export may or may not appear, none appears twice.
func (s *Store) Export(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	at, _ := json.Marshal(s.now())
	fmt.Fprintf(bw, `{"format":%q,"version":%d,"exported_at":%s`, exportFormat, exportVersion, at)
	for _, sec := range [...]struct {
		name   string
		bucket []byte
	}{{"tasks", bTasks}, {"clips", bClips}, {"drafts", bDrafts}} {
		fmt.Fprintf(bw, ",\n%q:[", sec.name)
		first := true
		err := s.chunks(sec.bucket, false, func(k, v []byte) error {
			if !json.Valid(v) {
				return s.damaged(sec.name[:len(sec.name)-1], k, i18n.Text("store.err.bad_json"))
			}
			if !first {
				bw.WriteByte(',')
			}
			first = false
			bw.WriteByte('\n')
			_, err := bw.Write(v)
			return err
		})
		if err != nil {
			return i18n.Wrap(i18n.T("store.err.export", err), err)
		}
		bw.WriteString("]")
	}
	bw.WriteString("}\n")
	if err := bw.Flush(); err != nil {
		return i18n.Wrap(i18n.T("store.err.export", err), err)
	}
	return nil
}

// chunks calls fn for every record of a bucket in key order (reverse: newest first), copying
// exportChunk records per read transaction and calling fn only after it has ended.
func (s *Store) chunks(bucket []byte, reverse bool, fn func(k, v []byte) error) error {
	var last []byte
	var buf []byte
	var offs []int // k0 end, v0 end, k1 end, ... into buf
	for {
		buf, offs = buf[:0], offs[:0]
		err := s.view(func(tx *bolt.Tx) error {
			c := tx.Bucket(bucket).Cursor()
			step := c.Next
			if reverse {
				step = c.Prev
			}
			var k, v []byte
			switch {
			case last == nil && reverse:
				k, v = c.Last()
			case last == nil:
				k, v = c.First()
			default:
				k, v = c.Seek(last)
				if reverse && k == nil {
					k, v = c.Last()
				}
				for k != nil && (bytes.Equal(k, last) || reverse != (bytes.Compare(k, last) < 0)) {
					k, v = step()
				}
			}
			for n := 0; k != nil && n < exportChunk; k, v = step() {
				buf = append(buf, k...)
				offs = append(offs, len(buf))
				buf = append(buf, v...)
				offs = append(offs, len(buf))
				n++
			}
			return nil
		})
		if err != nil {
			return err
		}
		if len(offs) == 0 {
			return nil
		}
		start := 0
		var lastKey []byte
		for i := 0; i < len(offs); i += 2 {
			k, v := buf[start:offs[i]], buf[offs[i]:offs[i+1]]
			if err := fn(k, v); err != nil {
				return err
			}
			lastKey, start = k, offs[i+1]
		}
		last = bytes.Clone(lastKey)
	}
}

// ExportM3U writes a playlist of every clip whose audio file exists, newest first.
// A duration of 0 (unknown) is written as -1, the M3U convention for "unknown length".
func (s *Store) ExportM3U(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("#EXTM3U\n")
	err := s.chunks(bClips, true, func(k, v []byte) error {
		var c struct {
			Title     string  `json:"title"`
			Duration  float64 `json:"duration"`
			LocalPath string  `json:"local_path"`
		}
		if err := json.Unmarshal(v, &c); err != nil {
			return s.damaged("clip", k, err)
		}
		p := c.LocalPath
		if p == "" || !filepath.IsAbs(p) || strings.IndexFunc(p, unicode.IsControl) >= 0 {
			return nil // a path with a line break would break the playlist
		}
		if fi, err := os.Stat(p); err != nil || !fi.Mode().IsRegular() {
			return nil
		}
		secs := -1
		if c.Duration > 0 && c.Duration < math.MaxInt32 {
			secs = int(math.Round(c.Duration))
		}
		bw.WriteString("#EXTINF:" + strconv.Itoa(secs) + "," + playlistTitle(c.Title) + "\n")
		_, err := bw.WriteString(filepath.Clean(p) + "\n")
		return err
	})
	if err != nil {
		return i18n.Wrap(i18n.T("store.err.export_m3u", err), err)
	}
	if err := bw.Flush(); err != nil {
		return i18n.Wrap(i18n.T("store.err.export_m3u", err), err)
	}
	return nil
}

// playlistTitle keeps a title on its one line: control characters (newlines, escapes) and the
// Unicode line/paragraph separators become spaces.
func playlistTitle(t string) string {
	t = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, t)
	t = strings.TrimSpace(t)
	if t == "" {
		return "untitled"
	}
	return t
}
