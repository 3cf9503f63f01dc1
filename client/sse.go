package client

import (
	"bufio"
	"bytes"
	"io"

	"sunostudio/internal/i18n"
)

// SSEEvent is one server-sent event. Relays only use data, but event names are kept.
type SSEEvent struct {
	Event string
	Data  string
}

// maxSSELine bounds one line of a stream; Suno-API sends one rune per event, so a long line
// means a broken or hostile server.
const maxSSELine = 4 << 20

// ErrSSELineTooLong is returned for a stream line over maxSSELine.
var ErrSSELineTooLong error = i18n.Text("client.decode.sse_line_too_long")

// SSEReader reads events as relays actually send them (relay-api 9.22): "data:" with or
// without a space, CRLF or LF, ":" comment lines, events not separated by a blank line before
// EOF, and no "[DONE]" at all. It never buffers more than one line and one event.
type SSEReader struct {
	r       *bufio.Reader
	data    bytes.Buffer
	hasData bool
	event   string
	line    []byte
	err     error
}

// NewSSEReader reads events from r.
func NewSSEReader(r io.Reader) *SSEReader {
	return &SSEReader{r: bufio.NewReaderSize(r, 32<<10)}
}

// Next returns the next event. At the end of the stream it returns the pending event, if
// any, and then io.EOF. A read error (a cut connection) drops the unfinished event and is
// returned as is.
func (s *SSEReader) Next() (SSEEvent, error) {
	for {
		if s.err != nil {
			if ev, ok := s.flush(); ok {
				return ev, nil
			}
			return SSEEvent{}, s.err
		}
		line, err := s.readLine()
		if err != nil {
			s.err = err
			// At a clean end the last line counts (Suno-API ends with "data: [DONE]" and no
			// newline); after a cut it is a fragment, so it and its event are dropped.
			if err == io.EOF && len(line) > 0 {
				s.field(line)
			} else if err != io.EOF {
				s.data.Reset()
				s.hasData = false
			}
			continue
		}
		if len(line) == 0 {
			if ev, ok := s.flush(); ok {
				return ev, nil
			}
			continue
		}
		s.field(line)
	}
}

// readLine returns one line without its terminator, or what is left at EOF with the error.
func (s *SSEReader) readLine() ([]byte, error) {
	s.line = s.line[:0]
	for {
		chunk, err := s.r.ReadSlice('\n')
		s.line = append(s.line, chunk...)
		if len(s.line) > maxSSELine {
			return nil, ErrSSELineTooLong
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		line := bytes.TrimRight(s.line, "\r\n")
		if err != nil {
			return line, err
		}
		return line, nil
	}
}

func (s *SSEReader) field(line []byte) {
	if line[0] == ':' { // comment / keep-alive
		return
	}
	name, value, found := bytes.Cut(line, []byte(":"))
	if found && len(value) > 0 && value[0] == ' ' {
		value = value[1:]
	}
	switch string(name) {
	case "data":
		if s.hasData {
			s.data.WriteByte('\n')
		}
		s.data.Write(value)
		s.hasData = true
	case "event":
		s.event = string(value)
	}
	// id, retry and unknown fields do not matter to a one-shot chat stream.
}

func (s *SSEReader) flush() (SSEEvent, bool) {
	if !s.hasData {
		s.event = ""
		return SSEEvent{}, false
	}
	ev := SSEEvent{Event: s.event, Data: s.data.String()}
	s.data.Reset()
	s.hasData = false
	s.event = ""
	return ev, true
}
