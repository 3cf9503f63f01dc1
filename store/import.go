package store

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	bolt "go.etcd.io/bbolt"

	"sunostudio/internal/i18n"
)

// maxImportSize bounds what Import reads (a variable so a test can lower it).
var maxImportSize int64 = 1 << 30

const importBatch = 1000

// Import adds the tasks, clips and drafts of an Export document whose ids (draft names) are not
// in the library yet; existing records win and are counted as skipped. The whole document is
// read and validated first (while it is spooled to a temporary file in the library folder), so
// a malformed or oversized document is refused with an error naming the problem and the
// library is not touched. Only then are records written, 1000 per transaction, from the spool;
// an I/O failure at that stage leaves a partial import that a rerun completes.
func (s *Store) Import(r io.Reader) (ImportStats, error) {
	var st ImportStats
	if s.readOnly {
		return st, i18n.Wrap(i18n.T("store.err.import_path", s.path, ErrReadOnly), ErrReadOnly)
	}
	spool, err := os.CreateTemp(s.dir, ".import-*.tmp")
	if err != nil {
		return st, i18n.Wrap(i18n.T("store.err.import", err), err)
	}
	defer os.Remove(spool.Name())
	defer spool.Close()

	sw := bufio.NewWriterSize(spool, 256<<10)
	in := io.TeeReader(&boundedReader{r: r, left: maxImportSize}, sw)
	if err := parseExport(in, importHandlers{
		task:  func(i int, t *Task) error { return checkImported(validateTask(t), t.CreatedAt.IsZero()) },
		clip:  func(i int, c *Clip) error { return checkImported(validateClip(c), c.CreatedAt.IsZero()) },
		draft: func(i int, d *Draft) error { return validID("draft name", d.Name) },
	}); err != nil {
		return st, i18n.Wrap(i18n.T("store.err.import_nothing", err), err)
	}
	if err := sw.Flush(); err != nil {
		return st, i18n.Wrap(i18n.T("store.err.import", err), err)
	}
	if _, err := spool.Seek(0, io.SeekStart); err != nil {
		return st, i18n.Wrap(i18n.T("store.err.import", err), err)
	}

	// Second pass over our own spool: records are batched and each batch is written in one
	// transaction after it has been read (no transaction is open while reading).
	var tasks []*Task
	var clips []*Clip
	var drafts []*Draft
	flush := func() error {
		if len(tasks)+len(clips)+len(drafts) == 0 {
			return nil
		}
		now := s.now()
		err := s.update(func(tx *bolt.Tx) error {
			var add ImportStats
			for _, t := range tasks {
				_, added, err := putTaskTx(tx, t, now, true)
				if err != nil {
					return i18n.Wrap(i18n.T("store.err.in_task", t.ID, err), err)
				}
				count(added, &add.TasksAdded, &add.TasksSkipped)
			}
			for _, c := range clips {
				_, added, err := putClipTx(tx, c, now, true)
				if err != nil {
					return i18n.Wrap(i18n.T("store.err.in_clip", c.ID, err), err)
				}
				count(added, &add.ClipsAdded, &add.ClipsSkipped)
			}
			b := tx.Bucket(bDrafts)
			for _, d := range drafts {
				if b.Get([]byte(d.Name)) != nil {
					add.DraftsSkipped++
					continue
				}
				d.V = draftVersion
				val, err := json.Marshal(d)
				if err == nil {
					err = b.Put([]byte(d.Name), val)
				}
				if err != nil {
					return i18n.Wrap(i18n.T("store.err.in_draft", d.Name, err), err)
				}
				add.DraftsAdded++
			}
			// Counted only once the batch is sure to commit (a returned error rolls it back).
			st.TasksAdded += add.TasksAdded
			st.TasksSkipped += add.TasksSkipped
			st.ClipsAdded += add.ClipsAdded
			st.ClipsSkipped += add.ClipsSkipped
			st.DraftsAdded += add.DraftsAdded
			st.DraftsSkipped += add.DraftsSkipped
			return nil
		})
		tasks, clips, drafts = tasks[:0], clips[:0], drafts[:0]
		return err
	}
	full := func() error {
		if len(tasks)+len(clips)+len(drafts) >= importBatch {
			return flush()
		}
		return nil
	}
	err = parseExport(bufio.NewReaderSize(spool, 256<<10), importHandlers{
		task:  func(i int, t *Task) error { tasks = append(tasks, t); return full() },
		clip:  func(i int, c *Clip) error { clips = append(clips, c); return full() },
		draft: func(i int, d *Draft) error { drafts = append(drafts, d); return full() },
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return st, i18n.Wrap(i18n.T("store.err.import_partial", err), err)
	}
	return st, nil
}

func count(added bool, a, s *int) {
	if added {
		*a++
	} else {
		*s++
	}
}

// checkImported adds to the live-put validation: an export always carries created_at.
func checkImported(err error, zeroCreated bool) error {
	if err == nil && zeroCreated {
		err = i18n.Wrap(i18n.T("store.err.no_created_at", ErrInvalid), ErrInvalid)
	}
	return err
}

type importHandlers struct {
	task  func(i int, t *Task) error
	clip  func(i int, c *Clip) error
	draft func(i int, d *Draft) error
}

// parseExport streams an Export document and hands every record to h. Unknown top-level fields
// are skipped (a newer export may add some); unknown record fields are ignored likewise.
func parseExport(r io.Reader, h importHandlers) error {
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{', "document"); err != nil {
		return err
	}
	format := ""
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return syntaxErr("document", err)
		}
		name, _ := tok.(string)
		switch name {
		case "format":
			if err := dec.Decode(&format); err != nil {
				return syntaxErr("format", err)
			}
			if format != exportFormat {
				return errors.New(i18n.T("store.err.not_export_format", format))
			}
		case "version":
			var v int
			if err := dec.Decode(&v); err != nil {
				return syntaxErr("version", err)
			}
			if v < 1 || v > exportVersion {
				return errors.New(i18n.T("store.err.export_version", v, exportVersion))
			}
		case "tasks":
			err = records(dec, "tasks", func(i int) error {
				t := new(Task)
				if err := dec.Decode(t); err != nil {
					return err
				}
				return h.task(i, t)
			})
		case "clips":
			err = records(dec, "clips", func(i int) error {
				c := new(Clip)
				if err := dec.Decode(c); err != nil {
					return err
				}
				return h.clip(i, c)
			})
		case "drafts":
			err = records(dec, "drafts", func(i int) error {
				d := new(Draft)
				if err := dec.Decode(d); err != nil {
					return err
				}
				return h.draft(i, d)
			})
		default:
			var skip json.RawMessage
			if err = dec.Decode(&skip); err != nil {
				err = syntaxErr(i18n.T("store.err.field", name), err)
			}
		}
		if err != nil {
			return err
		}
	}
	if err := expectDelim(dec, '}', "document"); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		if errors.Is(err, errTooLarge) {
			return err
		}
		return errors.New(i18n.T("store.err.trailing_data"))
	}
	if format == "" {
		return errors.New(i18n.T("store.err.not_export"))
	}
	return nil
}

