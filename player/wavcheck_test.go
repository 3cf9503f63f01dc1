package player

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

func riff(chunks ...[]byte) []byte {
	b := []byte("RIFF\x00\x00\x00\x00WAVE")
	for _, c := range chunks {
		b = append(b, c...)
	}
	return b
}

func chunk(id string, size int32, body int) []byte {
	b := []byte(id)
	b = binary.LittleEndian.AppendUint32(b, uint32(size))
	return append(b, make([]byte, body)...)
}

func TestCheckWAVHeader(t *testing.T) {
	cases := []struct {
		name string
		file []byte
		want string // "" ok, "short" the header is still arriving, else a word of the error
	}{
		{"plain", riff(chunk("fmt ", 16, 16), chunk("data", 4, 4)), ""},
		{"list before data", riff(chunk("fmt ", 16, 16), chunk("LIST", 26, 26), chunk("data", 0, 0)), ""},
		{"negative chunk size (beep panics)", riff(chunk("JUNK", -56, 0)), "JUNK"},
		{"huge fmt", riff(chunk("fmt ", 1<<30, 16)), "fmt"},
		{"chunk past the end", riff(chunk("fmt ", 16, 16), chunk("LIST", 4096, 10)), "short"},
		{"cut in a chunk header", riff(chunk("fmt ", 16, 16))[:30], "short"},
		{"not a RIFF", []byte("ID3\x04 not a wav"), ""},
		{"the fuzzer's crasher", []byte("RIFF0000WAVE0000000\xc8"), "0000"},
	}
	for _, c := range cases {
		err := checkWAVHeader(bytes.NewReader(c.file), int64(len(c.file)))
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want == "short" && !errors.Is(err, errWAVShortHeader):
			t.Errorf("%s: want the header to be incomplete, got %v", c.name, err)
		case c.want != "" && c.want != "short" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: want an error naming %q, got %v", c.name, c.want, err)
		}
	}
}
