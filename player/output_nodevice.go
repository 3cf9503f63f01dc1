//go:build nosound || !(cgo || darwin || windows)

package player

// NewDeviceOutput in this build: no device support (CGO_ENABLED=0 on Linux, or -tags nosound).
// NewOutput("auto") turns this into the no-output state; --audio null still plays in real time.
func NewDeviceOutput() (Output, error) { return nil, ErrNoDeviceSupport }
