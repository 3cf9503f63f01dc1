package store

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

const fixtureV1 = "testdata/schema1.db"

// fixtureRecords is the content of testdata/schema1.db: 5 tasks (2 unfinished), 20 clips with
// CJK and English titles, lineage and a mix of download states, one draft, one setting.
func fixtureRecords() ([]*Task, []*Clip, []Draft) {
	base := time.Date(2024, 11, 5, 9, 0, 0, 0, time.UTC)
	statuses := []string{TaskSucceeded, TaskSucceeded, TaskFailed, TaskRunning, TaskPending}
	titles := []string{"夜的第七章", "Midnight Drive", "雨后的城市", "星光", "Paper Hearts", "海边的回忆", "月亮代表我的心",
		"Neon Tide", "远方", "夏天的风", "Golden Hours", "告别", "灯火阑珊", "Static Ghosts", "山谷里的歌",
		"春天 Spring", "Winter Letters", "梦 Dream", "Highway Echoes", "夜来香"}
	var tasks []*Task
	for i, st := range statuses {
		t := &Task{V: 1, ID: fmt.Sprintf("task-%d", i), Kind: "music", Profile: "default", Status: st,
			BatchKey: fmt.Sprintf("songs.txt:%d", i+1), CreatedAt: base.Add(time.Duration(i) * time.Hour)}
		t.UpdatedAt = t.CreatedAt
		tasks = append(tasks, t)
	}
	var clips []*Clip
	for i, title := range titles {
		task := tasks[i/4]
		c := &Clip{V: 1, ID: fmt.Sprintf("clip-%02d", i), TaskID: task.ID, Title: title,
			Tags: []string{"国风, 抒情", "synthwave", "lo-fi, piano", "pop"}[i%4], Lyrics: "[Verse]\n夜色温柔地落在窗前\nneon rain " + title,
			Model: []string{"chirp-v4", "chirp-v3-5"}[i%2], Status: ClipComplete, Duration: 100 + float64(i),
			Download: DownloadDone, Favorite: i%7 == 0, CreatedAt: task.CreatedAt.Add(time.Duration(i) * time.Minute)}
		c.UpdatedAt = c.CreatedAt
		switch {
		case i >= 12: // the running and pending tasks' clips are not complete yet
			c.Status, c.Download = ClipStreaming, DownloadNone
		case i == 3 || i == 9:
			c.Download = DownloadPending
		case i == 10:
			c.Download = DownloadFailed
		}
		if i == 5 || i == 6 {
			c.ParentID, c.Derivation = "clip-00", DeriveExtend
		}
		task.ClipIDs = append(task.ClipIDs, c.ID)
		clips = append(clips, c)
	}
	drafts := []Draft{{V: 1, Name: "current", Title: "夜", Text: "第一行\n第二行", UpdatedAt: base}}
	return tasks, clips, drafts
}

