//go:build !linux

package player

// quietStderr: only libasound (Linux) prints to fd 2 while a device opens.
func quietStderr(fn func()) string {
	fn()
	return ""
}
