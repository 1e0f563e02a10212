package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRun starts the app on a free port over a new database, asks for /
// and /services, shuts it down, and starts it again on the same
// database, which it serves without generating anything.
func TestRun(t *testing.T) {
	db := filepath.Join(t.TempDir(), "directory.sqlite")
	for round := range 2 {
		ctx, cancel := context.WithCancel(context.Background())
		addrs := make(chan net.Addr, 1)
		done := make(chan error, 1)
		go func() {
			done <- run(ctx, Options{Addr: "127.0.0.1:0", DB: db, Services: 240, Ready: func(a net.Addr) { addrs <- a }})
		}()
		var base string
		select {
		case a := <-addrs:
			base = "http://" + a.String()
		case err := <-done:
			cancel()
			t.Fatalf("run: %v", err)
		}
		get := func(path string) map[string]any {
			res, err := http.Get(base + path)
			require.NoError(t, err)
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, res.StatusCode, "%s", body)
			assert.Equal(t, "*", res.Header.Get("Access-Control-Allow-Origin"))
			var v map[string]any
			require.NoError(t, json.Unmarshal(body, &v))
			return v
		}
		root := get("/")
		assert.Equal(t, "HSDS-UK-3.0", root["version"])
		assert.NotEmpty(t, root["openapi_url"])
		svcs := get("/services?per_page=10")
		assert.Equal(t, float64(240), svcs["total_items"], "round %d", round)
		assert.Len(t, svcs["contents"], 10)
		cancel()
		require.NoError(t, <-done, "a clean shutdown")
		_, err := http.Get(base + "/")
		require.Error(t, err, "the server is stopped")
	}
}
