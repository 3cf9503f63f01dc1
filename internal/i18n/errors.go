package i18n

// Text is an error whose text is the catalog message it names, looked up each time it is
// shown: a sentinel declared before the language is chosen still speaks that language.
type Text string

func (t Text) Error() string { return T(string(t)) }

// Wrap returns an error whose text is already said for people (usually T with err among its
// arguments) and which keeps err for errors.Is and errors.As.
func Wrap(text string, err error) error { return &wrapped{text: text, err: err} }

type wrapped struct {
	text string
	err  error
}

func (w *wrapped) Error() string { return w.text }
func (w *wrapped) Unwrap() error { return w.err }
