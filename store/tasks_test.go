package store

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"
)

func TestTaskRoundTrip(t *testing.T) {
	s := newStore(t)
	in := &Task{ID: "t/1/../x", Kind: "music", Profile: "apicore", Status: TaskPending,
		Request: []byte(`{"prompt":"夜"}`), ClipIDs: []string{"a", "b"}, BatchKey: "batch.txt:3",
		Deadline: at(30)}
	must(t, s.PutTask(in))
	if in.V != taskVersion || in.CreatedAt.IsZero() || !in.UpdatedAt.Equal(in.CreatedAt) {
		t.Fatalf("PutTask did not stamp the task: %+v", in)
	}
	got, err := s.Task(in.ID)
	must(t, err)
	if !reflect.DeepEqual(got, in) {
		t.Fatalf("Task = %+v\nwant %+v", got, in)
	}
	_, err = s.Task("nope")
	wantErr(t, err, ErrNotFound)

	// An update keeps CreatedAt whatever the caller sends, and moves UpdatedAt.
	created := in.CreatedAt
	upd := *got
	upd.Status, upd.CreatedAt = TaskSucceeded, at(999)
	must(t, s.PutTask(&upd))
	got, _ = s.Task(in.ID)
	if !got.CreatedAt.Equal(created) || !got.UpdatedAt.After(created) || got.Status != TaskSucceeded {
		t.Fatalf("after update: %+v", got)
	}
	if all, _ := s.Tasks(0); len(all) != 1 {
		t.Fatalf("update made a second record: %d tasks", len(all))
	}
}

func TestTasksNewestFirstWithEqualTimestamps(t *testing.T) {
	s := newStore(t)
	for _, id := range []string{"b", "a", "c"} {
		must(t, s.PutTask(&Task{ID: id, Status: TaskSucceeded, CreatedAt: at(1)}))
	}
	must(t, s.PutTask(&Task{ID: "old", Status: TaskSucceeded, CreatedAt: at(0)}))
	must(t, s.PutTask(&Task{ID: "new", Status: TaskSucceeded, CreatedAt: at(2)}))
	all, err := s.Tasks(0)
	must(t, err)
	// Same instant: the id breaks the tie, so the order is stable and nothing overwrites.
	if want := []string{"new", "c", "b", "a", "old"}; !slices.Equal(taskIDs(all), want) {
		t.Fatalf("Tasks(0) = %v, want %v", taskIDs(all), want)
	}
	two, _ := s.Tasks(2)
	if want := []string{"new", "c"}; !slices.Equal(taskIDs(two), want) {
		t.Fatalf("Tasks(2) = %v, want %v", taskIDs(two), want)
	}
}

func TestUnfinishedTasksIndexFollowsStatus(t *testing.T) {
	s := newStore(t)
	for i, st := range []string{TaskPending, TaskRunning, TaskSucceeded, TaskFailed, TaskTimedOut} {
		must(t, s.PutTask(&Task{ID: st, Status: st, CreatedAt: at(i)}))
	}
	check := func(want ...string) {
		t.Helper()
		got, err := s.UnfinishedTasks()
		must(t, err)
		if !slices.Equal(taskIDs(got), want) {
			t.Fatalf("UnfinishedTasks = %v, want %v", taskIDs(got), want)
		}
	}
	check(TaskPending, TaskRunning)
	tk, _ := s.Task(TaskPending)
	tk.Status = TaskRunning
	must(t, s.PutTask(tk))
	check(TaskPending, TaskRunning)
	tk.Status = TaskSucceeded
	must(t, s.PutTask(tk))
	check(TaskRunning)
	tk, _ = s.Task(TaskFailed)
	tk.Status = TaskRunning // a retried task comes back
	must(t, s.PutTask(tk))
	check(TaskRunning, TaskFailed)
}