// records walks one array; each element's error names the section and index.
func records(dec *json.Decoder, section string, each func(i int) error) error {
	if err := expectDelim(dec, '[', section); err != nil {
		return err
	}
	for i := 0; dec.More(); i++ {
		if err := each(i); err != nil {
			return syntaxErr(fmt.Sprintf("%s[%d]", section, i), err)
		}
	}
	return expectDelim(dec, ']', section)
}

func expectDelim(dec *json.Decoder, want json.Delim, where string) error {
	tok, err := dec.Token()
	if err != nil {
		return syntaxErr(where, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return errors.New(i18n.T("store.err.expected", where, string(want), tok))
	}
	return nil
}

func syntaxErr(where string, err error) error {
	if errors.Is(err, errTooLarge) {
		return err
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New(i18n.T("store.err.truncated", where))
	}
	return fmt.Errorf("%s: %w", where, err)
}

var errTooLarge error = i18n.Text("store.err.too_large")

// boundedReader fails once more than left bytes have been read, instead of ending quietly
// (io.LimitReader would make an oversized document look merely truncated).
type boundedReader struct {
	r    io.Reader
	left int64
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte of look-ahead tells "exactly at the limit" from "over it".
		var one [1]byte
		if n, err := b.r.Read(one[:]); n > 0 {
			return 0, i18n.Wrap(i18n.T("store.err.too_large_bytes", errTooLarge, maxImportSize), errTooLarge)
		} else if err != nil {
			return 0, err
		}
		return 0, nil
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}
