package player

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzTrack: any bytes, as a library file, through the index and the decoder: errors are fine,
// panics (the decoders' included: they must be recovered) and hangs are not.
func FuzzTrack(f *testing.F) {
	real, err := os.ReadFile(filepath.Join("testdata", "phrase1.mp3"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(real[:3000])
	f.Add(silentFrames(3))
	f.Add(append([]byte("ID3\x04\x00\x00\x00\x00\x00\x02ab"), real[:1000]...))
	f.Add(wavBytes(22050, 1, 100, 0.5))
	f.Add([]byte("<html>nope</html>"))
	f.Add(layer2Frames(2))
	dir := f.TempDir()
	path := filepath.Join(dir, "f.mp3")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		fd, err := openFeed(path)
		if err != nil {
			return
		}
		tr := &track{src: Source{Path: path}, fd: fd}
		defer tr.close()
		now := time.Now()
		tr.load(now)
		buf := make([][2]float64, 4096)
		for i := 0; i < 64 && tr.err == nil; i++ {
			if _, st := tr.fill(buf, now); st == fillEnded || st == fillError {
				break
			}
			if i%8 == 0 && tr.complete() {
				tr.seek(tr.totalOut() / (i + 2))
			}
		}
	})
}
