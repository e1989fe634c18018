package web_test

import (
	"os"
	"testing"

	"github.com/tours-metropole/actionbot/store/storetest"
)

// TestMain runs the web tests on SQLite, then on PostgreSQL when
// ACTIONBOT_TEST_POSTGRES_URL is set (storetest.RunBoth).
func TestMain(m *testing.M) { os.Exit(storetest.RunBoth(m)) }