// writeFixtureV1 writes the schema-1 layout directly with bbolt, as the first release did.
func writeFixtureV1(path string) error {
	os.Remove(path)
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	tasks, clips, drafts := fixtureRecords()
	return db.Update(func(tx *bolt.Tx) error {
		for _, name := range schema1Buckets {
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		put := func(bucket, k []byte, v any) error {
			b, err := json.Marshal(v)
			if err != nil {
				return err
			}
			return tx.Bucket(bucket).Put(k, b)
		}
		for _, t := range tasks {
			k := timeKey(t.CreatedAt, t.ID)
			if err := put(bTasks, k, t); err != nil {
				return err
			}
			if err := tx.Bucket(bTaskIDs).Put([]byte(t.ID), k); err != nil {
				return err
			}
		}
		for _, c := range clips {
			k := timeKey(c.CreatedAt, c.ID)
			if err := put(bClips, k, c); err != nil {
				return err
			}
			if err := tx.Bucket(bClipIDs).Put([]byte(c.ID), k); err != nil {
				return err
			}
		}
		for _, d := range drafts {
			if err := put(bDrafts, []byte(d.Name), d); err != nil {
				return err
			}
		}
		if err := put(bSettings, []byte("theme"), "nord"); err != nil {
			return err
		}
		return tx.Bucket(bMeta).Put(mSchema, []byte("1"))
	})
}

func TestWriteFixture(t *testing.T) {
	if !*updateFixture {
		t.Skip("run with -update-fixture to rewrite " + fixtureV1)
	}
	must(t, os.MkdirAll("testdata", 0o755))
	must(t, writeFixtureV1(fixtureV1))
}

// copyFixture copies the committed fixture, so the test never migrates the original.
func copyFixture(t *testing.T) string {
	t.Helper()
	src, err := os.Open(fixtureV1)
	must(t, err)
	defer src.Close()
	p := filepath.Join(t.TempDir(), "library.db")
	dst, err := os.Create(p)
	must(t, err)
	_, err = io.Copy(dst, src)
	must(t, err)
	must(t, dst.Close())
	return p
}

func TestMigrateFromSchema1(t *testing.T) {
	p := copyFixture(t)

	// Read-only: no migration, a clear word instead.
	_, err := Open(p, OpenOptions{ReadOnly: true})
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("needs an upgrade from schema 1 to %d", currentSchema)) {
		t.Fatalf("read-only open of schema 1: %v", err)
	}
	// A snapshot migrates its private copy and leaves the file alone.
	before, _ := os.ReadFile(p)
	snap, err := OpenSnapshot(p, OpenOptions{})
	must(t, err)
	if u, _ := snap.UnfinishedTasks(); len(u) != 2 {
		t.Fatalf("snapshot unfinished = %d", len(u))
	}
	must(t, snap.Close())
	if after, _ := os.ReadFile(p); string(after) != string(before) {
		t.Fatal("snapshot changed the original")
	}

	s, err := Open(p, OpenOptions{})
	must(t, err)
	defer s.Close()
	if schema, err := s.inspect(); err != nil || schema != currentSchema {
		t.Fatalf("schema after migration = %d, %v", schema, err)
	}
	wantTasks, wantClips, wantDrafts := fixtureRecords()
	if n, _ := s.Count(); n != len(wantClips) {
		t.Fatalf("Count = %d, want %d", n, len(wantClips))
	}
	unfinished, err := s.UnfinishedTasks()
	must(t, err)
	if got := taskIDs(unfinished); !slices.Equal(got, []string{"task-3", "task-4"}) {
		t.Fatalf("UnfinishedTasks = %v", got)
	}
	dl, err := s.ClipsNeedingDownload()
	must(t, err)
	if got := ids(dl); !slices.Equal(got, []string{"clip-03", "clip-09", "clip-10"}) {
		t.Fatalf("ClipsNeedingDownload = %v", got)
	}
	p1, err := s.Clips(Query{Text: "夜的"})
	must(t, err)
	if got := ids(p1.Clips); !slices.Equal(got, []string{"clip-00"}) {
		t.Fatalf("text query = %v", got)
	}
	p2, err := s.Clips(Query{Text: "NEON RAIN", Limit: 5})
	must(t, err)
	if p2.Total != 20 || len(p2.Clips) != 5 || p2.Next == "" {
		t.Fatalf("lyrics query: total %d, page %d", p2.Total, len(p2.Clips))
	}
	fav, _ := s.Clips(Query{Favorite: true})
	if got := ids(fav.Clips); !slices.Equal(got, []string{"clip-14", "clip-07", "clip-00"}) {
		t.Fatalf("favourites = %v", got)
	}
	kids, _ := s.Children("clip-00")
	if got := ids(kids); !slices.Equal(got, []string{"clip-05", "clip-06"}) {
		t.Fatalf("Children = %v", got)
	}
	if tk, err := s.TaskByBatchKey("songs.txt:4"); err != nil || tk.ID != "task-3" {
		t.Fatalf("TaskByBatchKey: %v %v", tk, err)
	}
	of, _ := s.ClipsOfTask("task-1")
	if got := ids(of); !slices.Equal(got, []string{"clip-04", "clip-05", "clip-06", "clip-07"}) {
		t.Fatalf("ClipsOfTask = %v", got)
	}
	// The records themselves are untouched by the migration.
	all, _ := s.Tasks(0)
	slices.Reverse(all)
	for i, tk := range all {
		if tk.ID != wantTasks[i].ID || !tk.CreatedAt.Equal(wantTasks[i].CreatedAt) || len(tk.ClipIDs) != len(wantTasks[i].ClipIDs) {
			t.Fatalf("task %d = %+v", i, tk)
		}
	}
	d, err := s.Draft("current")
	if err != nil || d.Text != wantDrafts[0].Text {
		t.Fatalf("draft: %+v %v", d, err)
	}
	var theme string
	if ok, _ := s.Setting("theme", &theme); !ok || theme != "nord" {
		t.Fatalf("setting: %q", theme)
	}
	// Writes keep working on the migrated library.
	c, _ := s.Clip("clip-03")
	c.Download = DownloadDone
	must(t, s.PutClip(c))
	if dl, _ := s.ClipsNeedingDownload(); len(dl) != 2 {
		t.Fatalf("after download: %v", ids(dl))
	}
}
