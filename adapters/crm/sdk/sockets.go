package sdk

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

var errUnimplemented = status.Error(codes.Unimplemented, "this plugin takes no pushes")

// removeSockets removes the unix socket files this process listens on,
// found through /proc (Linux); elsewhere it does nothing. go-plugin
// removes them on a clean stop only.
func removeSockets() {
	inodes := map[string]bool{}
	fds, _ := os.ReadDir("/proc/self/fd")
	for _, fd := range fds {
		l, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name()))
		if err == nil && strings.HasPrefix(l, "socket:[") {
			inodes[strings.TrimSuffix(strings.TrimPrefix(l, "socket:["), "]")] = true
		}
	}
	f, err := os.Open("/proc/self/net/unix")
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// Num RefCount Protocol Flags Type St Inode Path
		fs := strings.Fields(sc.Text())
		if len(fs) >= 8 && inodes[fs[6]] && strings.HasPrefix(fs[7], "/") {
			_ = os.Remove(fs[7])
		}
	}
}
