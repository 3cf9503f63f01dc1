package store

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// holder is a second process (this test binary re-executed) holding the library.
type holder struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
}

func startHolder(t *testing.T, path string, churn bool) *holder {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "STORE_HELPER=hold", "STORE_PATH="+path)
	if churn {
		cmd.Env = append(cmd.Env, "STORE_CHURN=1")
	}
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	must(t, err)
	stdout, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())
	h := &holder{cmd: cmd, stdin: stdin}
	t.Cleanup(h.stop)
	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		ready <- line
		io.Copy(io.Discard, stdout)
	}()
	select {
	case line := <-ready:
		if strings.TrimSpace(line) != "ready" {
			t.Fatalf("helper said %q", line)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("helper did not start")
	}
	return h
}

// stop closes the helper's stdin, which makes it close the library and exit.
func (h *holder) stop() {
	if h.stdin == nil {
		return
	}
	h.stdin.Close()
	h.stdin = nil
	done := make(chan error, 1)
	go func() { done <- h.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		h.cmd.Process.Kill() // our own child, by its pid
		<-done
	}
}

func seedLibrary(t *testing.T, path string, n int) {
	t.Helper()
	s, err := Open(path, OpenOptions{})
	must(t, err)
	for i := 0; i < n; i++ {
		c := clip(fmt.Sprintf("c%d", i), i)
		c.Title = fmt.Sprintf("夜 %d", i)
		must(t, s.PutClip(c))
	}
	must(t, s.PutTask(&Task{ID: "pending", Status: TaskRunning}))
	must(t, s.Close())
}

func TestLockedByAnotherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "library.db")
	seedLibrary(t, path, 10)
	h := startHolder(t, path, false)
	pid := h.cmd.Process.Pid

	for _, o := range []OpenOptions{{}, {Timeout: 200 * time.Millisecond}, {ReadOnly: true}} {
		start := time.Now()
		s, err := Open(path, o)
		took := time.Since(start)
		if err == nil {
			s.Close()
			t.Fatalf("%+v: opened a library held by pid %d", o, pid)
		}
		var le *LockedError
		if !errors.As(err, &le) || !errors.Is(err, ErrLocked) {
			t.Fatalf("%+v: error %T %v, want *LockedError", o, err, err)
		}
		if le.PID != pid || le.Path != path {
			t.Fatalf("LockedError = %+v, want pid %d path %s", le, pid, path)
		}
		if want := fmt.Sprintf("library in use by another sunostudio, pid %d (%s)", pid, path); err.Error() != want {
			t.Fatalf("message %q, want %q", err, want)
		}
		if took > time.Second {
			t.Fatalf("%+v: Open took %v to give up", o, took)
		}
		t.Logf("timeout %v: gave up after %v", o.Timeout, took.Round(time.Millisecond))
	}

	// A snapshot works meanwhile and sees the data.
	snap, err := OpenSnapshot(path, OpenOptions{})
	must(t, err)
	if !snap.ReadOnly() || snap.Path() != path {
		t.Fatalf("snapshot ReadOnly=%v Path=%s", snap.ReadOnly(), snap.Path())
	}
	if n, _ := snap.Count(); n != 10 {
		t.Fatalf("snapshot Count = %d", n)
	}
	if p, err := snap.Clips(Query{Text: "夜 3"}); err != nil || p.Total != 1 {
		t.Fatalf("snapshot query: %v %v", p.Total, err)
	}
	if u, _ := snap.UnfinishedTasks(); len(u) != 1 {
		t.Fatalf("snapshot unfinished = %d", len(u))
	}
	wantErr(t, snap.PutClip(clip("x", 1)), ErrReadOnly)
	tmp := snap.tempPath
	must(t, snap.Close())
	if _, err := os.Stat(tmp); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("snapshot copy %s left behind: %v", tmp, err)
	}

	h.stop()
	if _, err := os.Stat(pidFilePath(path)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("holder left its pid file: %v", err)
	}
	s, err := Open(path, OpenOptions{})
	must(t, err)
	must(t, s.Close())
}

func TestLockedErrorWithoutPID(t *testing.T) {
	e := &LockedError{Path: "/x/library.db"}
	if e.Error() != "library in use by another sunostudio (/x/library.db)" || !errors.Is(e, ErrLocked) {
		t.Fatalf("%q", e.Error())
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "library.db")
	for _, content := range []string{"", "garbage", "-4", "999999999", "12345678901234567890123456789012345"} {
		os.WriteFile(pidFilePath(p), []byte(content), 0o600)
		if pid := readPIDFile(pidFilePath(p)); pid != 0 {
			t.Errorf("pid file %q read as %d", content, pid)
		}
	}
}

func TestSnapshotWhileHolderWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "library.db")
	seedLibrary(t, path, 50)
	startHolder(t, path, true)
	ok := 0
	for i := 0; i < 5; i++ {
		s, err := OpenSnapshot(path, OpenOptions{})
		if err != nil {
			// Allowed only as the clear "kept changing" error, never a panic or a bad copy.
			wantErr(t, err, ErrDamaged)
			t.Logf("snapshot %d: %v", i, err)
			continue
		}
		n, err := s.Count()
		must(t, err)
		if n < 50 {
			t.Fatalf("snapshot sees %d clips", n)
		}
		if _, err := s.Clips(Query{Text: "churn", Limit: 10}); err != nil {
			t.Fatal(err)
		}
		must(t, s.Close())
		ok++
	}
	if ok == 0 {
		t.Fatal("no snapshot succeeded while the holder was writing")
	}
}

func TestDamagedFiles(t *testing.T) {
	dir := t.TempDir()
	rnd := make([]byte, 64<<10)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range rnd {
		rnd[i] = byte(r.Uint32())
	}
	cases := map[string][]byte{
		"empty":        {},
		"random bytes": rnd,
		"text":         []byte("this is not a database\n"),
		"one page":     rnd[:4096],
	}
	for name, content := range cases {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".db")
		must(t, os.WriteFile(p, content, 0o600))
		for _, open := range []func(string, OpenOptions) (*Store, error){Open, OpenSnapshot} {
			for _, ro := range []bool{false, true} {
				s, err := open(p, OpenOptions{ReadOnly: ro})
				if err == nil {
					s.Close()
					t.Fatalf("%s: opened", name)
				}
				wantErr(t, err, ErrDamaged)
				if !strings.Contains(err.Error(), p) {
					t.Fatalf("%s: error does not name the file: %v", name, err)
				}
			}
		}
		t.Logf("%s: %v", name, func() error { _, err := Open(p, OpenOptions{}); return err }())
		if b, _ := os.ReadFile(p); len(b) != len(content) {
			t.Fatalf("%s: Open changed the damaged file (%d -> %d bytes)", name, len(content), len(b))
		}
	}
}

func TestTruncatedLibrary(t *testing.T) {
	p := filepath.Join(t.TempDir(), "library.db")
	s, err := Open(p, OpenOptions{})
	must(t, err)
	must(t, GenerateLibrary(s, 2000, 7))
	must(t, s.Close())
	fi, _ := os.Stat(p)
	must(t, os.Truncate(p, fi.Size()/2))
	_, err = Open(p, OpenOptions{})
	wantErr(t, err, ErrDamaged)
	t.Log(err)
	_, err = OpenSnapshot(p, OpenOptions{})
	wantErr(t, err, ErrDamaged)
}

// TestCorruptPages overwrites some data pages of a real library (keeping the meta pages) and
// checks that opening and every method fail with an error, never a panic.
func TestCorruptPages(t *testing.T) {
	for _, span := range [][2]float64{{0, 1}, {0.3, 0.5}, {0.6, 0.7}, {0.9, 1}} {
		for _, ro := range []bool{true, false} {
			t.Run(fmt.Sprintf("%v-%v-ro=%v", span[0], span[1], ro), func(t *testing.T) {
				p := filepath.Join(t.TempDir(), "library.db")
				s, err := Open(p, OpenOptions{})
				must(t, err)
				must(t, GenerateLibrary(s, 300, 3))
				must(t, s.Close())
				corrupt(t, p, span[0], span[1])
				if snap, err := OpenSnapshot(p, OpenOptions{}); err == nil {
					snap.Close()
				} else {
					wantErr(t, err, ErrDamaged)
				}
				s, err = Open(p, OpenOptions{ReadOnly: ro})
				if err != nil {
					wantErr(t, err, ErrDamaged)
					t.Logf("Open: %v", err)
					return
				}
				defer s.Close()
				failed := 0
				for name, call := range map[string]func() error{
					"Newest":    func() error { _, err := s.Newest(10); return err },
					"Clips":     func() error { _, err := s.Clips(Query{Text: "夜"}); return err },
					"Title":     func() error { _, err := s.Clips(Query{Sort: SortTitle}); return err },
					"Tasks":     func() error { _, err := s.Tasks(0); return err },
					"Export":    func() error { return s.Export(io.Discard) },
					"Downloads": func() error { _, err := s.ClipsNeedingDownload(); return err },
					"Put":       func() error { return s.PutClip(clip("new", 1)) },
				} {
					if err := call(); err != nil {
						failed++
						t.Logf("%s: %v", name, err)
					}
				}
				if failed == 0 {
					t.Log("corruption went unnoticed by every call (junk in unused pages)")
				}
			})
		}
	}
}

