package store

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// GenerateLibrary adds n realistic clips (and one task per two clips) to s, for benchmarks and
// demos: mixed Chinese and English titles and tags, 300-800 character lyrics, several models,
// 5% favourites, some failed or still downloading. The same seed gives the same library.
// Clips are spaced a few minutes apart after 2024-06-01 and written 1000 per transaction.
func GenerateLibrary(s *Store, n int, seed int64) error {
	if n < 0 {
		return fmt.Errorf("generate: negative count %d", n)
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed))
	at := time.Date(2024, 6, 1, 8, 0, 0, 0, time.UTC)
	for done := 0; done < n; {
		batch := min(1000, n-done)
		now := s.now()
		err := s.update(func(tx *bolt.Tx) error {
			var task *Task
			for i := 0; i < batch; i++ {
				at = at.Add(time.Duration(30+rng.IntN(600)) * time.Second)
				if task == nil || len(task.ClipIDs) == 2 {
					if task != nil {
						if _, _, err := putTaskTx(tx, task, now, false); err != nil {
							return err
						}
					}
					task = genTask(rng, at)
				}
				c := genClip(rng, s.dir, task, at)
				task.ClipIDs = append(task.ClipIDs, c.ID)
				if _, _, err := putClipTx(tx, c, now, false); err != nil {
					return err
				}
			}
			_, _, err := putTaskTx(tx, task, now, false)
			return err
		})
		if err != nil {
			return fmt.Errorf("generate: %w", err)
		}
		done += batch
	}
	return nil
}

var (
	genModels = []string{"chirp-v3-5", "chirp-v4", "chirp-auk", "chirp-bluejay", "chirp-crow"}
	genTitleZ = []string{"夜", "雨", "城市", "星光", "海边", "回忆", "远方", "月亮", "风", "梦", "夏天", "告别", "灯火", "山谷", "春天"}
	genTitleE = []string{"Midnight", "Neon", "River", "Summer", "Echoes", "Gravity", "Velvet", "Paper", "Golden",
		"Highway", "Ocean", "Signal", "Winter", "Lantern", "Static", "Wildfire"}
	genNounE = []string{"Dreams", "Lights", "Heart", "Road", "Skyline", "Rain", "Letters", "Ghosts", "Tide", "Hours"}
	genTags  = []string{"pop", "rock", "lo-fi", "city pop", "jazz", "ballad", "edm", "folk", "hip hop", "r&b",
		"synthwave", "chinese traditional", "国风", "古风", "抒情", "female vocals", "male vocals", "piano", "guitar", "dreamy"}
	genLineZ = []string{"夜色温柔地落在窗前", "我听见风在唱着你的名字", "城市的灯火一盏一盏熄灭", "雨水打湿了旧时光",
		"星光照亮回家的路", "我们在海边说过的话", "月亮知道我的心事", "远方的你是否也在想我", "梦里有一片金色的麦田",
		"告别总是来得太突然"}
	genLineE = []string{"I keep driving through the neon rain", "Every echo brings you back to me",
		"We were golden in the summer light", "Hold on to the signal in the static",
		"The river knows the way back home", "Paper hearts are burning slow", "Dancing on the edge of midnight",
		"Your voice is a lantern in the dark"}
)

func genID(rng *rand.Rand) string {
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", rng.Uint32(), rng.Uint32()&0xffff, rng.Uint32()&0xffff,
		rng.Uint32()&0xffff, rng.Uint64()&0xffffffffffff)
}

func genTask(rng *rand.Rand, at time.Time) *Task {
	return &Task{
		ID: genID(rng), Kind: "music", Profile: "default", Status: TaskSucceeded, Progress: 100,
		Request:   []byte(`{"mv":"chirp-v4","make_instrumental":false}`),
		CreatedAt: at, FinishedAt: at.Add(90 * time.Second),
	}
}

func genClip(rng *rand.Rand, dir string, t *Task, at time.Time) *Clip {
	var title string
	switch rng.IntN(3) {
	case 0:
		title = pick(rng, genTitleZ) + pick(rng, genTitleZ)
	case 1:
		title = pick(rng, genTitleE) + " " + pick(rng, genNounE)
	default:
		title = pick(rng, genTitleZ) + "的" + pick(rng, genNounE)
	}
	tags := make([]string, 2+rng.IntN(3))
	for i := range tags {
		tags[i] = pick(rng, genTags)
	}
	var lyrics strings.Builder
	want := 300 + rng.IntN(501)
	for n := 0; n < want; {
		line := pick(rng, genLineE)
		if rng.IntN(2) == 0 {
			line = pick(rng, genLineZ)
		}
		if rng.IntN(8) == 0 {
			line = "[Chorus]"
		}
		lyrics.WriteString(line + "\n")
		n += len([]rune(line)) + 1
	}
	id := genID(rng)
	c := &Clip{
		ID: id, TaskID: t.ID, Profile: "default", Title: title, Tags: strings.Join(tags, ", "),
		Lyrics: lyrics.String(), Model: pick(rng, genModels), Status: ClipComplete,
		Duration: 60 + float64(rng.IntN(18000))/100, Type: "gen",
		AudioURL:  "https://cdn.example.com/" + id + ".mp3",
		ImageURL:  "https://cdn.example.com/image_" + id + ".jpeg",
		LocalPath: filepath.Join(dir, "clips", id+".mp3"), CoverPath: filepath.Join(dir, "covers", id+".jpeg"),
		Download: DownloadDone, Favorite: rng.IntN(20) == 0, CreatedAt: at,
	}
	switch r := rng.IntN(100); {
	case r < 3:
		c.Status, c.Download, c.LocalPath, c.CoverPath, c.Error = ClipFailed, DownloadNone, "", "", "generation failed"
	case r < 5:
		c.Download, c.LocalPath = DownloadPending, ""
	}
	return c
}

func pick(rng *rand.Rand, xs []string) string { return xs[rng.IntN(len(xs))] }
