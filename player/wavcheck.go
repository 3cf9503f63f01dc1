package player

import (
	"encoding/binary"
	"errors"
	"io"

	"github.com/gopxl/beep/v2"
	"github.com/gopxl/beep/v2/wav"

	"sunostudio/internal/i18n"
)

// maxWAVChunk bounds the chunks before the audio data (fmt, LIST, id3, ...): beep's decoder
// reads each into memory, trusting the size the file states. Real ones are a few hundred
// bytes, or some MB with embedded cover art.
const maxWAVChunk = 16 << 20

// errWAVShortHeader says the header has not all arrived yet.
var errWAVShortHeader = errors.New("wav header incomplete")

// checkWAVHeader walks the RIFF chunks up to "data" and refuses sizes beep's decoder would
// choke on: a negative size (it reads them as int32) panics in make, a huge one allocates it.
func checkWAVHeader(r io.ReaderAt, size int64) error {
	var hdr [12]byte
	if _, err := r.ReadAt(hdr[:], 0); err != nil {
		return errWAVShortHeader
	}
	if string(hdr[0:4]) != "RIFF" || string(hdr[8:12]) != "WAVE" {
		return nil // not our business: the decoder says what is wrong
	}
	off := int64(12)
	for {
		var ch [8]byte
		if _, err := r.ReadAt(ch[:], off); err != nil {
			return errWAVShortHeader
		}
		if string(ch[0:4]) == "data" {
			return nil
		}
		n := int64(int32(binary.LittleEndian.Uint32(ch[4:8])))
		if n < 0 || n > maxWAVChunk {
			return errors.New(i18n.T("player.err.wav_chunk", string(printable(ch[0:4])), n))
		}
		off += 8 + n + n%2
		if off > size {
			return errWAVShortHeader
		}
	}
}

func printable(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			c = '?'
		}
		out[i] = c
	}
	return out
}

// decodeWAV is wav.Decode behind a recover: the decoder is not ours, and a file it cannot
// handle must become an error, never a crash of the studio. checkWAVHeader has refused what
// is known to crash it.
func decodeWAV(r io.Reader) (s beep.StreamSeekCloser, f beep.Format, err error) {
	defer func() {
		if p := recover(); p != nil {
			s, err = nil, errors.New(i18n.T("player.err.wav_decoder_failed"))
		}
	}()
	return wav.Decode(r)
}