// corrupt fills the part [from, to) of the file's data pages with random bytes.
func corrupt(t *testing.T, p string, from, to float64) {
	t.Helper()
	f, err := os.OpenFile(p, os.O_RDWR, 0)
	must(t, err)
	defer f.Close()
	fi, _ := f.Stat()
	data := fi.Size() - 2*4096
	start, end := 2*4096+int64(float64(data)*from), 2*4096+int64(float64(data)*to)
	r := rand.New(rand.NewPCG(5, 6))
	junk := make([]byte, end-start)
	for i := range junk {
		junk[i] = byte(r.Uint32())
	}
	_, err = f.WriteAt(junk, start)
	must(t, err)
}

func TestNewerSchemaRefused(t *testing.T) {
	p := filepath.Join(t.TempDir(), "library.db")
	s, err := Open(p, OpenOptions{})
	must(t, err)
	newer := strconv.Itoa(currentSchema + 1)
	must(t, s.update(func(tx *bolt.Tx) error { return tx.Bucket(bMeta).Put(mSchema, []byte(newer)) }))
	must(t, s.Close())
	for _, ro := range []bool{false, true} {
		_, err = Open(p, OpenOptions{ReadOnly: ro})
		wantErr(t, err, ErrNewerSchema)
		if !strings.Contains(err.Error(), "library was written by a newer sunostudio (schema "+newer) {
			t.Fatalf("message: %v", err)
		}
	}
	_, err = OpenSnapshot(p, OpenOptions{})
	wantErr(t, err, ErrNewerSchema)
}

func TestForeignBoltFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "other.db")
	db, err := bolt.Open(p, 0o600, nil)
	must(t, err)
	must(t, db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("etcd")); return err }))
	must(t, db.Close())
	_, err = Open(p, OpenOptions{})
	wantErr(t, err, ErrDamaged)
	if !strings.Contains(err.Error(), "not a sunostudio library") {
		t.Fatal(err)
	}
}

func TestOpenEdgeCases(t *testing.T) {
	dir := t.TempDir()
	_, err := Open("", OpenOptions{})
	if err == nil {
		t.Fatal("empty path accepted")
	}
	if _, err = Open(dir, OpenOptions{}); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Fatalf("directory: %v", err)
	}
	if _, err = Open(filepath.Join(dir, "missing.db"), OpenOptions{ReadOnly: true}); err == nil {
		t.Fatal("read-only open created a library")
	}
	if _, err = OpenSnapshot(filepath.Join(dir, "missing.db"), OpenOptions{}); err == nil {
		t.Fatal("snapshot of nothing")
	}
	// A new library in a folder that does not exist yet; Close twice is fine.
	p := filepath.Join(dir, "new", "sub", "library.db")
	s, err := Open(p, OpenOptions{})
	must(t, err)
	if s.ReadOnly() || s.Path() != p {
		t.Fatal(s.ReadOnly(), s.Path())
	}
	if pid := readPIDFile(pidFilePath(p)); pid != os.Getpid() {
		t.Fatalf("pid file says %d", pid)
	}
	must(t, s.Close())
	must(t, s.Close())
	if _, err := s.Count(); err == nil {
		t.Fatal("Count on a closed store")
	}
}

func TestReadOnlyStore(t *testing.T) {
	p := filepath.Join(t.TempDir(), "library.db")
	seedLibrary(t, p, 3)
	before, _ := os.ReadFile(p)
	s, err := Open(p, OpenOptions{ReadOnly: true})
	must(t, err)
	defer s.Close()
	if !s.ReadOnly() {
		t.Fatal("not read-only")
	}
	if n, _ := s.Count(); n != 3 {
		t.Fatalf("Count = %d", n)
	}
	for name, err := range map[string]error{
		"PutTask":         s.PutTask(&Task{ID: "t"}),
		"PutClip":         s.PutClip(clip("x", 1)),
		"PutTaskAndClips": s.PutTaskAndClips(&Task{ID: "t"}, nil),
		"SetFavorite":     s.SetFavorite("c1", true),
		"Rename":          s.Rename("c1", "x"),
		"SetNotes":        s.SetNotes("c1", "x"),
		"DeleteClip":      s.DeleteClip("c1"),
		"SaveDraft":       s.SaveDraft(Draft{Name: "d"}),
		"SetSetting":      s.SetSetting("k", 1),
		"Import":          func() error { _, err := s.Import(strings.NewReader("{}")); return err }(),
		"Generate":        GenerateLibrary(s, 1, 1),
	} {
		if !errors.Is(err, ErrReadOnly) {
			t.Errorf("%s: %v, want ErrReadOnly", name, err)
		}
	}
	if _, err := os.Stat(pidFilePath(p)); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a read-only open wrote a pid file")
	}
	after, _ := os.ReadFile(p)
	if string(before) != string(after) {
		t.Fatal("read-only open changed the file")
	}
}