func TestTaskByBatchKey(t *testing.T) {
	s := newStore(t)
	must(t, s.PutTask(&Task{ID: "t1", Status: TaskPending, BatchKey: "songs.txt:1"}))
	must(t, s.PutTask(&Task{ID: "t2", Status: TaskPending, BatchKey: "songs.txt:2"}))
	got, err := s.TaskByBatchKey("songs.txt:2")
	must(t, err)
	if got.ID != "t2" {
		t.Fatalf("TaskByBatchKey = %s", got.ID)
	}
	_, err = s.TaskByBatchKey("songs.txt:9")
	wantErr(t, err, ErrNotFound)
	_, err = s.TaskByBatchKey("")
	wantErr(t, err, ErrNotFound)

	// Changing a task's batch key moves the index entry.
	got.BatchKey = "other.txt:1"
	must(t, s.PutTask(got))
	_, err = s.TaskByBatchKey("songs.txt:2")
	wantErr(t, err, ErrNotFound)
	if got, err = s.TaskByBatchKey("other.txt:1"); err != nil || got.ID != "t2" {
		t.Fatalf("moved batch key: %v %v", got, err)
	}
}

func TestInvalidRecordsRefused(t *testing.T) {
	s := newStore(t)
	for name, task := range map[string]*Task{
		"empty id":  {ID: ""},
		"NUL":       {ID: "a\x00b"},
		"newline":   {ID: "a\nb"},
		"bad utf8":  {ID: "a\xffb"},
		"clip id":   {ID: "ok", ClipIDs: []string{""}},
		"year 1200": {ID: "ok", CreatedAt: time.Date(1200, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		if err := s.PutTask(task); err == nil {
			t.Errorf("%s: PutTask accepted %+v", name, task)
		} else {
			wantErr(t, err, ErrInvalid)
		}
	}
	for name, c := range map[string]*Clip{
		"empty id":      {ID: ""},
		"relative path": {ID: "c", LocalPath: "clips/c.mp3"},
		"control id":    {ID: "c\x1b[2J"},
		"bad parent":    {ID: "c", ParentID: "\x00"},
	} {
		if err := s.PutClip(c); err == nil {
			t.Errorf("%s: PutClip accepted %+v", name, c)
		}
	}
	wantErr(t, s.PutTask(nil), ErrInvalid)
	wantErr(t, s.PutClip(nil), ErrInvalid)
	if n, _ := s.Count(); n != 0 {
		t.Fatalf("refused clips were stored: %d", n)
	}
}

func TestReplaceTaskSwapsIntentAtomically(t *testing.T) {
	s := newStore(t)
	intent := &Task{ID: "local-1", Kind: "music", Status: TaskSubmitting, BatchKey: "b1"}
	if err := s.PutTask(intent); err != nil {
		t.Fatal(err)
	}
	real := &Task{ID: "relay-1", Kind: "music", Status: TaskPending, BatchKey: "b1"}
	clip := &Clip{ID: "c1", TaskID: "relay-1", Status: ClipQueued}
	if err := s.ReplaceTask("local-1", real, []*Clip{clip}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Task("local-1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("intent still there: %v", err)
	}
	if got, err := s.TaskByBatchKey("b1"); err != nil || got.ID != "relay-1" {
		t.Errorf("batch key: %+v %v", got, err)
	}
	un, _ := s.UnfinishedTasks()
	if len(un) != 1 || un[0].ID != "relay-1" {
		t.Errorf("unfinished = %+v", un)
	}
	if c, err := s.Clip("c1"); err != nil || c.TaskID != "relay-1" {
		t.Errorf("clip: %+v %v", c, err)
	}
	if err := s.DeleteTask("relay-1"); err != nil {
		t.Fatal(err)
	}
	if un, _ := s.UnfinishedTasks(); len(un) != 0 {
		t.Errorf("deleted task still pending: %+v", un)
	}
	if err := s.DeleteTask("never-was"); err != nil {
		t.Errorf("deleting a missing task: %v", err)
	}
}
